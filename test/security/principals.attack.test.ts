// The gateway→subgraph principal as an attacker who captured one would use it, straight at each
// subgraph: against another subgraph, with another body, after it expired, or on a subscription
// that outlives it; and each subgraph's own request limits, which hold without the gateway.
import request from 'supertest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startEmulator, startStack, TEST_PRINCIPAL_SECRET, type Stack } from '../harness.js';
import { gatewayRequest as signedRequest } from '../support/principals.js';
import { PRINCIPAL_HEADER, signPrincipal, type Principal } from '../../lib/principal.js';
import { listen } from '../../lib/http.js';
import { createCaseServer } from '../../subgraphs/case/server.js';
import { loadCaseConfig } from '../../subgraphs/case/config.js';
import { DEFAULT_SUBGRAPH_LIMITS, type SubgraphWebSocket } from '../../lib/subgraph-server.js';
import { readFileSync } from 'node:fs';
import { waitFor } from '../support/wait-for.js';
import { buildSchema, parse } from 'graphql';
import {
  checkLiveOperation,
  runLiveOperation,
} from '../../gateway/subscriptions/live-operation.js';
import { liveRoutes } from '../../gateway/subscriptions/routes.js';

/** Resolves once `done()` holds: waits on a state, not a time (bounded by the test budget). */
const until = (done: () => boolean) => waitFor(done, { what: 'the subgraph WebSocket connection' });

const SUBGRAPHS = ['customer', 'case', 'commerce', 'session'] as const;
/** A body and its headers as the gateway sends them to `subgraph`. */
const gatewayRequest = (
  principal: Principal,
  subgraph: string,
  body: unknown,
  o: { now?: () => number } = {},
) => signedRequest(principal, subgraph, body, { secret: TEST_PRINCIPAL_SECRET, ...o });
const agent: Principal = { kind: 'agent', clientId: 'attack-test' };
const TYPENAME = { query: '{ __typename }' };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

const UNAUTHENTICATED = {
  errors: [
    { message: 'A valid gateway principal is required.', extensions: { code: 'UNAUTHENTICATED' } },
  ],
};

/** Posts `body` (as sent) to `subgraph` with `principal` as its principal header. */
const post = (subgraph: string, body: string, principal: string) =>
  request(stack.subgraphUrls[subgraph])
    .post('')
    .set('content-type', 'application/json')
    .set(PRINCIPAL_HEADER, principal)
    .send(body);

describe('a captured principal cannot be replayed', () => {
  test.each(SUBGRAPHS)('%s accepts the principal signed for it and this body', async (name) => {
    const s = gatewayRequest(agent, name, TYPENAME);
    const res = await post(name, s.body, s.headers[PRINCIPAL_HEADER]);
    expect([res.status, res.body]).toEqual([200, { data: { __typename: 'Query' } }]);
  });

  test.each(SUBGRAPHS.filter((s) => s !== 'case'))(
    'a principal signed for case is refused by %s (401)',
    async (name) => {
      const s = gatewayRequest(agent, 'case', TYPENAME);
      const res = await post(name, s.body, s.headers[PRINCIPAL_HEADER]);
      expect([res.status, res.body]).toEqual([401, UNAUTHENTICATED]);
    },
  );

  test.each(SUBGRAPHS)(
    '%s refuses a principal replayed with another body (401), before any Salesforce call',
    async (name) => {
      const s = gatewayRequest(agent, name, TYPENAME);
      stack.emulator.log.reset();
      const other = JSON.stringify({
        query: `query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }`,
        variables: { r: [{ __typename: 'Citizen', contactId: '003000000000001AAA' }] },
      });
      const res = await post(name, other, s.headers[PRINCIPAL_HEADER]);
      expect([res.status, res.body]).toEqual([401, UNAUTHENTICATED]);
      // Same bytes re-serialised differently are another body too.
      const spaced = await post(
        name,
        JSON.stringify(TYPENAME, null, 1),
        s.headers[PRINCIPAL_HEADER],
      );
      expect(spaced.status).toBe(401);
      expect(stack.emulator.log.list()).toEqual([]);
    },
  );

  test.each(SUBGRAPHS)('%s refuses an expired principal (401)', async (name) => {
    // Signed on a clock 10 s behind: its 5 s life is over whenever this runs.
    const s = gatewayRequest(agent, name, TYPENAME, { now: () => Date.now() - 10_000 });
    const res = await post(name, s.body, s.headers[PRINCIPAL_HEADER]);
    expect([res.status, res.body]).toEqual([401, UNAUTHENTICATED]);
  });

  test.each(SUBGRAPHS)("%s refuses a subscription's principal on a request (401)", async (name) => {
    const live = signPrincipal(agent, TEST_PRINCIPAL_SECRET, {
      audience: name,
      subscription: true,
    });
    const res = await post(name, JSON.stringify(TYPENAME), live);
    expect(res.status).toBe(401);
  });

  test.each(SUBGRAPHS)('%s refuses a GET (no body to be bound to)', async (name) => {
    const s = gatewayRequest(agent, name, TYPENAME);
    const res = await request(stack.subgraphUrls[name])
      .get('')
      .query({ query: '{ __typename }' })
      .set(PRINCIPAL_HEADER, s.headers[PRINCIPAL_HEADER]);
    expect(res.status).toBe(401);
  });
});

