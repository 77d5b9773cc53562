// What counts as "this machine" for the no-egress guard, and the record of refused attempts.
import net from 'node:net';

const violations: string[] = [];

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
