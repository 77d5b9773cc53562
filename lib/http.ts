// Small HTTP helpers shared by every service and the test harness.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import { processEnv, readEnv, type Env } from './env.js';

export interface Listening {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** How long a client may take to send a request (slow clients must not hold sockets). */
export interface HttpTimeouts {
  /** Whole request, headers and body (Node's requestTimeout); 0 = none. */
  requestTimeoutMs: number;
  /** Headers alone (Node's headersTimeout); at most requestTimeoutMs. */
  headersTimeoutMs: number;
  /** An idle kept-alive socket is closed after this. */
  keepAliveTimeoutMs: number;
}

/** HTTP_REQUEST_TIMEOUT_MS (30 s), HTTP_HEADERS_TIMEOUT_MS (10 s), HTTP_KEEP_ALIVE_TIMEOUT_MS (5 s). */
export function httpTimeouts(env: Env): HttpTimeouts {
  const e = readEnv(env);
  return {
    requestTimeoutMs: e.get('HTTP_REQUEST_TIMEOUT_MS'),
    headersTimeoutMs: e.get('HTTP_HEADERS_TIMEOUT_MS'),
    keepAliveTimeoutMs: e.get('HTTP_KEEP_ALIVE_TIMEOUT_MS'),
  };
}

/**
 * Listens on a port (0 = any free port) at 127.0.0.1 and returns its URL and a closer. A client
 * that has not sent its whole request within the timeouts gets 408 and its socket is closed.
 */
export function listen(
  handler: RequestListener,
  port = 0,
  host = '127.0.0.1',
  timeouts: HttpTimeouts = httpTimeouts(processEnv),
): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const requestTimeout = timeouts.requestTimeoutMs;
    const headersTimeout = requestTimeout
      ? Math.min(timeouts.headersTimeoutMs, requestTimeout)
      : timeouts.headersTimeoutMs;
    const server = createServer(
      {
        requestTimeout,
        headersTimeout,
        // How often Node checks those timeouts (default 30 s would let a slow client overstay).
        connectionsCheckingInterval: Math.max(
          50,
          Math.min(
            1_000,
            Math.floor((Math.min(headersTimeout, requestTimeout || headersTimeout) || 1_000) / 4),
          ),
        ),
      },
      handler,
    );
    // Keep-alive sockets from clients would keep close() waiting; tests need a prompt close.
    server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${actual}`,
        port: actual,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** The bearer token of a request, if any. */
export function bearerFrom(
  headers: Record<string, string | string[] | undefined>,
): string | undefined {
  const value = headers.authorization;
  const raw = Array.isArray(value) ? value[0] : value;
  const m = /^Bearer\s+(.+)$/i.exec(raw ?? '');
  return m?.[1]?.trim();
}

/** SHUTDOWN_TIMEOUT_MS: how long a stopping service lets in-flight requests finish (default 10 s). */
export function shutdownTimeoutMs(env: Env): number {
  return readEnv(env).get('SHUTDOWN_TIMEOUT_MS');
}

/**
 * Drains a server: stops accepting connections at once, lets requests already received finish
 * (answering them with `Connection: close`, and closing keep-alive sockets as soon as they go
 * idle), and after `timeoutMs` cuts whatever is still open. Resolves `true` when every request
 * finished in time, `false` when some were cut.
 */
export function drainServer(server: Server, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let drained = true;
    // Requests that arrive on a kept-alive socket during the drain are answered, then the socket closes.
    const closeAfter = (_req: unknown, res: { setHeader(n: string, v: string): unknown }) => {
      res.setHeader('Connection', 'close');
    };
    server.prependListener('request', closeAfter);
    const sweep = setInterval(() => server.closeIdleConnections(), 25);
    const timer = setTimeout(() => {
      drained = false;
      server.closeAllConnections();
    }, timeoutMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(timer);
      resolve(drained);
    });
    server.closeIdleConnections();
  });
}

/**
 * SIGTERM/SIGINT handling for a service's main.ts: drain the HTTP server (bounded by
 * `timeoutMs`), then run `cleanup` (e.g. Apollo's stop) and exit — 0 when every in-flight request
 * finished, 1 when the timeout cut some. A second signal during the drain is ignored. Call it
 * after the servers started: it replaces the SIGTERM/SIGINT listeners registered before it.
 */
export function exitOnSignal(
  name: string,
  server: Server,
  timeoutMs: number,
  cleanup: () => Promise<void> = async () => {},
): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${name}: ${signal}, draining (up to ${timeoutMs} ms)`);
    const drained = await drainServer(server, timeoutMs);
    // Cleanup gets a few seconds; a ref'd timer keeps the process alive until it is done.
    let guard: NodeJS.Timeout | undefined;
    try {
      await Promise.race([cleanup(), new Promise((r) => (guard = setTimeout(r, 5_000)))]);
    } catch (err) {
      console.error(`${name}: cleanup failed`, err);
    }
    clearTimeout(guard);
    console.log(
      drained
        ? `${name}: drained, exiting`
        : `${name}: in-flight requests cut after ${timeoutMs} ms`,
    );
    process.exit(drained ? 0 : 1);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    // Apollo Server's own termination handler (stopOnTerminationSignals) stops the schema at once
    // and re-raises the signal, which would fail in-flight requests: the drain owns the signals.
    for (const l of process.listeners(signal)) process.removeListener(signal, l);
    process.on(signal, stop);
  }
}
