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
