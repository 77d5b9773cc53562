// The estimate is never below what is spent: operations generated from the API schema (a seeded
// generator, so every run checks the same ones), each estimated by the gateway's analysis
// (gateway/operation-limits.ts, the function the gateway refuses on) and run on the emulator,
// where the subgraphs' cost report (`x-upstream-cost: 1`) says what they called. As in
// estimate-vs-measured.test.ts, each operation runs twice and the second run is measured: the
// estimate counts warm token caches (a cold token is a call the runtime budget still counts).
import { readFileSync } from 'node:fs';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isNonNullType,
  isObjectType,
  parse,
  type GraphQLField,
  type GraphQLObjectType,
} from 'graphql';
import { startStack, type Stack } from '../harness.js';
import { agentHeaders, gql, loginAs } from '../client.js';
import { analyzeOperation } from '../../gateway/operation-limits.js';
import { costModelFromSupergraph } from '../../gateway/query-cost.js';
import { loadGatewayConfig } from '../../gateway/config.js';

const schema = buildSchema(
  readFileSync(new URL('../../schema/api-schema.graphql', import.meta.url), 'utf8'),
);
const model = costModelFromSupergraph(
  readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'),
);
const limits = loadGatewayConfig({}).limits;

/** mulberry32: a small seeded generator, so the operations are the same on every run. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Ids {
  citizens: string[];
  cases: string[];
  products: string[];
  segments: string[];
}

/**
 * Query operations over the whole read graph: random fields (1–3 per object, a scalar where the
 * depth runs out), `first` absent, null, small or past the upstream page (51 for a field with
 * @upstreamPageSize), enum filters, aliases repeating a field with other arguments, and named
 * fragments spread more than once.
 */
function generator(seed: number, ids: Ids) {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  let fragments: string[] = [];
  let aliasN = 0;

  const args = (type: GraphQLObjectType, field: GraphQLField<unknown, unknown>): string => {
    const out: string[] = [];
    const coordinate = `${type.name}.${field.name}`;
    for (const arg of field.args) {
      const required = isNonNullType(arg.type);
      if (type.name === 'Query') {
        if (arg.name === 'id' && field.name === 'citizen') out.push(`id: "${pick(ids.citizens)}"`);
        else if (arg.name === 'id' && field.name === 'case') out.push(`id: "${pick(ids.cases)}"`);
        else if (arg.name === 'id') out.push(`id: "${pick(ids.products)}"`);
        else if (arg.name === 'ids') {
          const n = 1 + Math.floor(rnd() * 3);
          out.push(
            `ids: [${Array.from({ length: n }, () => `"${pick(ids.products)}"`).join(', ')}]`,
          );
        } else if (arg.name === 'apiName') out.push(`apiName: "${pick(ids.segments)}"`);
        continue;
      }
      if (arg.name === 'first') {
        const choices = ['absent', 'null', '1', '3'];
        if (model.pageSizes.has(coordinate)) choices.push('51');
        const c = pick(choices);
        if (c !== 'absent') out.push(`first: ${c}`);
      } else {
        const named = getNamedType(arg.type);
        if (isEnumType(named) && rnd() < 0.3)
          out.push(`${arg.name}: [${pick(named.getValues().map((v) => v.name))}]`);
        else if (required) return 'SKIP';
      }
    }
    return out.length ? `(${out.join(', ')})` : '';
  };

  const selection = (type: GraphQLObjectType, depth: number): string => {
    const fields = Object.values(type.getFields());
    const chosen: string[] = [];
    // A field selected twice with other arguments needs an alias (fields must merge).
    const used = new Set<string>();
    const n = depth <= 0 ? 1 : 1 + Math.floor(rnd() * 3);
    for (let i = 0; i < n * 2 && chosen.length < n; i++) {
      const field = pick(fields);
      const named = getNamedType(field.type);
      const a = args(type, field);
      if (a === 'SKIP') continue;
      if (depth <= 0 && isObjectType(named)) continue;
      // Sometimes the same field again under an alias (another call if it costs per use).
      const alias = used.has(field.name) || rnd() < 0.15 ? `x${aliasN++}: ` : '';
      used.add(field.name);
      if (!isObjectType(named)) {
        chosen.push(`${alias}${field.name}${a}`);
        continue;
      }
      const inner = selection(named, depth - 1);
      if (rnd() < 0.2) {
        const name = `F${fragments.length}`;
        fragments.push(`fragment ${name} on ${named.name} { ${inner} }`);
        const times = 1 + Math.floor(rnd() * 2);
        chosen.push(`${alias}${field.name}${a} { ${Array(times).fill(`...${name}`).join(' ')} }`);
      } else chosen.push(`${alias}${field.name}${a} { ${inner} }`);
    }
    return chosen.length ? chosen.join(' ') : '__typename';
  };

  return (asCitizen: boolean): string => {
    fragments = [];
    const query = schema.getQueryType()!;
    const roots = Object.values(query.getFields()).filter(
      // Segments list other citizens: agents only (a citizen gets FORBIDDEN, and no calls).
      (f) => !(asCitizen && f.name === 'segment'),
    );
    const parts: string[] = [];
    const n = 1 + Math.floor(rnd() * 2);
    for (let i = 0; i < n; i++) {
      const f = pick(roots);
      const named = getNamedType(f.type) as GraphQLObjectType;
      parts.push(`r${i}: ${f.name}${args(query, f)} { ${selection(named, 4)} }`);
    }
    return `query { ${parts.join(' ')} } ${fragments.join(' ')}`.trim();
  };
}

