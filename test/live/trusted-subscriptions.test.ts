// Subscriptions on a gateway that runs trusted documents only (TRUSTED_DOCUMENTS_ONLY=true): the
// manifest's CaseUpdated runs — by documentId over WebSocket, by its exact text over SSE — and
// each event's case, with the customer subgraph's citizen.displayName, is resolved in-process
// through the gateway's pipeline (a loopback query would be a raw document, refused here). A
// document that is not in the manifest is refused on both transports before it runs.
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { startStack, type Stack } from '../harness.js';
import { liveKit, until, withoutProbes } from './live-kit.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    citizens: 60,
    live: { recheckMs: 200 },
    env: { TRUSTED_DOCUMENTS_ONLY: 'true' },
  });
}, 60_000);
const live = liveKit(
  () => stack,
  // Signing in is a persisted document here too (the manifest's Login, by id).
  async (username, password) => {
    const res = await request(stack.gatewayUrl)
      .post('/graphql')
      .send({ documentId: byPrefix('mutation Login(')[0], variables: { username, password } });
    return { authorization: `Bearer ${res.body.data.login.session.accessToken}` };
  },
);
afterEach(() => live.closeAll());
afterAll(() => stack.stop());

const manifest = JSON.parse(
  readFileSync(new URL('../../gql/persisted-documents.json', import.meta.url), 'utf8'),
) as Record<string, string>;
const byPrefix = (prefix: string) =>
  Object.entries(manifest).find(([, text]) => text.startsWith(prefix))!;
const [caseUpdatedId, caseUpdatedText] = byPrefix('subscription CaseUpdated(');

test('the trusted CaseUpdated runs by documentId over WebSocket and by its text over SSE; events carry the cross-subgraph field', async () => {
  const a = await live.citizenWithCase(0);
  const b = await live.citizenWithCase(1);
  const ws = live.overWs(a.authorization, {
    query: '',
    variables: { id: a.caseId },
    extensions: { documentId: caseUpdatedId },
  });
  const sse = live.overSse(b.authorization, { query: caseUpdatedText, variables: { id: null } });
  await live.probeLive(ws, a.caseId);
  await live.probeLive(sse, b.caseId);
  const aStatus = live.otherStatus(a.caseId);
  const bStatus = live.otherStatus(b.caseId);
  await live.crm('PATCH', `/sobjects/Case/${a.caseId}`, { Status: aStatus });
  await live.crm('PATCH', `/sobjects/Case/${b.caseId}`, { Status: bStatus });
  await until(
    () => withoutProbes(ws.results).length === 1 && withoutProbes(sse.results).length === 1,
  );
  await live.drained(ws, a.caseId);
  await live.drained(sse, b.caseId);
  expect(ws.errors).toEqual([]);
  expect(withoutProbes(ws.results)).toEqual([
    {
      data: {
        caseUpdated: {
          kind: 'STATUS_CHANGED',
          changedFields: ['status', 'updatedAt'],
          case: {
            id: a.caseId,
            caseNumber: expect.any(String),
            status: aStatus.toUpperCase(),
            citizen: { displayName: a.displayName },
          },
        },
      },
    },
  ]);
  expect(withoutProbes(sse.results)).toEqual([
    {
      data: {
        caseUpdated: expect.objectContaining({
          kind: 'STATUS_CHANGED',
          case: expect.objectContaining({
            id: b.caseId,
            citizen: { displayName: b.displayName },
          }),
        }),
      },
    },
  ]);
});

test('a document not in the manifest is refused over WebSocket and SSE; an unknown documentId too', async () => {
  const a = await live.citizenWithCase(2);
  const raw = 'subscription { caseUpdated { kind } }';
  const ws = live.overWs(a.authorization, { query: raw });
  const unknown = live.overWs(a.authorization, {
    query: '',
    extensions: { documentId: `sha256:${'0'.repeat(64)}` },
  });
  await until(() => ws.errors.length === 1 && unknown.errors.length === 1);
  const codes = (e: unknown) =>
    (e as Array<{ extensions?: { code?: string } }>).map((x) => x.extensions?.code);
  expect(codes(ws.errors[0])).toEqual(['PERSISTED_QUERY_REQUIRED']);
  expect(codes(unknown.errors[0])).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  // SSE: refused with HTTP 400 and the same code before any stream opens.
  const sse = await fetch(`${stack.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: {
      accept: 'text/event-stream',
      'content-type': 'application/json',
      authorization: a.authorization,
    },
    body: JSON.stringify({ query: raw }),
    signal: AbortSignal.timeout(5000),
  });
  expect(sse.status).toBe(400);
  expect(((await sse.json()) as { errors: unknown }).errors).toEqual([
    expect.objectContaining({ extensions: { code: 'PERSISTED_QUERY_REQUIRED' } }),
  ]);
});
