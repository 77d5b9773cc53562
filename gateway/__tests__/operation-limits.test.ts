// The one analysis every request gets (operation-limits.ts): linear in the document whatever it
// expands to, counted in walk steps (never timed), and refusals that name their limit.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  getIntrospectionQuery,
  parse,
  visit,
  Kind,
  type DocumentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { analyzeOperation, type OperationLimits } from '../operation-limits.js';
import { costModelFromSupergraph } from '../query-cost.js';
import { analyseDefer, initialDocument, fragmentDocument } from '../defer/deferred-operation.js';
import { loadGatewayConfig } from '../config.js';

const schema = buildSchema(
  readFileSync(join(__dirname, '../../schema/api-schema.graphql'), 'utf8'),
);
const model = costModelFromSupergraph(
  readFileSync(join(__dirname, '../../schema/supergraph.graphql'), 'utf8'),
);
/** The defaults a deployment gets (MAX_QUERY_SELECTIONS 2000, depth 12, aliases 15, …). */
const limits: OperationLimits = loadGatewayConfig({}).limits;
const analyze = (query: string, variables: Record<string, unknown> = {}) =>
  analyzeOperation(parse(query), { limits, variables, cost: { schema, model } });

/** Finding 1's document: k sibling spreads of the next fragment, n fragments deep. */
function fanOut(k: number, n: number, last = '__typename', spread = '') {
  let q = 'query{...F0}';
  for (let i = 0; i < n; i++)
    q += ` fragment F${i} on Query{${Array(k)
      .fill(`...F${i + 1}${spread}`)
      .join(' ')}}`;
  return q + ` fragment F${n} on Query{${last}}`;
}

/** Selection nodes written in the document (its own size, not its expansion). */
function writtenSelections(doc: DocumentNode) {
  let n = 0;
  visit(doc, { SelectionSet: (s) => void (n += s.selections.length) });
  return n;
}

test('the defaults: 2000 expanded selections, 200 fields per set, depth 12, 15 aliases, 50 directives, 600 calls', () => {
  expect(limits).toMatchObject({
    maxSelections: 2000,
    maxFieldsPerSet: 200,
    maxDepth: 12,
    maxAliases: 15,
    maxDirectives: 50,
    maxUpstreamCalls: 600,
  });
});

describe('fragment fan-out (finding 1) is refused after one step per written selection', () => {
  test.each([
    [70, 4],
    [200, 4],
    [35, 4],
  ])('k=%i n=%i', (k, n) => {
    const q = fanOut(k, n);
    const r = analyze(q);
    // k⁴ expanded spreads plus the last fragment's field, saturating far above the limit.
    expect(r.selections).toBeGreaterThan(k ** n);
    expect(r.refusal?.message).toBe(
      `The operation selects ${r.selections} fields and fragments once its fragments are expanded; the limit is 2000 (MAX_QUERY_SELECTIONS).`,
    );
    expect(r.refusal?.extensions).toEqual({
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit: 'MAX_QUERY_SELECTIONS',
      max: 2000,
      found: r.selections,
      http: { status: 400 },
    });
    // Each selection the document spells out is visited once: k·n + 2, not kⁿ.
    expect(r.steps).toBe(writtenSelections(parse(q)));
    expect(r.steps).toBe(k * n + 2);
  });

  test('the same with @defer on every spread', () => {
    const r = analyze(fanOut(35, 4, '__typename', ' @defer'));
    expect(r.refusal?.extensions?.limit).toBe('MAX_QUERY_SELECTIONS');
    expect(r.steps).toBe(35 * 4 + 2);
    expect(r.directives).toBeGreaterThan(35 ** 4);
  });

  test('the count saturates instead of overflowing (k=200, 60 deep)', () => {
    const r = analyze(fanOut(200, 60));
    expect(r.selections).toBe(1e15);
    expect(Number.isFinite(r.selections)).toBe(true);
    expect(r.steps).toBe(200 * 60 + 2);
  });

  test('every definition is bounded, not only the operation that runs (validation walks them all)', () => {
    const fan = fanOut(70, 4).replace('query{...F0}', '');
    const small = 'query Small { __typename }';
    const refused = (query: string, operationName?: string) =>
      analyzeOperation(parse(query), { limits, operationName }).refusal?.extensions?.limit;
    // The small operation named to run, the fan-out in another operation beside it.
    expect(refused(`${small} query Big { ...F0 } ${fan}`, 'Small')).toBe('MAX_QUERY_SELECTIONS');
    // Two operations and no name (Apollo would refuse it, but only after validating both).
    expect(refused(`${small} query Big { ...F0 } ${fan}`)).toBe('MAX_QUERY_SELECTIONS');
    // The fan-out in fragments that no operation spreads.
    expect(refused(`${small} ${fan}`, 'Small')).toBe('MAX_QUERY_SELECTIONS');
    expect(refused(`${small} fragment F on Query { __typename }`, 'Small')).toBeUndefined();
  });

  test('a fragment cycle counts nothing more and does not loop (validation refuses it)', () => {
    const r = analyze('query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }');
    expect(r.refusal).toBeUndefined();
    // Three written selections, once for the shape and once for the estimate.
    expect(r.steps).toBe(2 * 3);
  });
});

