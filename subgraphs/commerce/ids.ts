// Ids that go into SCAPI paths and queries (product ids, basket and item ids, order numbers,
// customer ids). SCAPI types them as plain strings: product ids are SKUs (up to 100 characters,
// e.g. `25519318M`, `licence-dog-annual`), basket/customer/item ids opaque alphanumerics, order
// numbers 1–50 characters (docs/salesforce/scapi.md#shopper-orders). SCAPI's own rule is that `,`
// and `%` inside an id must be URL-encoded — double-encoded in comma-joined lists such as `ids`
// (Shopper Products "URL Encoding"; docs/salesforce/scapi.md#urls-and-encoding) — and proxies
// between us and SCAPI disagree on decoding them, so this graph does not accept such ids at all.
// Refused here, before any call: empty or too long, control characters, anything that could leave
// its path segment or start a query or fragment (`/`, `\`, `.`, `..`, `?`, `#`), a percent sign
// (`%2F` and friends) and a comma (it would split `ids`). What passes is still percent-encoded by
// the client (encodeURIComponent, as commerce-sdk-isomorphic does for path parameters): validation
// and encoding both.
import { graphqlError } from '../../lib/errors.js';

// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f/\\?#%,]|\.\.|^\.$/;

export const MAX_ID_LENGTH = 100;
/** Order numbers are 1–50 characters (Shopper Orders `orderNo`). */
export const MAX_ORDER_NO_LENGTH = 50;

export type IdKind =
  'productId' | 'basketId' | 'itemId' | 'orderNo' | 'customerId' | 'paymentInstrumentId';

export function isScapiId(value: unknown, max = MAX_ID_LENGTH): value is string {
  return (
    typeof value === 'string' &&
    value.length >= 1 &&
    value.length <= max &&
    value.trim() === value &&
    !FORBIDDEN.test(value)
  );
}

/**
 * The id unchanged, or a BAD_USER_INPUT GraphQL error (the id is not echoed back) naming
 * `argument`, what the client sent it as (`ids` of `products(ids:)`); by default the kind.
 */
export function scapiId(kind: IdKind, value: unknown, argument: string = kind): string {
  const max = kind === 'orderNo' ? MAX_ORDER_NO_LENGTH : MAX_ID_LENGTH;
  if (!isScapiId(value, max))
    throw graphqlError('BAD_USER_INPUT', `\`${argument}\` is not a valid id.`);
  return value;
}
