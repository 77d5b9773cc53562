// Which SCAPI failures are the request's own (a userError slug) and which the upstream's (thrown on).
import { UpstreamError } from '../../../lib/errors.js';
import { scapiRejection } from '../scapi-rejection.js';

const scapi = (status: number, slug?: string) =>
  new UpstreamError('scapi', status, slug, 'refused');

test.each([
  [400, 'invalid-customer', 'invalid-customer'],
  [400, undefined, 'bad-request'],
  [403, 'customer-baskets-quota-exceeded', 'customer-baskets-quota-exceeded'],
  [404, 'product-not-found', 'product-not-found'],
  [409, 'basket-state-conflict', 'basket-state-conflict'],
  [499, undefined, 'bad-request'],
])('a %i (%s) is the request’s own: %s', (status, slug, expected) => {
  expect(scapiRejection(scapi(status, slug))).toBe(expected);
});

test.each([
  [401, 'unauthorized'],
  [429, 'rate-limited'],
  [399, 'redirect'],
  [500, 'internal'],
  [503, undefined],
  [0, undefined],
])('a %i (%s) is the upstream’s: no rejection', (status, slug) => {
  expect(scapiRejection(scapi(status, slug))).toBeUndefined();
});

test('anything but an UpstreamError is no rejection', () => {
  expect(scapiRejection(new Error('400'))).toBeUndefined();
  expect(scapiRejection({ status: 400, upstreamCode: 'x' })).toBeUndefined();
});
