// Idempotency keys of the commerce writes. A client key is scoped to the shopper (another
// shopper's identical key is another request) and bound to the request it was first used with:
// a retry with the same request gets the first result, another request under the same key gets
// IDEMPOTENCY_KEY_REUSED (lib/graphql's idempotencyKeyReused, through UserErrors) and changes
// nothing.
//
// Where the records live (SCAPI is the only store): in custom attributes named in
// config.customAttributes (default `c_idempotencyKey`, declared in Business Manager), written
// atomically with the write it guards —
// - addCartItem: on the product item, a space-separated list of `{keyHash}:{quantity}` (one per
//   request that added to that line; the product is the line's own), so a second key adding to
//   the same line never hides the first key's record;
// - checkout: on the basket (SCAPI copies basket custom attributes onto the order) as
//   `{keyHash}.{inputsHash}.{cartHash}`.
// Hashes never carry the raw client key upstream.
import { createHash } from 'node:crypto';
import type { ShopperKey } from './loaders.js';

/** How many request records one product item keeps (its attribute stays well below 4000 characters). */
export const MAX_LINE_RECORDS = 40;

const sha256 = (...parts: readonly string[]) =>
  createHash('sha256').update(parts.join('\n')).digest('base64url');

/** The key as stored upstream: base64url(SHA-256(shopper, key)) shortened to 22 characters. */
export const keyHash = (who: ShopperKey, key: string) => sha256(who.customerId, key).slice(0, 22);

/** What serialises racing retries of one request: a hash of (shopper, key), never the raw key. */
export const lockKey = (who: ShopperKey, key: string) =>
  `commerce:${sha256('lock', who.customerId, key)}`;

/** SHA-256 of a normalised value (JSON of its fields in a fixed order), shortened. */
export const digest = (value: unknown) => sha256(JSON.stringify(value)).slice(0, 22);

// ---- product item records (addCartItem) -------------------------------------------------------

export interface LineRecord {
  keyHash: string;
  quantity: number;
}

export function lineRecords(attribute: unknown): LineRecord[] {
  if (typeof attribute !== 'string') return [];
  return attribute
    .split(' ')
    .map((entry) => /^([A-Za-z0-9_-]{22}):(\d{1,3})$/.exec(entry))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ keyHash: m[1], quantity: Number(m[2]) }));
}

/** The line's records plus a new one, oldest dropped beyond MAX_LINE_RECORDS. */
export function withLineRecord(attribute: unknown, record: LineRecord): string {
  return [...lineRecords(attribute), record]
    .slice(-MAX_LINE_RECORDS)
    .map((r) => `${r.keyHash}:${r.quantity}`)
    .join(' ');
}

// ---- basket / order records (checkout) ---------------------------------------------------------

export interface CheckoutRecord {
  keyHash: string;
  inputs: string;
  cart: string;
}

export const formatCheckoutRecord = (r: CheckoutRecord) => `${r.keyHash}.${r.inputs}.${r.cart}`;

export function parseCheckoutRecord(attribute: unknown): CheckoutRecord | null {
  if (typeof attribute !== 'string') return null;
  const m = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/.exec(attribute);
  return m ? { keyHash: m[1], inputs: m[2], cart: m[3] } : null;
}

/** The cart a checkout is for: its lines (product, quantity), in a fixed order. */
export const cartDigest = (items: ReadonlyArray<{ productId: string; quantity: number }>) =>
  digest(
    items
      .map((it) => [it.productId, it.quantity] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1])),
  );