describe('the estimate costs each fragment once and multiplies it', () => {
  test('a fragment spread k times costs k times, in one walk of it', () => {
    const one = analyze(
      '{ viewer { session { ...S } } } fragment S on Session { expiresAt userId }',
    );
    const many = analyze(
      `{ viewer { session { ${Array(8).fill('...S').join(' ')} } } } fragment S on Session { expiresAt userId }`,
    );
    // viewer 1 + session 1 + an introspection per selected expiresAt.
    expect(one.estimate).toBe(3);
    expect(many.estimate).toBe(10);
    expect(many.steps - one.steps).toBe(2 * 7);
  });

  test('within the selection limit, a fan-out is estimated in steps linear in the document', () => {
    const q = fanOut(6, 4, 'viewer { session { expiresAt } }');
    const r = analyze(q);
    // 6 + 36 + 216 + 1296 spreads and 1296 × 3 fields of F4: over 2000, refused; 4⁴ fits.
    expect(r.refusal?.extensions?.limit).toBe('MAX_QUERY_SELECTIONS');
    // Its 256 `viewer` fields merge into one set: past MAX_QUERY_FIELDS_PER_SET (200) already,
    // raised here to reach the estimate.
    const ok = analyzeOperation(parse(fanOut(4, 4, 'viewer { session { expiresAt } }')), {
      limits: { ...limits, maxFieldsPerSet: 256 },
      cost: { schema, model },
    });
    expect(
      analyze(fanOut(4, 4, 'viewer { session { expiresAt } }')).refusal?.extensions?.limit,
    ).toBe('MAX_QUERY_FIELDS_PER_SET');
    expect(ok.selections).toBe(1 + 4 + 16 + 64 + 256 * 4);
    expect(ok.refusal?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
    // 256 viewers × (viewer + session + expiresAt).
    expect(ok.estimate).toBe(256 * 3);
    // The shape pass and the cost pass each visit the 20 written selections once.
    expect(ok.steps).toBe(2 * (1 + 4 * 4 + 3));
  });
});

describe('limits name themselves', () => {
  test('depth', () => {
    const deep = `{ citizen(id: "x") { segments { members { edges { node { segments { members { edges { node { segments { members { edges { node { id } } } } } } } } } } } } } }`;
    expect(analyze(deep).refusal?.message).toBe(
      'The operation nests fields 14 deep; the limit is 12 (MAX_QUERY_DEPTH).',
    );
  });

  test('aliases, counted through fragments (__typename aliases are free)', () => {
    const q = `{ ...A ...A t: __typename } fragment A on Query { ${Array.from({ length: 8 }, (_, i) => `a${i}: product(id: "p") { id }`).join(' ')} }`;
    expect(analyze(q).refusal?.message).toBe(
      'The operation uses 16 aliases; the limit is 15 (MAX_QUERY_ALIASES).',
    );
  });

  test('directives', () => {
    const q = `{ ${Array.from({ length: 51 }, () => '__typename @include(if: true)').join(' ')} }`;
    expect(analyze(q).refusal?.message).toBe(
      'The operation uses 51 directives; the limit is 50 (MAX_QUERY_DIRECTIVES).',
    );
  });

  test('cost (finding 7: segments × members × cart and two pages of orders)', () => {
    const r = analyze(
      `{ citizen(id: "x") { segments { members(first: 100) { edges { node { cart { id } orders(first: 100) { totalCount } } } } } } }`,
    );
    expect(r.estimate).toBe(3012);
    expect(r.refusal?.extensions).toEqual({
      code: 'COST_LIMIT_EXCEEDED',
      estimatedUpstreamCalls: r.estimate,
      limit: 600,
      http: { status: 400 },
    });
  });
});

describe('@defer expansion shares fragments (finding 2)', () => {
  /** Distinct selection sets reachable from the expanded operation (its memory), and paths. */
  function measure(set: SelectionSetNode) {
    const distinct = new Set<SelectionSetNode>();
    let paths = 0;
    const walk = (s: SelectionSetNode) => {
      distinct.add(s);
      for (const sel of s.selections) {
        paths++;
        if (sel.kind !== Kind.FRAGMENT_SPREAD && sel.selectionSet) walk(sel.selectionSet);
      }
    };
    walk(set);
    return { distinct: distinct.size, paths };
  }

  test('a fragment without @defer is expanded once however often it is spread', () => {
    // Within the limit: 6 spreads of F1, each 6 of F2, each 6 of F3 — 259 selections.
    const q = `query { ...F0 @defer(label: "later") } ${fanOut(6, 3).replace('query{...F0}', '')}`;
    const doc = parse(q);
    // (Its 216 `__typename` merge into one set: MAX_QUERY_FIELDS_PER_SET raised for the test.)
    expect(
      analyzeOperation(doc, { limits: { ...limits, maxFieldsPerSet: 216 } }).refusal,
    ).toBeUndefined();
    const d = analyseDefer(doc, undefined, {})!;
    const { distinct, paths } = measure(d.operation.selectionSet);
    expect(paths).toBe(1 + 6 + 36 + 216 + 216);
    // The operation's set, the deferred F0 copy, and F1, F2, F3 once each.
    expect(distinct).toBe(5);
    // The parts still say the same as without sharing.
    expect(d.fragments).toHaveLength(1);
    const setOf = (doc: DocumentNode) =>
      (doc.definitions[0] as OperationDefinitionNode).selectionSet;
    expect(measure(setOf(initialDocument(d))).paths).toBe(0);
    expect(measure(setOf(fragmentDocument(d, d.fragments[0]))).paths).toBe(paths);
  });

  test('a fragment with @defer inside is its own part at each place it is spread', () => {
    const q = `{ a: viewer { ...V } b: viewer { ...V } } fragment V on Viewer { session { userId } ... @defer(label: "exp") { session { expiresAt } } }`;
    const d = analyseDefer(parse(q), undefined, {})!;
    expect(d.fragments.map((f) => f.path)).toEqual([['a'], ['b']]);
    expect(d.fragments[0].node).not.toBe(d.fragments[1].node);
  });
});

describe('introspection and the depth limit', () => {
  test("the tools' introspection query (ofType 15 deep) counts as depth 1, its selections in full", () => {
    const r = analyze(
      getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true }),
    );
    expect(r.refusal).toBeUndefined();
    expect(r.depth).toBe(1);
    expect(r.selections).toBeGreaterThan(200);
  });

  test('an inline fragment or a named fragment on a __ type is flat; elsewhere depth counts', () => {
    const deep = 'a { b { c { d { e { f { g { h { i { j { k { l { m { n } } } } } } } } } } } } }';
    const inline = analyze(`{ __type(name: "Citizen") { ... on __Type { ${deep} } } }`);
    expect(inline.depth).toBe(1);
    const named = analyze(`{ ...T } fragment T on __Type { ${deep} }`);
    expect(named.depth).toBe(0);
    const ours = analyze(`{ ...Q } fragment Q on Query { ${deep} }`);
    expect(ours.depth).toBe(14);
    expect(ours.refusal?.extensions.limit).toBe('MAX_QUERY_DEPTH');
    // Typeless inline fragments keep counting.
    expect(analyze(`{ ... { ${deep} } }`).depth).toBe(14);
  });
});

