// The trusted operations as MCP tools, through the MCP SDK's own client against a started stack:
// what a citizen and an agent are offered, a citizen's profile and an idempotent case, the
// protected-resource metadata and the tokens it refuses, and one audit record per call.
import { Writable } from 'node:stream';
import request from 'supertest';
import { useLogDestination } from '../../lib/observability/log.js';
import { agentHeaders, loginAs } from '../client.js';
import { startGateway, startStack, type Stack } from '../harness.js';
import { callTool, mcpClient } from './mcp-client.js';

const lines: Array<Record<string, any>> = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const l of chunk.toString().split('\n')) if (l.trim()) lines.push(JSON.parse(l));
    done();
  },
});
const audits = () => lines.filter((l) => l.event === 'mcp_tool_call');

let stack: Stack;
type Citizen = Stack['emulator']['core']['world']['citizens'][number];
let A: Citizen;
let asA: Record<string, string>;
let asAgent: Record<string, string>;

beforeAll(async () => {
  useLogDestination(sink, 'info');
  stack = await startStack({ citizens: 50 });
  const { world } = stack.emulator.core;
  A = world.citizens[3];
  asA = await loginAs(stack, A.username, world.citizenPassword);
  asAgent = await agentHeaders(stack);
});
afterAll(async () => {
  await stack.stop();
  useLogDestination(new Writable({ write: (_c, _e, d) => d() }), 'silent');
});

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'raw', version: '1' },
  },
};
const postMcp = (url: string, headers: Record<string, string>) =>
  request(url)
    .post('/mcp')
    .set({ accept: 'application/json, text/event-stream', ...headers })
    .send(INITIALIZE);

describe('tools/list', () => {
  test('a citizen is offered their own tools, none taking whose data it is', async () => {
    await using client = await mcpClient(stack, asA);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      'Viewer',
      'CitizenProfile',
      'CaseWithCitizen',
      'CreateCase',
      'AddCaseComment',
      'Products',
      'AddCartItem',
    ]);
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(byName.CitizenProfile.inputSchema).toEqual({
      type: 'object',
      properties: {},
      additionalProperties: false,
    });
    // The case is the citizen's own: no contactId; the key is optional (generated).
    const input = byName.CreateCase.inputSchema.properties!.input as Record<string, any>;
    expect(Object.keys(input.properties)).toEqual([
      'idempotencyKey',
      'subject',
      'description',
      'priority',
    ]);
    expect(input.required).toEqual(['subject']);
    expect(input.properties.priority).toEqual({
      type: 'string',
      enum: ['HIGH', 'MEDIUM', 'LOW'],
      default: 'MEDIUM',
    });
    expect(input.additionalProperties).toBe(false);
    // No schema of a citizen's tool names a person (CaseWithCitizen's `id` is a case's).
    const names = JSON.stringify(tools.map((t) => t.inputSchema));
    expect(names).not.toMatch(/contactId|unifiedId|commerceCustomerId|citizenId/);
  });

  test('an agent is offered the agent tools, and says which citizen it acts on', async () => {
    await using client = await mcpClient(stack, asAgent);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      'CitizenProfile',
      'CaseWithCitizen',
      'CreateCase',
      'AddCaseComment',
      'Products',
      'SegmentMembers',
    ]);
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(byName.CitizenProfile.inputSchema.required).toEqual(['id']);
    expect((byName.CitizenProfile.inputSchema.properties!.id as any).description).toBe(
      '`Query.citizen(id:)`: A unified citizen by Data Cloud unified individual id. Null when there is none (or you may not see it).',
    );
    const input = byName.CreateCase.inputSchema.properties!.input as Record<string, any>;
    expect(input.required).toEqual(['subject', 'contactId']);
    expect(input.properties.contactId.description).toBe(
      'Whose case it is. Citizens may leave it out (their own); agents must give it.',
    );
  });

  test('each tool states its Salesforce calls; writes say how to retry them', async () => {
    await using client = await mcpClient(stack, asAgent);
    const byName = Object.fromEntries((await client.listTools()).tools.map((t) => [t.name, t]));
    const segment = byName.SegmentMembers;
    expect(segment.annotations).toEqual({
      title: 'Segment Members',
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
    const one = segment._meta!['c360/estimatedSalesforceCalls'] as number;
    const ten = segment._meta!['c360/estimatedSalesforceCallsAt10'] as number;
    expect(ten).toBeGreaterThan(one);
    expect(segment.description).toContain(
      `Estimated Salesforce calls: ${one} with one item, ${ten} with 10 (it grows with the list sizes you ask for); a call estimated above 600 is refused.`,
    );
    const createCase = byName.CreateCase;
    expect(createCase.annotations).toEqual({
      title: 'Create Case',
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: false,
    });
    expect(createCase._meta!['c360/idempotencyKey']).toBe('input.idempotencyKey');
    expect(
      (createCase.inputSchema.properties!.input as any).properties.idempotencyKey.description,
    ).toMatch(/the tool generates one and returns it.*same key never writes twice/);
  });
});

