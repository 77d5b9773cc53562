// Small HTTP helpers shared by every service and the test harness.
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
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

/** The two phases of a shutdown, from the environment. */
export interface ShutdownTiming {
  /**
   * SHUTDOWN_DELAY_MS: after SIGTERM, /readyz answers 503 while everything else is still served,
   * so load balancers and endpoints controllers take the process out before its listener closes
   * (production default 5 s; 0 in development and tests).
   */
  delayMs: number;
  /** SHUTDOWN_TIMEOUT_MS: from the listener's close, what is still open after this is cut. */
  timeoutMs: number;
}

export function shutdownTiming(env: Env): ShutdownTiming {
  const e = readEnv(env);
  return { delayMs: e.get('SHUTDOWN_DELAY_MS'), timeoutMs: e.get('SHUTDOWN_TIMEOUT_MS') };
}

/**
 * What the cleanup after the drain (Apollo's stop, Redis, the trace exporter) may take at most.
 * A whole shutdown lasts at most SHUTDOWN_DELAY_MS + SHUTDOWN_TIMEOUT_MS + this; a scheduler's
 * grace period (Kubernetes terminationGracePeriodSeconds, Compose stop_grace_period) must cover it.
 */
export const SHUTDOWN_CLEANUP_MS = 5_000;

export type ShutdownPhase = 'serving' | 'deregistering' | 'closing' | 'closed';

export interface ShutdownOptions extends ShutdownTiming {
  /** In the log lines (`<name>: SIGTERM, …`). */
  name: string;
  server: Server;
  /**
   * Run when the listener closes: tell long-lived connections to go (WebSockets 1001 "going
   * away", streams ended). Not awaited by the timeout: what is still open at `timeoutMs` is cut.
   */
  goingAway?: () => Promise<void> | void;
  /** Run after the drain (bounded by SHUTDOWN_CLEANUP_MS): Apollo's stop, Redis, traces. */
  cleanup?: () => Promise<void>;
  log?: (line: string) => void;
  /** Timers (tests inject their own); default setTimeout. */
  setTimer?: (ms: number, fn: () => void) => () => void;
}

export interface Shutdown {
  readonly phase: ShutdownPhase;
  /**
   * Begins the shutdown (what SIGTERM does) and resolves with the exit code once it is over: 0
   * when every request and connection finished in time, 1 when some were cut. A second call
   * during the de-registration delay ends the delay at once (a second SIGTERM or Ctrl-C).
   */
  begin(reason: string): Promise<number>;
}

const realTimer = (ms: number, fn: () => void) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

/**
 * A bounded shutdown for one HTTP server (WebSocket upgrades included). Install it once the
 * server's request listeners are all registered (it wraps them). On begin():
 *   1. de-registration: /readyz answers 503 `{"status":"draining"}`; every other request is still
 *      served, answered with `Connection: close` so kept-alive clients reconnect elsewhere;
 *   2. after `delayMs`: the listener closes, idle kept-alive sockets are closed as soon as they
 *      are idle, `goingAway` runs (WebSockets get 1001, streams end);
 *   3. at `timeoutMs` after that, every socket still open — upgraded ones included, which
 *      Node's closeAllConnections does not see — is destroyed;
 *   4. `cleanup` runs (at most SHUTDOWN_CLEANUP_MS) and begin() resolves with the exit code.
 */
export function gracefulShutdown(o: ShutdownOptions): Shutdown {
  const { server } = o;
  const log = o.log ?? ((line: string) => console.log(line));
  const setTimer = o.setTimer ?? realTimer;
  let phase: ShutdownPhase = 'serving';
  // Every socket, upgraded ones too: closeAllConnections only knows those still speaking HTTP.
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  // Readiness fails first; everything else is still served, each answer saying Connection: close.
  const previous = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (phase !== 'serving') {
      if (!res.headersSent) res.setHeader('Connection', 'close');
      if ((req.url ?? '').split('?')[0] === '/readyz') {
        res.writeHead(503, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ status: 'draining' }));
        return;
      }
    }
    for (const l of previous) l.call(server, req, res);
  });

  let endDelay: (() => void) | undefined;
  let result: Promise<number> | undefined;
  const run = async (reason: string): Promise<number> => {
    phase = 'deregistering';
    if (o.delayMs > 0) {
      log(`${o.name}: ${reason}, /readyz failing for ${o.delayMs} ms before the listener closes`);
      await new Promise<void>((done) => {
        const cancel = setTimer(o.delayMs, () => done());
        endDelay = () => (cancel(), done());
      });
    }
    endDelay = undefined;
    phase = 'closing';
    log(`${o.name}: ${reason}, draining (up to ${o.timeoutMs} ms)`);
    const drained = await new Promise<boolean>((resolve) => {
      let cut = false;
      const sweep = setInterval(() => server.closeIdleConnections(), 25);
      const cancelCut = setTimer(o.timeoutMs, () => {
        cut = true;
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      });
      server.close(() => {
        clearInterval(sweep);
        cancelCut();
        resolve(!cut);
      });
      server.closeIdleConnections();
      Promise.resolve()
        .then(() => o.goingAway?.())
        .catch((err: unknown) => console.error(`${o.name}: closing connections failed`, err));
    });
    // Cleanup gets a few seconds; a ref'd timer keeps the process alive until it is done.
    let cancelGuard = () => {};
    try {
      await Promise.race([
        o.cleanup?.(),
        new Promise<void>((r) => (cancelGuard = setTimer(SHUTDOWN_CLEANUP_MS, r))),
      ]);
    } catch (err) {
      console.error(`${o.name}: cleanup failed`, err);
    }
    cancelGuard();
    phase = 'closed';
    log(
      drained
        ? `${o.name}: drained, exiting`
        : `${o.name}: in-flight requests cut after ${o.timeoutMs} ms`,
    );
    return drained ? 0 : 1;
  };
  return {
    get phase() {
      return phase;
    },
    begin(reason) {
      if (result) {
        if (endDelay) {
          log(`${o.name}: ${reason} again, ending the de-registration delay`);
          endDelay();
        }
        return result;
      }
      result = run(reason);
      return result;
    },
  };
}

/**
 * SIGTERM/SIGINT handling for a service's main.ts: a gracefulShutdown of its server, then exit
 * with its code — 0 when everything finished, 1 when the timeout cut something. A second signal
 * during the de-registration delay ends the delay; later ones are ignored. Call it after the
 * servers started (and their WebSocket servers attached): it replaces the SIGTERM/SIGINT
 * listeners registered before it and wraps the server's request listeners.
 */
export function exitOnSignal(o: ShutdownOptions): Shutdown {
  const shutdown = gracefulShutdown(o);
  const stop = (signal: NodeJS.Signals) => {
    void shutdown.begin(signal).then((code) => process.exit(code));
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    // Apollo Server's own termination handler (stopOnTerminationSignals) stops the schema at once
    // and re-raises the signal, which would fail in-flight requests: the drain owns the signals.
    for (const l of process.listeners(signal)) process.removeListener(signal, l);
    process.on(signal, stop);
  }
  return shutdown;
}
