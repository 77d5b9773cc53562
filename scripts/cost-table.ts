// npm run cost:table — prints the README's table: for each canonical operation, Salesforce calls
// per API family (warm token caches) — Data Cloud split by API, since each has its own allowance:
// Data Graph, Query, Profile (tenant endpoint) and Connect /ssot (core org) — and the sequential
// upstream hops on its critical path.
// Hops are measured, not assumed: every emulator call is held by the `settle` fault until no call
// has arrived for HOP_LATENCY_MS (test/support/hops.ts), so each wave is answered together, and the
// longest chain of calls that each started after the previous one ended is the critical path.
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import * as ops from '../gql/graphql.js';
import { startStack } from '../test/harness.js';
import { criticalPathHops, HOP_LATENCY_MS } from '../test/support/hops.js';

const stack = await startStack({ citizens: 600 });
const { world, sobjects } = stack.emulator.core;
const post = async (
  doc: TypedDocumentNode<any, any> | string,
  variables: object,
  headers: Record<string, string>,
) => {
  const res = await fetch(`${stack.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: typeof doc === 'string' ? doc : print(doc), variables }),
  });
  return (await res.json()) as { data?: any; errors?: unknown[] };
};
const tokenRes = await fetch(`${stack.env.CRM_LOGIN_URL}/services/oauth2/token`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: world.integration.clientId,
    client_secret: world.integration.clientSecret,
  }),
});
const agent = {
  authorization: `Bearer ${((await tokenRes.json()) as { access_token: string }).access_token}`,
};
const login = await post(
  ops.LoginDocument,
  { username: world.citizens[1].username, password: world.citizenPassword },
  {},
);
const citizen = { authorization: `Bearer ${login.data.login.session.accessToken}` };
const caseId =
  sobjects.findBy('Case', 'ContactId', world.citizens[3].contactId)[0]?.Id ??
  [...sobjects.all('Case')][0].Id;

const rows: Array<[string, string, TypedDocumentNode<any, any>, object, Record<string, string>]> = [
  [
    'CitizenProfile',
    'agent',
    ops.CitizenProfileDocument,
    { id: world.citizens[0].unifiedId },
    agent,
  ],
  [
    'CitizenProfile',
    'citizen (own)',
    ops.CitizenProfileDocument,
    { id: world.citizens[1].unifiedId },
    citizen,
  ],
  ['CaseWithCitizen', 'agent', ops.CaseWithCitizenDocument, { id: caseId }, agent],
  [
    'SegmentMembers (first: 10)',
    'agent',
    ops.SegmentMembersDocument,
    { apiName: 'High_Engagement', first: 10 },
    agent,
  ],
  [
    'SegmentMembers (first: 100)',
    'agent',
    ops.SegmentMembersDocument,
    { apiName: 'High_Engagement', first: 100 },
    agent,
  ],
  ['Viewer', 'citizen', ops.ViewerDocument, {}, citizen],
  [
    'Products (2 ids)',
    'anonymous',
    ops.ProductsDocument,
    { ids: ['permit-building-residential', 'licence-dog-annual'] },
    {},
  ],
];

stack.emulator.faults.add({ kind: 'settle', latencyMs: HOP_LATENCY_MS });
/** Data Cloud calls by API: each draws on its own allowance (emulator/data-cloud/limits.ts). */
const DATA_CLOUD_APIS: Array<[string, RegExp]> = [
  ['Data Graph', /^\/api\/v1\/dataGraph\//],
  ['Query', /^\/api\/v\d+\/query/],
  ['Profile', /^\/api\/v1\/profile\//],
  ['Connect', /\/ssot\//],
];
console.log(
  `| operation | as | ${DATA_CLOUD_APIS.map(([n]) => n).join(' | ')} | CRM | SCAPI | Identity | hops |`,
);
console.log(`|---|---|${DATA_CLOUD_APIS.map(() => '---|').join('')}---|---|---|---|`);
for (const [name, who, doc, vars, headers] of rows) {
  await post(doc, vars, headers); // warm token caches
  stack.emulator.log.reset();
  const res = await post(doc, vars, headers);
  if (res.errors) console.error(name, JSON.stringify(res.errors));
  const calls = stack.emulator.log.list();
  const n = (f: string) => calls.filter((c) => c.family === f).length;
  const dc = calls.filter((c) => c.family === 'datacloud');
  const byApi = DATA_CLOUD_APIS.map(([, re]) => dc.filter((c) => re.test(c.path)).length);
  const other = dc.length - byApi.reduce((a, b) => a + b, 0);
  if (other) console.error(name, `${other} Data Cloud calls of no listed API`);
  const hops = criticalPathHops(calls);
  console.log(
    `| ${name} | ${who} | ${byApi.join(' | ')} | ${n('crm')} | ${n('scapi')} | ${n('identity')} | ${hops} |`,
  );
}
await stack.stop();
process.exit(0);
