// What the gateway sends a subgraph: allow-listed client headers, a principal it signed itself,
// and the client address it saw — never values a client sent for those.
import { PRINCIPAL_HEADER } from '../../lib/principal.js';
import { SubgraphDataSource } from '../subgraph-data-source.js';
import { UpstreamCost } from '../../lib/upstream-cost.js';

test('forwards the allow-list only, and hands the principal and client address to the fetch', () => {
  const source = new SubgraphDataSource('http://127.0.0.1:9/graphql', 'secret', 1000, {
    name: 'session',
    forwardBearer: true,
  });
  const headers = new Map<string, string>();
  const request = { http: { headers: { set: (k: string, v: string) => headers.set(k, v) } } };
  const context = {
    principal: { kind: 'anonymous' as const },
    headers: {
      authorization: 'Bearer abc',
      'x-correlation-id': 'c1',
      cookie: 'session=1',
      [PRINCIPAL_HEADER]: 'forged',
      'x-client-address': '203.0.113.9',
    },
    wantsCost: false,
    cost: new UpstreamCost(),
    clientAddress: '127.0.0.1',
  };
  source.willSendRequest!({ request, context } as never);
  expect(headers.get('authorization')).toBe('Bearer abc');
  expect(headers.get('x-correlation-id')).toBe('c1');
  expect(headers.has('cookie')).toBe(false);
  // The address travels inside the signature, never as a header a client could have set.
  expect(headers.has('x-client-address')).toBe(false);
  // The principal is signed per fetch, for its body (subgraph-http.test.ts): here it is only
  // carried, unsigned and internal, to the fetch — the client's forged header is gone.
  expect(headers.has(PRINCIPAL_HEADER)).toBe(false);
  expect(
    JSON.parse(Buffer.from(headers.get('x-c360-unsigned-principal')!, 'base64url').toString()),
  ).toEqual({
    principal: { kind: 'anonymous' },
    clientAddress: '127.0.0.1',
  });
});

test('the bearer token goes only to a subgraph that needs it', () => {
  const source = new SubgraphDataSource('http://127.0.0.1:9/graphql', 'secret', 1000, {
    name: 'case',
  });
  const headers = new Map<string, string>();
  const request = { http: { headers: { set: (k: string, v: string) => headers.set(k, v) } } };
  const context = {
    principal: { kind: 'anonymous' as const },
    headers: { authorization: 'Bearer abc', 'x-correlation-id': 'c1' },
    wantsCost: false,
    cost: new UpstreamCost(),
  };
  source.willSendRequest!({ request, context } as never);
  expect(headers.has('authorization')).toBe(false);
  expect(headers.get('x-correlation-id')).toBe('c1');
  expect(headers.has('x-c360-unsigned-principal')).toBe(true);
});