describe('a citizen calls their tools', () => {
  test('their profile: their own, with its Salesforce calls', async () => {
    await using client = await mcpClient(stack, asA);
    const res = await callTool(client, 'CitizenProfile');
    expect(res.isError).toBeUndefined();
    const body = res.structuredContent!;
    expect(body.data.citizen.id).toBe(A.unifiedId);
    expect(body.data.citizen.email).toBe(A.email);
    expect(body.userErrors).toEqual([]);
    expect(Object.keys(body.salesforceCalls).sort()).toEqual(['crm', 'datacloud', 'scapi']);
    // The text block is the same JSON, and nothing in it is the token.
    expect(JSON.parse((res.content[0] as { text: string }).text)).toEqual(body);
    expect(JSON.stringify(res)).not.toContain(asA.authorization.slice(7));
  });

  test('a case opened, then retried with the returned key: one case', async () => {
    await using client = await mcpClient(stack, asA);
    const cases = () => stack.emulator.core.sobjects.findBy('Case', 'ContactId', A.contactId);
    const before = cases().length;
    const first = await callTool(client, 'CreateCase', {
      input: { subject: 'Pothole on Main St', priority: 'HIGH' },
    });
    expect(first.isError).toBeUndefined();
    const key = first.structuredContent!.idempotencyKey as string;
    expect(key).toMatch(/^mcp-[0-9a-f-]{36}$/);
    const opened = first.structuredContent!.data.createCase.case;
    expect(opened).toMatchObject({ subject: 'Pothole on Main St', status: 'NEW' });
    const retry = await callTool(client, 'CreateCase', {
      input: { subject: 'Pothole on Main St', priority: 'HIGH', idempotencyKey: key },
    });
    expect(retry.structuredContent!.data.createCase.case).toEqual(opened);
    expect(retry.structuredContent!.idempotencyKey).toBe(key);
    expect(cases().length).toBe(before + 1);
    expect(cases().filter((c) => c.Id === opened.id)).toHaveLength(1);
  });

  test('a write whose key is null gets a generated one; its retry adds the item once', async () => {
    await using client = await mcpClient(stack, asA);
    const first = await callTool(client, 'AddCartItem', {
      input: { productId: 'licence-dog-annual', quantity: 1, idempotencyKey: null },
    });
    expect(first.isError).toBeUndefined();
    const key = first.structuredContent!.idempotencyKey as string;
    expect(key).toMatch(/^mcp-[0-9a-f-]{36}$/);
    const quantity = (r: typeof first) =>
      (r.structuredContent!.data.addCartItem.cart.items as Array<any>).find(
        (i) => i.product.id === 'licence-dog-annual',
      ).quantity;
    const retry = await callTool(client, 'AddCartItem', {
      input: { productId: 'licence-dog-annual', quantity: 1, idempotencyKey: key },
    });
    expect(quantity(retry)).toBe(quantity(first));
  });

  test('a failing Salesforce family: a tool error with the partial data and what to do', async () => {
    await using client = await mcpClient(stack, asA);
    const fault = stack.emulator.faults.add({ kind: 'status', family: 'scapi', status: 503 });
    try {
      const res = await callTool(client, 'CitizenProfile');
      expect(res.isError).toBe(true);
      const body = res.structuredContent!;
      // Data Cloud and CRM answered; the Commerce fields are null with a typed error.
      expect(body.data.citizen.id).toBe(A.unifiedId);
      expect(body.data.citizen.cart).toBeNull();
      expect(body.errors.map((e: { code: string }) => e.code)).toContain('UPSTREAM_UNAVAILABLE');
      expect((res.content[0] as { text: string }).text).toMatch(
        /^Partial result: .* A Salesforce service is unavailable: retry in a minute \(a write with the same idempotencyKey\); any data shown may be partial\.\n\{/,
      );
    } finally {
      stack.emulator.faults.remove(fault.id);
    }
  });

  test('an operation that is not a tool cannot be called', async () => {
    await using client = await mcpClient(stack, asA);
    stack.emulator.log.reset();
    for (const name of ['Login', 'Checkout', 'CaseUpdated', 'SegmentMembers', 'graphql']) {
      const res = await callTool(client, name, {});
      expect(res).toEqual({
        isError: true,
        content: [
          {
            type: 'text',
            text: `There is no tool named "${name}" for a citizen: call tools/list for the tools you may use.`,
          },
        ],
        structuredContent: { code: 'UNKNOWN_TOOL' },
      });
    }
    expect(stack.emulator.log.countByFamily()).toEqual({});
  });
});

describe('identity', () => {
  test('the protected-resource metadata names the org as the authorization server', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]) {
      const res = await request(stack.gatewayUrl).get(path);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        resource: `${stack.gatewayUrl}/mcp`,
        authorization_servers: [stack.env.IDENTITY_SITE_URL],
        bearer_methods_supported: ['header'],
        scopes_supported: ['api'],
        resource_name: 'Customer 360 graph: trusted operations as MCP tools',
      });
    }
  });

  const refused = (description: string) =>
    `Bearer error="invalid_token", error_description="${description}", resource_metadata="${stack.gatewayUrl}/.well-known/oauth-protected-resource/mcp"`;

  test('no token, or a forged one: 401 pointing at the metadata', async () => {
    const none = await postMcp(stack.gatewayUrl, {});
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe(refused('Missing Authorization header'));
    const forged = await postMcp(stack.gatewayUrl, { authorization: 'Bearer 00Dforged!token' });
    expect(forged.status).toBe(401);
    expect(forged.headers['www-authenticate']).toBe(
      refused('The access token is invalid, expired or revoked.'),
    );
    // The SDK's client fails to connect with the same token.
    await expect(mcpClient(stack, { authorization: 'Bearer 00Dforged!token' })).rejects.toThrow();
  });

  test('an expired token: 401', async () => {
    const { world, tokens } = stack.emulator.core;
    const B = world.citizens[5];
    const asB = await loginAs(stack, B.username, world.citizenPassword);
    const record = tokens.lookup(asB.authorization.slice(7))!;
    record.expiresAt = record.issuedAt; // its hour has passed
    const res = await postMcp(stack.gatewayUrl, asB);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      refused('The access token is invalid, expired or revoked.'),
    );
  });

  test("a token of a connected app that is not this server's audience: 401", async () => {
    // A gateway whose MCP audience is the integration app only: the portal's citizen token is
    // valid for /graphql there, and refused at /mcp.
    await using only = await startGateway(
      { ...stack.env, MCP_CLIENT_IDS: stack.emulator.core.world.integration.clientId },
      stack.subgraphUrls,
    );
    const res = await postMcp(only.url, asA);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      `Bearer error="invalid_token", error_description="The token was not issued for this resource: its connected app may not use the MCP server.", resource_metadata="${only.url}/.well-known/oauth-protected-resource/mcp"`,
    );
    const graphql = await request(only.url)
      .post('/graphql')
      .set(asA)
      .send({ query: '{ viewer { citizen { id } } }' });
    expect(graphql.body).toEqual({ data: { viewer: { citizen: { id: A.unifiedId } } } });
    expect((await postMcp(only.url, asAgent)).status).toBe(200);
  });
});

