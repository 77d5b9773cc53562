// The signed principal: for one subgraph (aud), one request body (bh) or one subscription
// connection (use), short-lived, with exp and iat always, and the client address inside.
import jwt from 'jsonwebtoken';
import {
  bodyHash,
  MAX_PRINCIPAL_TTL_SECONDS,
  signPrincipal,
  verifyPrincipalClaims,
} from '../principal.js';

const SECRET = 's'.repeat(40);
const agent = { kind: 'agent' as const, clientId: 'c' };
const BODY = '{"query":"{ __typename }"}';
const claims = { iss: 'c360-gateway', aud: 'commerce', bh: bodyHash(BODY) };
const T0 = 1_800_000_000_000;
const at = (ms: number) => () => ms;
const forCommerce = { audience: 'commerce', now: at(T0) };

test('a signed principal names its subgraph and body, lives ≤ 60 s, and carries the client address', () => {
  const token = signPrincipal(agent, SECRET, {
    audience: 'commerce',
    body: BODY,
    clientAddress: '198.51.100.7',
    ttlSeconds: 3600,
    now: at(T0),
  });
  const payload = jwt.decode(token) as { exp: number; iat: number; cip: string; aud: string };
  expect(payload.exp - payload.iat).toBe(MAX_PRINCIPAL_TTL_SECONDS);
  expect(payload.aud).toBe('commerce');
  expect(verifyPrincipalClaims(token, SECRET, forCommerce)).toEqual({
    principal: agent,
    clientAddress: '198.51.100.7',
    expiresAtMs: T0 + MAX_PRINCIPAL_TTL_SECONDS * 1000,
    bodyHash: bodyHash(BODY),
  });
});

test('a principal lives a few seconds by default: refused once its TTL has passed (injected clock)', () => {
  const token = signPrincipal(agent, SECRET, { audience: 'commerce', body: BODY, now: at(T0) });
  expect(
    verifyPrincipalClaims(token, SECRET, { ...forCommerce, now: at(T0 + 4_000) }),
  ).not.toBeNull();
  expect(verifyPrincipalClaims(token, SECRET, { ...forCommerce, now: at(T0 + 5_000) })).toBeNull();
});

test('a principal signed for one subgraph is refused by another', () => {
  const token = signPrincipal(agent, SECRET, { audience: 'case', body: BODY, now: at(T0) });
  expect(verifyPrincipalClaims(token, SECRET, forCommerce)).toBeNull();
  expect(verifyPrincipalClaims(token, SECRET, { audience: 'case', now: at(T0) })).not.toBeNull();
});

test("a request's principal is no subscription's, and the reverse", () => {
  const request = signPrincipal(agent, SECRET, { audience: 'case', body: BODY, now: at(T0) });
  const live = signPrincipal(agent, SECRET, { audience: 'case', subscription: true, now: at(T0) });
  const asLive = { audience: 'case', subscription: true, now: at(T0) };
  expect(verifyPrincipalClaims(request, SECRET, asLive)).toBeNull();
  expect(verifyPrincipalClaims(live, SECRET, { audience: 'case', now: at(T0) })).toBeNull();
  expect(verifyPrincipalClaims(live, SECRET, asLive)?.bodyHash).toBeUndefined();
});

test('signing for neither a body nor a subscription is a programming error', () => {
  expect(() => signPrincipal(agent, SECRET, { audience: 'case' })).toThrow();
});

const now = Math.floor(T0 / 1000);
test.each([
  [
    'without exp',
    () => jwt.sign({ principal: agent, ...claims, iat: now }, SECRET, { algorithm: 'HS256' }),
  ],
  [
    'without iat',
    () =>
      jwt.sign({ principal: agent, ...claims, exp: now + 30 }, SECRET, {
        algorithm: 'HS256',
        noTimestamp: true,
      }),
  ],
  [
    'living longer than 60 s',
    () => jwt.sign({ principal: agent, ...claims, iat: now, exp: now + 3600 }, SECRET),
  ],
  [
    'expired',
    () => jwt.sign({ principal: agent, ...claims, iat: now - 120, exp: now - 60 }, SECRET),
  ],
  [
    'without a body hash',
    () => jwt.sign({ principal: agent, ...claims, bh: undefined, iat: now, exp: now + 5 }, SECRET),
  ],
  [
    'signed with another secret',
    () => signPrincipal(agent, 'x'.repeat(40), { audience: 'commerce', body: BODY, now: at(T0) }),
  ],
  [
    'with alg none',
    () =>
      jwt.sign({ principal: agent, ...claims, iat: now, exp: now + 5 }, '', { algorithm: 'none' }),
  ],
])('a principal token %s is refused', (_name, make) => {
  expect(verifyPrincipalClaims(make(), SECRET, forCommerce)).toBeNull();
});
