// What counts as "this machine" for the no-egress guard, and the record of refused attempts.
import net from 'node:net';

// On the `net` core module itself: the patched socket functions are installed once per jest
// worker and outlive each test file's module registry and global object (jest gives every file
// its own), while core modules are shared by all of them — so every file reads the same record.
const KEY = Symbol.for('c360.egress.violations');
const store = net as unknown as Record<symbol, string[] | undefined>;
const violations: string[] = (store[KEY] ??= []);

/** Loopback only: 127.0.0.0/8, ::1, localhost (and no host, which Node reads as localhost). */
export function isLoopbackHost(host: string | undefined | null): boolean {
  if (host === undefined || host === null || host === '') return true;
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || /^::ffff:127\./.test(h);
  return false;
}

export function recordEgressViolation(what: string): void {
  violations.push(what);
}

/** The violations since the last call (and forgets them). */
export function takeEgressViolations(): string[] {
  return violations.splice(0, violations.length);
}
