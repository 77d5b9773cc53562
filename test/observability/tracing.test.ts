// One CitizenProfile is one trace: the gateway's request span, @apollo/gateway's plan and fetch
// spans, a span per subgraph request and a span per Salesforce call — and the Salesforce spans
// are exactly the calls the emulator logged.
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { traceTo } from '../../lib/observability/tracing.js';
import { startStack, type Stack } from '../harness.js';
import { gql, loginAs } from '../client.js';
import { operation } from '../operations.js';

const exporter = new InMemorySpanExporter();
let stop: () => Promise<void>;
let stack: Stack;
beforeAll(async () => {
  stop = traceTo(exporter);
  stack = await startStack();
});
afterAll(async () => {
  await stack.stop();
  await stop();
});

test('a CitizenProfile request is one trace whose Salesforce spans match the emulator log', async () => {
  const A = stack.emulator.core.world.citizens[2];
  const asA = await loginAs(stack, A.username, stack.emulator.core.world.citizenPassword);
  exporter.reset();
  stack.emulator.log.reset();
  const { body } = await gql(stack, operation('citizen-profile'), { id: A.unifiedId }, asA);
  expect(body.errors).toBeUndefined();
  // Spans end as responses finish; the HTTP response has been read, so all are in.
  const spans = exporter.getFinishedSpans();
  const traces = new Set(spans.map((s) => s.spanContext().traceId));
  expect(traces.size).toBe(1);

  const names = spans.map((s) => s.name);
  expect(names).toContain('POST gateway');
  expect(names).toEqual(
    expect.arrayContaining(['gateway.request', 'gateway.plan', 'gateway.fetch']),
  );
  const subgraphSpans = spans.filter((s) => /^POST (customer|case|commerce|session)$/.test(s.name));
  expect(new Set(subgraphSpans.map((s) => s.name))).toEqual(
    new Set(['POST customer', 'POST case', 'POST commerce', 'POST session']),
  );

  const upstream = spans.filter((s) => s.attributes['c360.upstream.family']);
  const byFamily = (list: Array<{ family: string }>) =>
    list.reduce<Record<string, number>>(
      (m, x) => ({ ...m, [x.family]: (m[x.family] ?? 0) + 1 }),
      {},
    );
  expect(
    byFamily(upstream.map((s) => ({ family: String(s.attributes['c360.upstream.family']) }))),
  ).toEqual(byFamily(stack.emulator.log.list()));
  for (const s of upstream) {
    expect(s.attributes['http.response.status_code']).toBe(200);
    expect(String(s.attributes['c360.upstream.endpoint'])).toMatch(/^\//);
  }

  // Every subgraph span hangs under a gateway.fetch span; every Salesforce span under a subgraph
  // span or (the token check) under the gateway's request span.
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  const parentName = (s: ReadableSpan) => byId.get(s.parentSpanId ?? '')?.name;
  for (const s of subgraphSpans) expect(parentName(s)).toBe('gateway.fetch');
  for (const s of upstream)
    expect(parentName(s)).toMatch(/^POST (gateway|customer|case|commerce|session)$/);
});
