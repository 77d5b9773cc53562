// Jest setup (setupFilesAfterEnv): no test may open a connection to anything but this machine.
// The product must only talk to its configured upstreams and subgraphs, which in tests are all
// on loopback; anything else (a cloud-metadata probe, a telemetry export, a typo'd URL) is
// refused before a packet leaves, recorded, and fails the test that caused it.
import dns from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';
import { isLoopbackHost, takeEgressViolations, recordEgressViolation } from './egress-policy.js';

const PATCHED = Symbol.for('c360.no-egress.patched');

type Patchable = { [PATCHED]?: boolean };

function refuse(what: string): Error {
  recordEgressViolation(what);
  const err = new Error(`egress refused in tests: ${what}`) as NodeJS.ErrnoException;
  err.code = 'ECONNREFUSED';
  return err;
}

/** host/port out of the many shapes Socket#connect accepts. */
function targetOf(args: unknown[]): { host?: string; path?: string } {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (first && typeof first === 'object') {
    const o = first as { host?: string; path?: string };
    return { host: o.host, path: o.path };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { path: first };
  return { host: typeof args[1] === 'string' ? args[1] : undefined };
}

// Core modules are shared by every test file of a worker: patch once.
if (!(net.Socket.prototype as Patchable)[PATCHED]) {
  (net.Socket.prototype as Patchable)[PATCHED] = true;
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function patchedConnect(this: net.Socket, ...args: unknown[]) {
    const { host, path } = targetOf(args);
    if (!path && !isLoopbackHost(host)) {
      const err = refuse(`connect to ${host}`);
      process.nextTick(() => this.destroy(err));
      return this;
    }
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;

  const tlsConnect = tls.connect;
  (tls as { connect: typeof tls.connect }).connect = function patchedTlsConnect(
    ...args: unknown[]
  ) {
    const o = (
      typeof args[0] === 'object' ? args[0] : typeof args[2] === 'object' ? args[2] : {}
    ) as {
      host?: string;
      socket?: unknown;
    };
    const host = typeof args[1] === 'string' ? args[1] : o.host;
    if (!o.socket && !isLoopbackHost(host)) throw refuse(`tls connect to ${host}`);
    return (tlsConnect as (...a: unknown[]) => tls.TLSSocket).apply(tls, args);
  } as typeof tls.connect;

  const lookup = dns.lookup;
  (dns as { lookup: unknown }).lookup = function patchedLookup(
    hostname: string,
    ...rest: unknown[]
  ) {
    if (!isLoopbackHost(hostname)) {
      const cb = rest.at(-1) as (err: Error) => void;
      const err = refuse(`dns lookup of ${hostname}`);
      process.nextTick(() => cb(err));
      return;
    }
    return (lookup as (...a: unknown[]) => void)(hostname, ...rest);
  };
  const lookupPromise = dns.promises.lookup;
  (dns.promises as { lookup: unknown }).lookup = async (hostname: string, ...rest: unknown[]) => {
    if (!isLoopbackHost(hostname)) throw refuse(`dns lookup of ${hostname}`);
    return (lookupPromise as (...a: unknown[]) => Promise<unknown>)(hostname, ...rest);
  };
}

afterEach(() => {
  const violations = takeEgressViolations();
  if (violations.length)
    throw new Error(`This test tried to reach beyond loopback:\n  ${violations.join('\n  ')}`);
});
