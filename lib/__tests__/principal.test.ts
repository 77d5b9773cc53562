// The signed principal: short-lived, with exp and iat always, and the client address inside.
import jwt from 'jsonwebtoken';
import {
  MAX_PRINCIPAL_TTL_SECONDS,
  signPrincipal,
  verifyPrincipal,
  verifyPrincipalClaims,
} from '../principal.js';

const SECRET = 's'.repeat(40);
const agent = { kind: 'agent' as const, clientId: 'c' };
const claims = { iss: 'c360-gateway', aud: 'c360-subgraphs' };

test('a signed principal carries exp and iat at most 60 s apart, and the client address', () => {
  const token = signPrincipal(agent, SECRET, { clientAddress: '198.51.100.7', ttlSeconds: 3600 });
  const payload = jwt.decode(token) as { exp: number; iat: number; cip: string };
  expect(payload.exp - payload.iat).toBe(MAX_PRINCIPAL_TTL_SECONDS);
  expect(verifyPrincipalClaims(token, SECRET)).toEqual({
    principal: agent,
    clientAddress: '198.51.100.7',
  });
});

test.each([
  ['without exp', () => jwt.sign({ principal: agent, ...claims }, SECRET, { algorithm: 'HS256' })],
  [
    'without iat',
    () =>
      jwt.sign({ principal: agent, ...claims, exp: Math.floor(Date.now() / 1000) + 30 }, SECRET, {
        algorithm: 'HS256',
        noTimestamp: true,
      }),
  ],
  [
    'living longer than 60 s',
    () =>
      jwt.sign({ principal: agent, ...claims }, SECRET, { algorithm: 'HS256', expiresIn: 3600 }),
  ],
  [
    'expired',
    () =>
      jwt.sign(
        {
          principal: agent,
          ...claims,
          iat: Math.floor(Date.now() / 1000) - 120,
          exp: Math.floor(Date.now() / 1000) - 60,
        },
        SECRET,
        { algorithm: 'HS256' },
      ),
  ],
  ['signed with another secret', () => signPrincipal(agent, 'x'.repeat(40))],
  [
    'with alg none',
    () => jwt.sign({ principal: agent, ...claims }, '', { algorithm: 'none', expiresIn: 30 }),
  ],
])('a principal token %s is refused', (_name, make) => {
  expect(verifyPrincipal(make(), SECRET)).toBeNull();
});