describe("each subgraph's own limits, straight at it", () => {
  const L = DEFAULT_SUBGRAPH_LIMITS;
  const send = (name: string, body: unknown, principal: Principal = agent) => {
    const s = gatewayRequest(principal, name, body);
    return post(name, s.body, s.headers[PRINCIPAL_HEADER]);
  };
  const codes = (b: { errors?: Array<{ extensions?: { code?: string } }> }) =>
    b.errors?.map((e) => e.extensions?.code);

  test.each(SUBGRAPHS)(
    `%s: more than ${L.maxAliases} aliases → 400, no Salesforce call`,
    async (name) => {
      stack.emulator.log.reset();
      const q = `{ ${Array.from({ length: L.maxAliases + 1 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
      const res = await send(name, { query: q });
      expect(res.status).toBe(400);
      expect(res.body.data).toBeUndefined();
      expect(codes(res.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(stack.emulator.log.list()).toEqual([]);
    },
  );

  test.each(SUBGRAPHS)(`%s: deeper than ${L.maxDepth} → 400`, async (name) => {
    // __schema { types { fields { type { ofType { ofType … } } } } } nests as deep as asked.
    let inner = 'name';
    for (let i = 0; i < L.maxDepth; i++) inner = `ofType { ${inner} }`;
    const res = await send(name, {
      query: `{ __schema { types { fields { type { ${inner} } } } } }`,
    });
    expect(res.status).toBe(400);
    expect(codes(res.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  test.each(SUBGRAPHS)(
    `%s: more than ${L.maxTokens} tokens → 400, parsing stops there`,
    async (name) => {
      const res = await send(name, { query: `{ ${'__typename '.repeat(L.maxTokens)} }` });
      expect(res.status).toBe(400);
      expect(codes(res.body)).toEqual(['GRAPHQL_PARSE_FAILED']);
    },
  );

  test.each(SUBGRAPHS)(`%s: a body over ${L.maxBodyBytes} bytes → 413 unread`, async (name) => {
    const res = await send(name, { query: '{ __typename }', pad: 'x'.repeat(L.maxBodyBytes) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      errors: [{ message: 'Request body is too large.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  const products = (n: number) => ({
    query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id } } }`,
    variables: {
      r: Array.from({ length: n }, (_, i) => ({ __typename: 'Product', id: `p-${i}` })),
    },
  });

  test(`commerce: an anonymous _entities of 100 Products → 400 before any SCAPI call`, async () => {
    stack.emulator.log.reset();
    const res = await send('commerce', products(100), { kind: 'anonymous' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [
        {
          message: `This request asks for 100 entities; the limit is ${L.maxEntitiesAnonymous}.`,
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
    expect(stack.emulator.log.list({ family: 'scapi' })).toEqual([]);
  });

  test('commerce: aliases do not multiply the entity limit', async () => {
    const half = Math.ceil((L.maxEntitiesAnonymous + 1) / 2);
    const reps = Array.from({ length: half }, (_, i) => ({ __typename: 'Product', id: `p-${i}` }));
    stack.emulator.log.reset();
    const res = await send(
      'commerce',
      {
        query: `query ($r: [_Any!]!) { a: _entities(representations: $r) { __typename } b: _entities(representations: $r) { __typename } }`,
        variables: { r: reps },
      },
      { kind: 'anonymous' },
    );
    expect(res.status).toBe(400);
    expect(stack.emulator.log.list({ family: 'scapi' })).toEqual([]);
  });

  test(`commerce: an agent's _entities above ${L.maxEntities} → 400; within the anonymous limit it runs`, async () => {
    const over = await send('commerce', products(L.maxEntities + 1));
    expect(over.status).toBe(400);
    const within = await send('commerce', products(L.maxEntitiesAnonymous), { kind: 'anonymous' });
    expect(within.status).toBe(200);
    expect(within.body.data._entities).toHaveLength(L.maxEntitiesAnonymous);
  });
});

describe('a subscription ends with its principal', () => {
  // The case subgraph on its own, its principals checked against a clock the test moves.
  let now = Date.now();
  let wsUrl: string;
  let ws: SubgraphWebSocket;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    const upstream = await startEmulator({ citizens: 20 });
    const server = await createCaseServer(
      loadCaseConfig({ ...upstream.env, PRINCIPAL_SECRET: TEST_PRINCIPAL_SECRET }),
      { now: () => now },
    );
    const http = await listen(server.app);
    ws = server.attachWebSocket(http.server);
    wsUrl = `${http.url.replace(/^http/, 'ws')}/graphql`;
    stop = async () => {
      await ws.close();
      await server.stop();
      await http.close();
      await upstream.stop();
    };
  });
  afterAll(() => stop());

  const connect = (principal: () => string) => {
    const client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: () => ({ [PRINCIPAL_HEADER]: principal() }),
      onNonLazyError: () => undefined,
    });
    const closed = new Promise<number>((r) =>
      client.on('closed', (e) => r((e as { code: number }).code)),
    );
    const connected = new Promise<void>((r) => client.on('connected', () => r()));
    return { client, closed, connected };
  };

  test('the case subgraph closes the connection (4403) when the principal expires (injected clock)', async () => {
    const c = connect(() =>
      signPrincipal(agent, TEST_PRINCIPAL_SECRET, {
        audience: 'case',
        subscription: true,
        ttlSeconds: 60,
        now: () => now,
      }),
    );
    await c.connected;
    // Still alive a second before it expires: nothing is closed.
    now += 59_000;
    expect(ws.closeExpired()).toBe(0);
    now += 1_000;
    expect(ws.closeExpired()).toBe(1);
    expect(await c.closed).toBe(4403);
    await c.client.dispose();
  });

  test("the gateway's upstream subscription connects again with a fresh principal when its expires", async () => {
    now = Date.now();
    const schema = buildSchema(
      readFileSync(new URL('../../schema/api-schema.graphql', import.meta.url), 'utf8'),
    );
    const deps = {
      schema,
      resolvePrincipal: async () => agent,
      subgraphWsUrls: { case: wsUrl },
      routes: liveRoutes(
        schema,
        readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'),
      ),
      principalSecret: TEST_PRINCIPAL_SECRET,
      execute: async () => ({ data: { case: null } }),
      recheckMs: 60_000,
    };
    const live = runLiveOperation(
      deps,
      checkLiveOperation(deps, parse('subscription { caseUpdated { kind } }')),
      {},
      'Bearer agent',
      agent,
    );
    try {
      await until(() => ws.connections() === 1);
      // The subgraph's clock passes the principal's 60 s: it is closed (4403) ...
      now = Date.now() + 61_000;
      expect(ws.closeExpired()).toBe(1);
      expect(ws.connections()).toBe(0);
      // ... and the gateway, still subscribed, connects again with a freshly signed one.
      now = Date.now();
      await until(() => ws.connections() === 1);
      expect(ws.connections()).toBe(1);
    } finally {
      await live.return!();
    }
  });

  test('a subscription obeys the same depth/alias limits; a frame over the body limit is refused unread', async () => {
    now = Date.now();
    const c = connect(() =>
      signPrincipal(agent, TEST_PRINCIPAL_SECRET, {
        audience: 'case',
        subscription: true,
        now: () => now,
      }),
    );
    await c.connected;
    const aliases = Array.from(
      { length: DEFAULT_SUBGRAPH_LIMITS.maxAliases + 1 },
      (_, i) => `a${i}: kind`,
    ).join(' ');
    const errors = await new Promise<unknown>((resolve) =>
      c.client.subscribe(
        { query: `subscription { caseUpdated { ${aliases} } }` },
        { next: () => undefined, error: resolve, complete: () => resolve('completed') },
      ),
    );
    expect(JSON.stringify(errors)).toMatch(/[Aa]liases limit/);
    await c.client.dispose();

    const raw = new WebSocket(wsUrl, 'graphql-transport-ws');
    await new Promise((r) => raw.once('open', r));
    const code = new Promise<number>((r) => raw.once('close', (n) => r(n)));
    raw.send('x'.repeat(DEFAULT_SUBGRAPH_LIMITS.maxBodyBytes + 1));
    expect(await code).toBe(1009);
  });

  test("a request's principal, or a subscription's for another subgraph, opens no connection (4403)", async () => {
    for (const principal of [
      signedRequest(agent, 'case', TYPENAME, { secret: TEST_PRINCIPAL_SECRET, now: () => now })
        .headers[PRINCIPAL_HEADER],
      signPrincipal(agent, TEST_PRINCIPAL_SECRET, {
        audience: 'commerce',
        subscription: true,
        now: () => now,
      }),
    ]) {
      const c = connect(() => principal);
      expect(await c.closed).toBe(4403);
      await c.client.dispose();
    }
  });
});
