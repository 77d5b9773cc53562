// ToolRunner on a fake pipeline: the MCP budget books what Salesforce counted, not only the
// estimate, and a pipeline that throws is a tool error saying what to do.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, GraphQLError } from 'graphql';
import { InMemoryRateLimiter } from '../../../lib/rate-limit.js';
import { ServiceMetrics } from '../../../lib/observability/metrics.js';
import type { CitizenPrincipal } from '../../../lib/principal.js';
import type { UpstreamCost } from '../../../lib/upstream-cost.js';
import { loadGatewayConfig } from '../../config.js';
import { PersistedDocuments } from '../../persisted-documents.js';
import { costModelFromSupergraph } from '../../query-cost.js';
import type { Gateway } from '../../server.js';
import { ToolRunner } from '../call.js';
import { buildTools } from '../tools.js';

const ROOT = join(__dirname, '../../..');
const schema = buildSchema(readFileSync(join(ROOT, 'schema/api-schema.graphql'), 'utf8'));
const fieldCosts = costModelFromSupergraph(
  readFileSync(join(ROOT, 'schema/supergraph.graphql'), 'utf8'),
);
const tools = buildTools(
  PersistedDocuments.fromFiles([join(ROOT, 'gql/persisted-documents.json')], true),
  schema,
  fieldCosts,
  600,
);
const citizen: CitizenPrincipal = {
  kind: 'citizen',
  userId: '005000000000001',
  username: 'ada@example.org',
  contactId: '003000000000001',
  unifiedId: 'u-1',
};
const caller = { principal: citizen, clientId: 'portal', authorization: 'Bearer t' };

function runner(execute: Gateway['execute'], citizenPerMinute: number) {
  const config = loadGatewayConfig({
    PRINCIPAL_SECRET: 'x'.repeat(40),
    MCP_UPSTREAM_CALLS_PER_MINUTE_CITIZEN: String(citizenPerMinute),
  });
  return new ToolRunner({
    tools,
    schema,
    fieldCosts,
    config: config.mcp,
    maxUpstreamCalls: 600,
    // A minute that never passes.
    limiter: new InMemoryRateLimiter({}, () => 1_000_000),
    metrics: new ServiceMetrics('test'),
    execute,
  });
}

test('calls beyond the estimate are booked too: the budget follows what Salesforce counted', async () => {
  expect(tools.get('Products')!.baseCalls).toBe(1);
  let runs = 0;
  // Each run costs 9 calls where 1 was estimated.
  const execute: Gateway['execute'] = async (_request, _auth, options) => {
    runs++;
    for (let i = 0; i < 9; i++) (options!.cost as UpstreamCost).record('scapi', 1);
    return { data: { products: [] } };
  };
  const r = runner(execute, 10);
  const outcomes = [];
  for (let i = 0; i < 3; i++) {
    const res = await r.call('Products', { ids: ['P1'] }, caller);
    outcomes.push(res.isError ? res.structuredContent!.code : 'ok');
  }
  // 1 booked + 8 after the fact = 9; the second fits (10); the third does not.
  expect(outcomes).toEqual(['ok', 'ok', 'MCP_BUDGET_EXHAUSTED']);
  expect(runs).toBe(2);
});

test('a pipeline that throws is a tool error saying what to do', async () => {
  const r = runner(async () => {
    throw new GraphQLError('The access token is invalid, expired or revoked.', {
      extensions: { code: 'UNAUTHENTICATED' },
    });
  }, 100);
  expect(await r.call('Products', { ids: ['P1'] }, caller)).toEqual({
    isError: true,
    content: [
      {
        type: 'text',
        text: 'The operation could not run. The sign-in is no longer valid: the user must sign in again.',
      },
    ],
    structuredContent: { code: 'UNAUTHENTICATED' },
  });
});
