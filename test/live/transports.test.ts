// Which transport answers a request on /graphql (gateway/subscriptions/negotiate.ts): queries and
// mutations get the ordinary answer whatever else Accept lists (urql's default Accept names
// text/event-stream); a subscription streams over SSE or Apollo's multipart protocol as the
// client prefers; a subscription sent as a plain request, and an unknown operationName, are 400s
// that say what to do. The wire format of multipart subscriptions: a heartbeat `{}` first, each
// event as `{"payload": …}`, a session that ends as `{"payload": null, "errors": […]}`, then the
// closing boundary.
import request from 'supertest';
import { startStack, type Stack } from '../harness.js';
import { liveKit, until } from './live-kit.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    citizens: 60,
    live: { recheckMs: 200 },
    env: { TOKEN_CACHE_MAX_SECONDS: '1', CORS_ORIGINS: 'http://localhost:5173' },
  });
}, 60_000);
const live = liveKit(() => stack);
afterEach(() => live.closeAll());
afterAll(() => stack.stop());

const URQL_QUERY_ACCEPT =
  'application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed';
const URQL_SUBSCRIPTION_ACCEPT = 'text/event-stream, multipart/mixed';
const APOLLO_SUBSCRIPTION_ACCEPT =
  'multipart/mixed;boundary=graphql;subscriptionSpec=1.0,application/graphql-response+json,application/json;q=0.9';
const SUBSCRIPTION = /* GraphQL */ `
  subscription Live($id: ID) {
    caseUpdated(id: $id) {
      kind
      case {
        id
        status
      }
    }
  }
`;

test('a query is answered as JSON whatever streaming types Accept also lists', async () => {
  for (const accept of [
    URQL_QUERY_ACCEPT,
    'application/json, text/event-stream',
    'text/event-stream;q=0.5, application/json',
    'multipart/mixed;subscriptionSpec=1.0, application/json',
  ]) {
    const res = await request(stack.gatewayUrl)
      .post('/graphql')
      .set('accept', accept)
      .send({ query: 'query Probe { __typename }' });
    expect([accept, res.status, res.headers['content-type']]).toEqual([
      accept,
      200,
      expect.stringMatching(/^application\/(graphql-response\+)?json/),
    ]);
    expect(res.body).toEqual({ data: { __typename: 'Query' } });
  }
});

test('a subscription sent as a plain request is a 400 naming the transports; so is an unknown operationName', async () => {
  const { authorization } = await live.citizenWithCase(0);
  const post = await request(stack.gatewayUrl)
    .post('/graphql')
    .set({ authorization, accept: 'application/json' })
    .send({ query: SUBSCRIPTION });
  const get = await request(stack.gatewayUrl)
    .get('/graphql')
    .query({ query: SUBSCRIPTION })
    .set({ authorization, 'apollo-require-preflight': 'true' });
  for (const res of [post, get]) {
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(res.body.errors[0].message).toMatch(
      /graphql-ws.*text\/event-stream.*subscriptionSpec=1\.0/,
    );
  }
  const unknown = await request(stack.gatewayUrl)
    .post('/graphql')
    .send({ query: 'query A { __typename }', operationName: 'B' });
  expect(unknown.status).toBe(400);
  expect(unknown.body.errors[0]).toMatchObject({
    message: 'Unknown operation named "B".',
    extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
  });
});

/** Reads a streamed response as it arrives. */
async function streamOf(res: Response) {
  const decoder = new TextDecoder();
  let text = '';
  const reader = res.body!.getReader();
  let ended = false;
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return void (ended = true);
      text += decoder.decode(value, { stream: true });
    }
  })();
  return {
    text: () => text,
    ended: () => ended,
    cancel: () => reader.cancel().catch(() => undefined),
  };
}

