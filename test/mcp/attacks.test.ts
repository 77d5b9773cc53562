// The MCP tools under attack, through the MCP SDK's own client: a citizen reaching for another
// citizen through every tool argument, hostile arguments, and an agent loop spending its MCP
// budget. Every refusal is a tool error saying what to do, and costs no Salesforce call
// (counted in the emulator's call log).
import request from 'supertest';
import { print } from 'graphql';
import { SegmentMembersDocument } from '../../gql/graphql.js';
import { agentHeaders, loginAs } from '../client.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGateway } from '../../gateway/server.js';
import { loadGatewayConfig } from '../../gateway/config.js';
import { InMemoryRateLimiter } from '../../lib/rate-limit.js';
import { listen } from '../../lib/http.js';
import { startStack, type Stack } from '../harness.js';
import { callTool, mcpClient } from './mcp-client.js';

let stack: Stack;
type Citizen = Stack['emulator']['core']['world']['citizens'][number];
let A: Citizen;
let B: Citizen;
let bCaseId: string;
let asA: Record<string, string>;
let asAgent: Record<string, string>;

beforeAll(async () => {
  stack = await startStack({ citizens: 50 });
  const { world, sobjects } = stack.emulator.core;
  A = world.citizens[3];
  // B: another citizen with a case.
  B = world.citizens.find(
    (c) => c !== A && sobjects.findBy('Case', 'ContactId', c.contactId).length > 0,
  )!;
  bCaseId = sobjects.findBy('Case', 'ContactId', B.contactId)[0].Id as string;
  asA = await loginAs(stack, A.username, world.citizenPassword);
  asAgent = await agentHeaders(stack);
});
afterAll(() => stack.stop());

/** A refusal as the model reads it: the tool error's text and code, nothing else. */
const refusal = (code: string, text: string) => ({
  isError: true,
  content: [{ type: 'text', text }],
  structuredContent: { code },
});

test('a citizen cannot reach another citizen through any tool argument', async () => {
  await using client = await mcpClient(stack, asA);
  await client.listTools(); // the token validated once (Identity), then from the caches
  const { sobjects } = stack.emulator.core;
  const bCases = sobjects.findBy('Case', 'ContactId', B.contactId).length;
  const bComments = sobjects.findBy('CaseComment', 'ParentId', bCaseId).length;
  stack.emulator.log.reset();

  // Whose data it is is never an argument: refused before anything runs.
  expect(await callTool(client, 'CitizenProfile', { id: B.unifiedId })).toEqual(
    refusal(
      'BAD_ARGUMENTS',
      'Unknown argument(s): id. This tool acts for the signed-in citizen: leave out whose data it is. The input schema lists what it takes.',
    ),
  );
  expect(
    await callTool(client, 'CreateCase', { input: { subject: 'x', contactId: B.contactId } }),
  ).toEqual(
    refusal(
      'BAD_ARGUMENTS',
      'Unknown argument(s): input.contactId. This tool acts for the signed-in citizen: leave out whose data it is. The input schema lists what it takes.',
    ),
  );
  expect(await callTool(client, 'Viewer', { id: B.unifiedId })).toEqual(
    refusal('BAD_ARGUMENTS', 'Unknown argument(s): id. The input schema lists what it takes.'),
  );
  expect(
    await callTool(client, 'AddCartItem', {
      input: { productId: 'P1', commerceCustomerId: B.commerceCustomerId },
    }),
  ).toEqual(
    refusal(
      'BAD_ARGUMENTS',
      'Invalid arguments: input: Field "commerceCustomerId" is not defined by type "AddCartItemInput". Fix them and call again.',
    ),
  );
  expect(
    await callTool(client, 'SegmentMembers', { apiName: 'High_Engagement', first: 5 }),
  ).toEqual(
    refusal(
      'UNKNOWN_TOOL',
      'There is no tool named "SegmentMembers" for a citizen: call tools/list for the tools you may use.',
    ),
  );
  expect(stack.emulator.log.countByFamily()).toEqual({});

  // Record ids the model may give: B's case is as if it did not exist.
  const kase = await callTool(client, 'CaseWithCitizen', { id: bCaseId });
  expect(kase.isError).toBeUndefined();
  expect(kase.structuredContent!.data).toEqual({ case: null });
  const comment = await callTool(client, 'AddCaseComment', {
    input: { caseId: bCaseId, body: 'mine now' },
  });
  expect(comment.structuredContent!.data.addCaseComment.comment).toBeNull();
  expect(comment.structuredContent!.userErrors).toEqual([
    { code: 'NOT_FOUND', field: ['input', 'caseId'], message: 'There is no such case.' },
  ]);
  expect(sobjects.findBy('Case', 'ContactId', B.contactId)).toHaveLength(bCases);
  expect(sobjects.findBy('CaseComment', 'ParentId', bCaseId)).toHaveLength(bComments);
});

