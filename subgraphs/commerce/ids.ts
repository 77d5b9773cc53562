// Ids that go into SCAPI paths and queries (product ids, basket and item ids, order numbers,
// customer ids). SCAPI ids are opaque tokens — product ids are SKUs like `25519318M` or
// `licence-dog-annual`, basket/customer/item ids 26 alphanumerics, order numbers 1–50
// characters (reference §3.4–3.7) — so anything that could leave its path segment or split a
// comma-joined `ids` list (`/`, `..`, `?`, `#`, `%`, `,`, whitespace) is refused here, before
// any call. The path is still percent-encoded by the client (encodeURIComponent, as
// commerce-sdk-isomorphic does for path parameters): validation and encoding both.
import { graphqlError } from '../../lib/errors.js';

/** Letters, digits, `_`, `-` and `.` (never two dots in a row), 1–100 characters. */
const SCAPI_ID = /^[A-Za-z0-9_-](?:[A-Za-z0-9_.-]{0,98}[A-Za-z0-9_-])?$/;

export const MAX_ID_LENGTH = 100;
/** Order numbers are 1–50 characters (Shopper Orders `orderNo`). */
export const MAX_ORDER_NO_LENGTH = 50;

export type IdKind =
  'productId' | 'basketId' | 'itemId' | 'orderNo' | 'customerId' | 'paymentInstrumentId';

export function isScapiId(value: unknown, max = MAX_ID_LENGTH): value is string {
  return (
    typeof value === 'string' &&
    value.length <= max &&
    SCAPI_ID.test(value) &&
    !value.includes('..')
  );
}

/** The id unchanged, or a BAD_USER_INPUT GraphQL error (the id is not echoed back). */
export function scapiId(kind: IdKind, value: unknown): string {
  const max = kind === 'orderNo' ? MAX_ORDER_NO_LENGTH : MAX_ID_LENGTH;
  if (!isScapiId(value, max))
    throw graphqlError('BAD_USER_INPUT', `\`${kind}\` is not a valid id.`);
  return value;
}
