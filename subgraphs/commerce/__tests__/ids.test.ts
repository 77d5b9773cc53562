import { isScapiId, scapiId } from '../ids.js';

test.each([
  'licence-dog-annual',
  '25519318M',
  'abRrGWSIjooIKasGvWcPVzyYrl',
  'a.b',
  '_',
  "x' OR '1'='1",
  'x'.repeat(100),
])('%j is an id', (id) => {
  expect(isScapiId(id)).toBe(true);
});

test.each([
  '',
  '.',
  '..',
  'a..b',
  '../customers',
  'a/b',
  'a\\b',
  'a%2Fb',
  '%',
  'a?b',
  'a#b',
  'a,b',
  'a\nb',
  'a\u0000b',
  ' padded ',
  'x'.repeat(101),
])('%j is not an id', (id) => {
  expect(isScapiId(id)).toBe(false);
  expect(() => scapiId('productId', id)).toThrow(
    expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }),
  );
});

test('order numbers are at most 50 characters', () => {
  expect(() => scapiId('orderNo', '1'.repeat(50))).not.toThrow();
  expect(() => scapiId('orderNo', '1'.repeat(51))).toThrow();
  expect(() => scapiId('productId', '1'.repeat(51))).not.toThrow();
});