test('every tool call leaves one audit record and counts in the per-tool metrics', async () => {
  await using client = await mcpClient(stack, asA);
  lines.length = 0;
  await callTool(client, 'Viewer');
  await callTool(client, 'NoSuchTool');
  await callTool(client, 'CaseWithCitizen', { id: { $gt: '' } });
  const records = audits();
  expect(records).toHaveLength(3);
  const [viewer, unknown, bad] = records;
  expect(viewer).toMatchObject({
    event: 'mcp_tool_call',
    principal: { kind: 'citizen', userId: A.userId },
    clientId: stack.emulator.core.world.portalApp.clientId,
    tool: 'Viewer',
    operation: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    estimatedCalls: 5,
    outcome: 'ok',
  });
  expect(viewer.records).toContain(A.unifiedId);
  expect(Object.values(viewer.salesforceCalls as Record<string, number>).every((n) => n > 0)).toBe(
    true,
  );
  expect(unknown).toMatchObject({ tool: 'unknown', outcome: 'refused', code: 'UNKNOWN_TOOL' });
  expect(bad).toMatchObject({
    tool: 'CaseWithCitizen',
    outcome: 'refused',
    code: 'BAD_ARGUMENTS',
    salesforceCalls: {},
  });
  // Nothing that grants access or names the person in words.
  const text = JSON.stringify(records);
  expect(text).not.toContain(asA.authorization.slice(7));
  expect(text).not.toContain(A.username);
  expect(text).not.toContain(A.email);
  const metrics = (await request(stack.gatewayUrl).get('/metrics')).text;
  expect(metrics).toMatch(/mcp_tool_calls_total\{tool="Viewer",outcome="ok",service="gateway"\} 1/);
  expect(metrics).toMatch(
    /mcp_tool_calls_total\{tool="unknown",outcome="refused",service="gateway"\} \d+/,
  );
  expect(metrics).toMatch(
    /mcp_tool_salesforce_calls_total\{tool="Viewer",family="datacloud",service="gateway"\} \d+/,
  );
});