/** The JSON bodies of the multipart parts received so far. */
const partsOf = (text: string) =>
  text
    .split('\r\n--graphql')
    .slice(1)
    .map((p) => p.slice(p.indexOf('\r\n\r\n') + 4))
    .filter((p) => p.trim() && !p.startsWith('--'))
    .map((p) => JSON.parse(p) as Record<string, unknown>);

test("over multipart HTTP (Apollo Client's Accept): a heartbeat, each event as a payload, the end of the session as a transport error and the closing boundary", async () => {
  const a = await live.citizenWithCase(1);
  const res = await fetch(`${stack.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: {
      authorization: a.authorization,
      accept: APOLLO_SUBSCRIPTION_ACCEPT,
      'content-type': 'application/json',
      origin: 'http://localhost:5173', // a listed browser origin gets the CORS headers
    },
    body: JSON.stringify({ query: SUBSCRIPTION, variables: { id: a.caseId } }),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe(
    'multipart/mixed;boundary="graphql";subscriptionSpec=1.0',
  );
  expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  const body = await streamOf(res);
  await until(() => partsOf(body.text()).length === 1);
  expect(partsOf(body.text())).toEqual([{}]);
  const events = () => partsOf(body.text()).filter((p) => 'payload' in p);
  const written = await live.changeStatusUntil(a.caseId, () => events().length > 0);
  const status = (
    events()[0] as { payload: { data: { caseUpdated: { case: { status: string } } } } }
  ).payload.data.caseUpdated.case.status;
  expect(written.map((w) => w.toUpperCase())).toContain(status);
  expect(events()[0]).toEqual({
    payload: { data: { caseUpdated: { kind: 'STATUS_CHANGED', case: { id: a.caseId, status } } } },
  });
  stack.emulator.core.tokens.revoke(a.authorization.replace(/^Bearer /, ''));
  await until(() => body.ended(), 8000);
  expect(partsOf(body.text()).at(-1)).toEqual({
    payload: null,
    errors: [
      {
        message: 'The session has expired or was revoked.',
        extensions: { code: 'UNAUTHENTICATED' },
      },
    ],
  });
  expect(body.text().endsWith('\r\n--graphql--\r\n')).toBe(true);
});

test("a subscription with urql's Accept (text/event-stream first) streams over SSE", async () => {
  const a = await live.citizenWithCase(2);
  const res = await fetch(`${stack.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: {
      authorization: a.authorization,
      accept: URQL_SUBSCRIPTION_ACCEPT,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ query: SUBSCRIPTION, variables: { id: a.caseId } }),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const body = await streamOf(res);
  const written = await live.changeStatusUntil(a.caseId, () => body.text().includes('event: next'));
  const data = JSON.parse(/event: next\ndata: (.+)\n/.exec(body.text())![1]) as {
    data: { caseUpdated: { case: { status: string } } };
  };
  expect(written.map((w) => w.toUpperCase())).toContain(data.data.caseUpdated.case.status);
  expect(data).toEqual({
    data: {
      caseUpdated: {
        kind: 'STATUS_CHANGED',
        case: { id: a.caseId, status: data.data.caseUpdated.case.status },
      },
    },
  });
  await body.cancel();
});

test('a query sent to graphql-sse (text/event-stream preferred) is one `next` with the ordinary answer, then `complete`', async () => {
  const a = await live.citizenWithCase(3);
  const res = await request(stack.gatewayUrl)
    .post('/graphql')
    .set({ authorization: a.authorization, accept: 'text/event-stream' })
    .send({ query: 'query Me { viewer { citizen { displayName } } }' });
  expect(res.status).toBe(200);
  const events = res.text
    .split('\n\n')
    .filter((e) => e.startsWith('event:'))
    .map((e) => e.split('\n'));
  expect(events).toEqual([
    [
      'event: next',
      `data: ${JSON.stringify({ data: { viewer: { citizen: { displayName: a.displayName } } } })}`,
    ],
    ['event: complete', 'data:'],
  ]);
});
