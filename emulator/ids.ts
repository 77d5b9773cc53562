// Deterministic identifiers in the formats the real systems use.

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

function base62(n: number, width: number): string {
  let s = '';
  let v = Math.floor(n);
  while (v > 0) {
    s = BASE62[v % 62] + s;
    v = Math.floor(v / 62);
  }
  return s.padStart(width, '0');
}

/** The 3-character case-safety suffix that turns a 15-character Salesforce id into 18. */
export function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += CHECKSUM[bits];
  }
  return suffix;
}

/** An 18-character Salesforce id: key prefix (e.g. 003), a pod marker, a sequence, the suffix. */
export function sfId(prefix: string, n: number): string {
  const id15 = `${prefix}Hu0${base62(n, 9)}`;
  return id15 + caseSafeSuffix(id15);
}

/** Accepts a 15- or 18-character id and returns the 18-character form, or null if it is not an id. */
export function toId18(value: string): string | null {
  if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(value)) return null;
  const id15 = value.slice(0, 15);
  const full = id15 + caseSafeSuffix(id15);
  if (value.length === 18 && value.slice(15).toUpperCase() !== full.slice(15)) return null;
  return full;
}

/** mulberry32: a small, fast, deterministic PRNG so seed data is identical on every machine. */
export function createRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
    hex: (len: number) => {
      let s = '';
      while (s.length < len) s += Math.floor(next() * 16).toString(16);
      return s;
    },
    letters: (len: number) => {
      let s = '';
      for (let i = 0; i < len; i++) s += BASE62[10 + Math.floor(next() * 52)];
      return s;
    },
  };
}

export type Random = ReturnType<typeof createRandom>;

/** Salesforce REST DateTime: yyyy-MM-ddTHH:mm:ss.SSS+0000 (UTC, offset without a colon). */
export function sfDateTime(d: Date): string {
  return d.toISOString().replace('Z', '+0000');
}

/** SCAPI and Data Cloud timestamps: ISO-8601 UTC with milliseconds. */
export function isoDateTime(d: Date): string {
  return d.toISOString();
}