describe('which operation, and fragment cycles', () => {
  const two = `query Cheap { __typename } query Dear { segment(apiName: "s") { members(first: 100) { edges { node { cart { id } } } } } }`;
  test('the estimate is of the operation named, or none when the name is not in the document', () => {
    const run = (operationName?: string) =>
      analyzeOperation(parse(two), { limits, operationName, cost: { schema, model } });
    expect(run('Cheap').estimate).toBe(0);
    expect(run('Dear').estimate).toBeGreaterThan(100);
    expect(run('Other').operation).toBeUndefined();
    expect(run('Other').estimate).toBeUndefined();
    // Two operations and no name: none runs (graphql-js asks for the name).
    expect(run().operation).toBeUndefined();
  });

  test('a fragment cycle ends the walk (validation refuses it) instead of recursing for ever', () => {
    const r = analyze(
      '{ ...A } fragment A on Query { __typename ...B } fragment B on Query { ...A }',
    );
    expect(r.refusal).toBeUndefined();
    expect(r.steps).toBeLessThan(20);
  });
});

describe('each limit is a maximum: at it passes, one above is refused with its name', () => {
  const small: OperationLimits = {
    maxSelections: 6,
    maxFieldsPerSet: 6,
    maxDepth: 3,
    maxAliases: 2,
    maxDirectives: 2,
    maxUpstreamCalls: 2,
  };
  const run = (query: string) =>
    analyzeOperation(parse(query), { limits: small, cost: { schema, model } });
  const refusal = (query: string) => {
    const r = run(query).refusal;
    return r && { message: r.message, ...r.extensions };
  };

  test('depth', () => {
    expect(refusal('{ viewer { citizen { id } } }')).toBeUndefined();
    expect(refusal('{ viewer { citizen { cases { totalCount } } } }')).toMatchObject({
      limit: 'MAX_QUERY_DEPTH',
      max: 3,
      found: 4,
    });
  });

  test('aliases', () => {
    expect(refusal('{ a: __schema { b: description } }')).toBeUndefined();
    expect(refusal('{ a: __schema { b: description c: description } }')).toMatchObject({
      limit: 'MAX_QUERY_ALIASES',
      max: 2,
      found: 3,
    });
  });

  test('directives', () => {
    expect(
      refusal('{ __typename @skip(if: false) __schema @include(if: true) { description } }'),
    ).toBeUndefined();
    expect(
      refusal(
        '{ __typename @skip(if: false) @skip(if: false) __schema @include(if: true) { description } }',
      ),
    ).toMatchObject({ limit: 'MAX_QUERY_DIRECTIVES', max: 2, found: 3 });
  });

  test('selections', () => {
    expect(
      refusal(
        '{ a: __typename b: __typename c: __typename d: __typename e: __typename f: __typename }',
      ),
    ).toBeUndefined();
    expect(
      refusal(
        '{ a: __typename b: __typename c: __typename d: __typename e: __typename f: __typename g: __typename }',
      ),
    ).toMatchObject({ limit: 'MAX_QUERY_SELECTIONS', max: 6, found: 7 });
  });

  test('fields per set, fragments merged in (each limit above this one is wider)', () => {
    const wide = (query: string) => {
      const r = analyzeOperation(parse(query), {
        limits: { ...small, maxSelections: 100, maxDepth: 10, maxFieldsPerSet: 4 },
      });
      return { fieldsPerSet: r.fieldsPerSet, limit: r.refusal?.extensions?.limit };
    };
    // Four in one set, whichever way they are written: at the limit.
    expect(wide('{ __typename __typename __typename __typename }')).toEqual({
      fieldsPerSet: 4,
      limit: undefined,
    });
    expect(
      wide(
        '{ __typename ...F ... on Query { __typename } } fragment F on Query { a: __typename b: __typename }',
      ),
    ).toEqual({ fieldsPerSet: 4, limit: undefined });
    // Five: refused, by a spread fragment or an inline one, and in a nested set too.
    expect(wide('{ __typename ...F ...F } fragment F on Query { __typename __typename }')).toEqual({
      fieldsPerSet: 5,
      limit: 'MAX_QUERY_FIELDS_PER_SET',
    });
    expect(
      wide(
        '{ __schema { ... on __Schema { description description description } description description } }',
      ),
    ).toEqual({ fieldsPerSet: 5, limit: 'MAX_QUERY_FIELDS_PER_SET' });
    // Sets side by side are not one set: 4 + 4 in two sets passes.
    expect(
      wide(
        '{ __schema { description description description description } __type(name: "Q") { name name name name } }',
      ),
    ).toEqual({ fieldsPerSet: 4, limit: undefined });
  });

  test('a flood of 1,500 repeated fields under the token limit: refused by the analysis, in steps linear in it', () => {
    const flood = `{ ${Array(1500).fill('__typename').join(' ')} }`;
    const r = analyzeOperation(parse(flood, { maxTokens: 2000 }), { limits });
    expect(r.refusal?.message).toBe(
      'One selection set of the operation holds 1500 fields once its fragments are merged into it; the limit is 200 (MAX_QUERY_FIELDS_PER_SET).',
    );
    expect(r.refusal?.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit: 'MAX_QUERY_FIELDS_PER_SET',
      max: 200,
      found: 1500,
    });
    expect(r.steps).toBe(1500);
    // Spread through a fragment 30 × 50 times: the same count, without the expansion.
    const fifty = Array(50).fill('__typename').join(' ');
    const spread = `{ ${Array(30).fill('...F').join(' ')} } fragment F on Query { ${fifty} }`;
    const s = analyzeOperation(parse(spread), { limits });
    expect(s.refusal?.extensions).toMatchObject({ limit: 'MAX_QUERY_FIELDS_PER_SET', found: 1500 });
    expect(s.steps).toBeLessThan(100);
  });

  test('estimated calls', () => {
    // citizen 1 + cases 1 = 2: at the limit; + cart 1 = 3: refused, saying how much.
    expect(run('{ citizen(id: "x") { cases { totalCount } } }').estimate).toBe(2);
    expect(refusal('{ citizen(id: "x") { cases { totalCount } } }')).toBeUndefined();
    expect(refusal('{ citizen(id: "x") { cases { totalCount } cart { id } } }')).toEqual({
      message:
        'This query could cost about 3 Salesforce API calls; the limit is 2. Ask for fewer items.',
      code: 'COST_LIMIT_EXCEEDED',
      estimatedUpstreamCalls: 3,
      limit: 2,
      http: { status: 400 },
    });
  });

  test('a single named operation runs without its name being given', () => {
    expect(run('query Only { citizen(id: "x") { cases { totalCount } } }').estimate).toBe(2);
  });

  test('a fragment cycle is summarised as nothing where it closes', () => {
    const r = run('{ ...A } fragment A on Query { __typename ...B } fragment B on Query { ...A }');
    expect(r.selections).toBe(4);
    expect(r.depth).toBe(1);
  });
});
