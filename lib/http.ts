// Small HTTP helpers shared by every service and the test harness.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';

export interface Listening {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** Listens on a port (0 = any free port) at 127.0.0.1 and returns its URL and a closer. */
export function listen(handler: RequestListener, port = 0, host = '127.0.0.1'): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = createServer(handler);
    // Keep-alive sockets from clients would keep close() waiting; tests need a prompt close.
    server.keepAliveTimeout = 5_000;
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
export function shutdownTimeoutMs(env: NodeJS.ProcessEnv): number {
  const raw = env.SHUTDOWN_TIMEOUT_MS;
  if (raw === undefined || raw === '') return 10_000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`SHUTDOWN_TIMEOUT_MS must be a non-negative integer, got "${raw}"`);
  return n;
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