let stack: Stack;
let agent: Record<string, string>;
let citizen: Record<string, string>;
let ids: Ids;
beforeAll(async () => {
  stack = await startStack({ citizens: 60 });
  const world = stack.emulator.core.world;
  agent = await agentHeaders(stack);
  citizen = await loginAs(stack, world.citizens[1].username, world.citizenPassword);
  ids = {
    citizens: world.citizens.slice(0, 8).map((c) => c.unifiedId),
    cases: [...stack.emulator.core.sobjects.all('Case')].slice(0, 4).map((c) => c.Id as string),
    products: ['permit-building-residential', 'licence-dog-annual', 'fee-pool-pass'],
    segments: ['High_Engagement', 'Senior_Services', 'New_Residents'],
  };
});
afterAll(() => stack?.stop());

const OPERATIONS = 200;

test(`estimate ≥ Salesforce calls made, for ${OPERATIONS} generated operations`, async () => {
  const next = generator(21, ids);
  const checked: Array<{ query: string; estimate: number; made: number }> = [];
  const below: typeof checked = [];
  let attempts = 0;
  while (checked.length < OPERATIONS) {
    expect(++attempts).toBeLessThan(OPERATIONS * 3);
    const asCitizen = checked.length % 4 === 3;
    const query = next(asCitizen);
    const analysis = analyzeOperation(parse(query), {
      limits: { ...limits, maxUpstreamCalls: Infinity },
      cost: { schema, model },
    });
    // Within the structural limits, and small enough to run many of (the runtime stays modest).
    if (analysis.refusal || analysis.estimate! > 150) continue;
    const headers = asCitizen ? citizen : agent;
    await gql(stack, query, {}, headers);
    const res = await gql(stack, query, {}, { ...headers, 'x-upstream-cost': '1' });
    expect({ query, status: res.status }).toEqual({ query, status: 200 });
    const report = (res.body.extensions?.upstreamCost ?? {}) as Record<string, { calls: number }>;
    const made = Object.values(report).reduce((n, f) => n + f.calls, 0);
    const entry = { query, estimate: analysis.estimate!, made };
    checked.push(entry);
    if (entry.estimate < made) below.push(entry);
  }
  expect(below).toEqual([]);
  // The generator reaches costly shapes (per-member calls, pages of orders), not only trivial ones.
  expect(checked.filter((c) => c.made >= 3).length).toBeGreaterThanOrEqual(20);
  expect(Math.max(...checked.map((c) => c.made))).toBeGreaterThanOrEqual(20);
}, 300_000);