describe('hostile arguments: a clear tool error, no Salesforce call', () => {
  let client: Awaited<ReturnType<typeof mcpClient>>;
  beforeAll(async () => {
    client = await mcpClient(stack, asAgent);
    await client.listTools();
  });
  afterAll(() => client.close());
  beforeEach(() => stack.emulator.log.reset());
  afterEach(() => expect(stack.emulator.log.countByFamily()).toEqual({}));

  test('oversized arguments', async () => {
    const res = await callTool(client, 'CreateCase', {
      input: { subject: 'x'.repeat(20_000), contactId: A.contactId },
    });
    expect(res).toEqual(
      refusal(
        'ARGUMENTS_TOO_LARGE',
        'The arguments are 20057 bytes of JSON; at most 8192 are accepted. Send shorter values.',
      ),
    );
  });

  test('wrong types', async () => {
    const res = await callTool(client, 'SegmentMembers', { apiName: 5, first: 'ten' });
    expect(res).toEqual(
      refusal(
        'BAD_ARGUMENTS',
        'Invalid arguments: apiName: String cannot represent a non string value: 5 first: Int cannot represent non-integer value: "ten" Fix them and call again.',
      ),
    );
  });

  test('names an object inherits are unknown arguments like any other', async () => {
    const res = await callTool(client, 'SegmentMembers', {
      apiName: 'High_Engagement',
      first: 1,
      toString: 'x',
      constructor: 1,
    });
    expect(res).toEqual(
      refusal(
        'BAD_ARGUMENTS',
        'Unknown argument(s): toString, constructor. The input schema lists what it takes.',
      ),
    );
  });

  test('unknown tools', async () => {
    expect(await callTool(client, 'query', { query: '{ __schema { types { name } } }' })).toEqual(
      refusal(
        'UNKNOWN_TOOL',
        'There is no tool named "query" for an agent: call tools/list for the tools you may use.',
      ),
    );
  });

  test("an agent's write that does not say which citizen it is for", async () => {
    expect(await callTool(client, 'CreateCase', { input: { subject: 'Graffiti' } })).toEqual(
      refusal(
        'BAD_ARGUMENTS',
        'Missing argument(s): input.contactId — say which citizen this is for.',
      ),
    );
  });

  test('a call whose operation would exceed MAX_UPSTREAM_CALLS', async () => {
    const res = await callTool(client, 'SegmentMembers', {
      apiName: 'High_Engagement',
      first: 5000,
    });
    expect(res.isError).toBe(true);
    expect(res.structuredContent).toEqual({ code: 'COST_LIMIT_EXCEEDED' });
    expect((res.content[0] as { text: string }).text).toMatch(
      /^This call could cost about \d+ Salesforce API calls; one call may cost at most 600\. Ask for fewer items \(a smaller first, fewer ids\)\.$/,
    );
  });
});

test("an agent's loop is refused once its MCP budget is spent; its interactive budget is apart", async () => {
  await using probe = await mcpClient(stack, asAgent);
  const segment = (await probe.listTools()).tools.find((t) => t.name === 'SegmentMembers')!;
  const perCall = segment._meta!['c360/estimatedSalesforceCalls'] as number;
  // Room for two calls, not three, in a minute that does not pass (the limiter's clock is fixed).
  const gateway = await createGateway({
    ...loadGatewayConfig({
      ...stack.env,
      MCP_UPSTREAM_CALLS_PER_MINUTE_AGENT: String(3 * perCall - 1),
    }),
    subgraphUrls: stack.subgraphUrls,
    supergraphSdl: readFileSync(join(__dirname, '../../schema/supergraph.graphql'), 'utf8'),
    mcpLimiter: new InMemoryRateLimiter({}, () => 1_000_000),
  });
  await using http = Object.assign(await listen(gateway.app), {
    [Symbol.asyncDispose]: async () => {
      await gateway.stop();
      await http.close();
    },
  });
  const url = http.url;
  await using client = await mcpClient({ ...stack, gatewayUrl: url }, asAgent);
  const args = { apiName: 'High_Engagement', first: 1 };
  for (let i = 0; i < 2; i++) {
    const ok = await callTool(client, 'SegmentMembers', args);
    expect(ok.isError).toBeUndefined();
    expect(ok.structuredContent!.data.segment.apiName).toBe('High_Engagement');
  }
  stack.emulator.log.reset();
  const spent = await callTool(client, 'SegmentMembers', args);
  expect(spent.isError).toBe(true);
  expect(spent.structuredContent).toEqual({ code: 'MCP_BUDGET_EXHAUSTED' });
  expect((spent.content[0] as { text: string }).text).toMatch(
    new RegExp(
      `^The MCP budget of ${3 * perCall - 1} Salesforce calls per minute for this agent is spent \\(this call needs about ${perCall}\\)\\. Wait 60 seconds before calling again, and ask for fewer items\\.$`,
    ),
  );
  expect(stack.emulator.log.countByFamily()).toEqual({});
  // The same agent's interactive requests spend the interactive budget, not the MCP one.
  const graphql = await request(url)
    .post('/graphql')
    .set(asAgent)
    .send({ query: print(SegmentMembersDocument), variables: args });
  expect(graphql.body.data.segment.apiName).toBe('High_Engagement');
});
