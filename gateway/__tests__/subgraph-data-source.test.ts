// What the gateway sends a subgraph: allow-listed client headers, a principal it signed itself,
// and the client address it saw — never values a client sent for those.
import { PRINCIPAL_HEADER, verifyPrincipal } from '../../lib/principal.js';
import { SubgraphDataSource } from '../subgraph-data-source.js';
import { UpstreamCost } from '../../lib/upstream-cost.js';

test('forwards the allow-list only, signs the principal, sets the client address', () => {
  const source = new SubgraphDataSource('http://subgraph.test/graphql', 'secret', 1000);
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
  expect(headers.get('x-client-address')).toBe('127.0.0.1');
  expect(headers.get(PRINCIPAL_HEADER)).not.toBe('forged');
  expect(verifyPrincipal(headers.get(PRINCIPAL_HEADER), 'secret')).toEqual({ kind: 'anonymous' });
});
