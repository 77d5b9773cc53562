// One conformance suite every subgraph runs, straight at the subgraph (no gateway in front):
// the rules each must keep on its own — a principal signed for it and this body, errors masked,
// /healthz and /readyz, idempotency keys on keyed mutations, `first` bounds on connections,
// `_service { sdl }` equal to its schema files, and its own document limits. What differs between
// subgraphs (which field calls Salesforce, which mutations are keyed, which connections page) is
// the profile each test/conformance/<name>.conformance.test.ts passes.
import request from 'supertest';
import { Kind, parse, type DocumentNode } from 'graphql';
import type { CitizenIdentity } from '../../emulator/world.js';
import type { Family } from '../../emulator/core/call-log.js';
import { PRINCIPAL_HEADER, signPrincipal, type Principal } from '../../lib/principal.js';
import { DEFAULT_SUBGRAPH_LIMITS } from '../../lib/subgraph-server.js';
import { loadSubgraphTypeDefs } from '../../lib/graphql/subgraph-sdl.js';
import type { SubgraphInfo } from '../../schema/subgraphs.js';
import { TEST_PRINCIPAL_SECRET } from '../harness.js';
import { gatewayRequest } from './principals.js';
import {
  startSubgraphHarness,
  type SubgraphHarness,
  type SubgraphHarnessOptions,
  type SubgraphName,
} from './subgraph-harness.js';

type Variables = Record<string, unknown>;
type Who = (citizen: CitizenIdentity) => Principal;

export interface ConformanceProfile {
  /** A query that calls Salesforce (`family`, on paths containing `path`), to fail it there. */
  upstreamQuery: { as: Who; query: (c: CitizenIdentity) => string; family: Family; path: string };
  /** Connections: a query taking `$first`, and the largest `first` allowed. */
  connections?: Array<{
    name: string;
    as: Who;
    query: (c: CitizenIdentity) => string;
    max: number;
  }>;
  /**
   * Keyed mutations: a mutation taking `$key` (String, or String! when `required`), whose payload
   * selects `userErrors { code field }` under `payload`.
   */
  keyedMutations?: Array<{
    name: string;
    as: Who;
    mutation: string;
    payload: string;
    required: boolean;
    variables?: (c: CitizenIdentity) => Variables;
  }>;
}

export const AGENT: Principal = { kind: 'agent', clientId: 'conformance' };

const UNAUTHENTICATED = {
  errors: [
    { message: 'A valid gateway principal is required.', extensions: { code: 'UNAUTHENTICATED' } },
  ],
};

/** What formatError lets a client see of an upstream failure (lib/errors.ts): nothing more. */
const UPSTREAM_EXTENSION_KEYS = ['code', 'upstream', 'retryAfterSeconds'];

/** Federation's own machinery in a served SDL: directive definitions, _Service, _entities, link__… */
const FEDERATION = /^(@|_|Query\._|federation__|link__)/;

/** Type.field (and Enum.VALUE, field(argument)) coordinates a document defines or extends, ours only. */
function coordinates(doc: DocumentNode): string[] {
  const out = new Set<string>();
  for (const d of doc.definitions) {
    if (!('name' in d) || !d.name) continue;
    if (d.kind === Kind.DIRECTIVE_DEFINITION) {
      out.add(`@${d.name.value}`);
      continue;
    }
    out.add(d.name.value);
    if ('fields' in d)
      for (const f of d.fields ?? []) {
        out.add(`${d.name.value}.${f.name.value}`);
        if ('arguments' in f)
          for (const a of f.arguments ?? [])
            out.add(`${d.name.value}.${f.name.value}(${a.name.value})`);
      }
    if ('values' in d) for (const v of d.values ?? []) out.add(`${d.name.value}.${v.name.value}`);
  }
  return [...out].filter((c) => !FEDERATION.test(c)).sort();
}

/**
 * The conformance suite of subgraph `name`: started (with its emulator) once for the suite by
 * `startSubgraphHarness(name, options)`; `profile` names its upstream query, connections and
 * keyed mutations.
 */
export function describeSubgraphConformance(
  name: SubgraphInfo['name'] & SubgraphName,
  options: SubgraphHarnessOptions,
  profile: ConformanceProfile,
) {
  describe(`${name} subgraph conformance`, () => {
    let h: SubgraphHarness;
    let citizen: CitizenIdentity;
    beforeAll(async () => {
      h = await startSubgraphHarness(name, options);
      citizen = h.emu.core.world.citizens[1];
    });
    afterAll(() => h?.stop());
    beforeEach(() => h.emu.reset());

    const graphql = () => request(h.sub.url).post('/graphql');
    const post = (body: string, principal?: string) => {
      const r = graphql().set('content-type', 'application/json');
      return (principal ? r.set(PRINCIPAL_HEADER, principal) : r).send(body);
    };
    const send = (principal: Principal, body: unknown) => {
      const s = gatewayRequest(principal, name, body, { secret: TEST_PRINCIPAL_SECRET });
      return post(s.body, s.headers[PRINCIPAL_HEADER]);
    };
    const codes = (b: { errors?: Array<{ extensions?: { code?: string } }> }) =>
      b.errors?.map((e) => e.extensions?.code);
    const TYPENAME = { query: '{ __typename }' };

    describe('a principal is required', () => {
      test('the principal signed for it and this body is served', async () => {
        const res = await send(AGENT, TYPENAME);
        expect([res.status, res.body]).toEqual([200, { data: { __typename: 'Query' } }]);
      });

      test.each([
        ['none', () => undefined],
        ['not a token', () => 'not-a-jwt'],
        [
          'signed with another secret',
          () =>
            signPrincipal(AGENT, 'another-secret', {
              audience: name,
              body: JSON.stringify(TYPENAME),
            }),
        ],
        [
          'signed for another subgraph',
          () =>
            signPrincipal(AGENT, TEST_PRINCIPAL_SECRET, {
              audience: name === 'case' ? 'session' : 'case',
              body: JSON.stringify(TYPENAME),
            }),
        ],
        [
          'expired',
          () =>
            signPrincipal(AGENT, TEST_PRINCIPAL_SECRET, {
              audience: name,
              body: JSON.stringify(TYPENAME),
              now: () => Date.now() - 10_000,
            }),
        ],
        [
          "a subscription's",
          () => signPrincipal(AGENT, TEST_PRINCIPAL_SECRET, { audience: name, subscription: true }),
        ],
      ])('%s → 401, before any Salesforce call', async (_what, principal) => {
        const res = await post(JSON.stringify(TYPENAME), principal());
        expect([res.status, res.body]).toEqual([401, UNAUTHENTICATED]);
        expect(h.emu.log.list()).toEqual([]);
      });

      test('replayed with another body → 401, before any Salesforce call', async () => {
        const s = gatewayRequest(AGENT, name, TYPENAME, { secret: TEST_PRINCIPAL_SECRET });
        const other = JSON.stringify({ query: profile.upstreamQuery.query(citizen) });
        const res = await post(other, s.headers[PRINCIPAL_HEADER]);
        expect([res.status, res.body]).toEqual([401, UNAUTHENTICATED]);
        expect((await post(s.body, s.headers[PRINCIPAL_HEADER])).status).toBe(200);
        expect(h.emu.log.list()).toEqual([]);
      });
    });

    describe('errors are masked', () => {
      test('a Salesforce failure is a code and a family: no upstream body, no stack', async () => {
        const { as, query, family, path } = profile.upstreamQuery;
        h.emu.faults.add({ kind: 'status', family, path, status: 500 });
        const res = await send(as(citizen), { query: query(citizen) });
        expect(res.body.errors?.length).toBeGreaterThan(0);
        for (const e of res.body.errors as Array<{ message: string; extensions: Variables }>) {
          expect(e.message).toBe('A Salesforce service is unavailable.');
          expect(e.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: family });
          expect(
            Object.keys(e.extensions).filter((k) => !UPSTREAM_EXTENSION_KEYS.includes(k)),
          ).toEqual([]);
        }
        expect(JSON.stringify(res.body)).not.toMatch(
          /stack|at .+\.ts:\d+|errorCode|UNKNOWN_EXCEPTION/,
        );
        expect(h.emu.log.list({ family }).some((c) => c.status === 500)).toBe(true);
      });

      test('a request it cannot run is a typed 400 without a stack', async () => {
        const res = await send(AGENT, { query: '{ noSuchField }' });
        expect(res.status).toBe(400);
        expect(codes(res.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
        expect(JSON.stringify(res.body)).not.toContain('stacktrace');
      });
    });

    describe('health', () => {
      test('/healthz answers without a principal or Salesforce', async () => {
        const res = await request(h.sub.url).get('/healthz');
        expect([res.status, res.body]).toEqual([200, { status: 'ok', subgraph: name }]);
        expect(h.emu.log.list()).toEqual([]);
      });

      test('/readyz is ready with Salesforce answering', async () => {
        const res = await request(h.sub.url).get('/readyz');
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ status: 'ready', subgraph: name, openCircuits: {} });
      });
    });

    const keyed = profile.keyedMutations ?? [];
    (keyed.length ? describe : describe.skip)('idempotency keys', () => {
      test.each(keyed.map((m) => [m.name, m] as const))(
        '%s: a key outside 8..80 characters is INVALID_IDEMPOTENCY_KEY, before any write',
        async (_n, m) => {
          for (const key of ['short', 'k'.repeat(81)]) {
            h.emu.log.reset();
            const res = await send(m.as(citizen), {
              query: m.mutation,
              variables: { ...m.variables?.(citizen), key },
            });
            expect(res.status).toBe(200);
            expect(res.body.data[m.payload].userErrors).toEqual([
              { code: 'INVALID_IDEMPOTENCY_KEY', field: ['input', 'idempotencyKey'] },
            ]);
            const writes = h.emu.log
              .list()
              .filter((c) => c.method !== 'GET' && !/oauth2|\/auth\//.test(c.path));
            expect(writes).toEqual([]);
          }
        },
      );

      test.each(keyed.filter((m) => m.required).map((m) => [m.name, m] as const))(
        '%s: no key is a typed 400',
        async (_n, m) => {
          const res = await send(m.as(citizen), {
            query: m.mutation,
            variables: { ...m.variables?.(citizen) },
          });
          expect(res.status).toBe(400);
          expect(codes(res.body)).toEqual(['BAD_USER_INPUT']);
          expect(h.emu.log.list()).toEqual([]);
        },
      );
    });

    const connections = profile.connections ?? [];
    (connections.length ? describe : describe.skip)('`first` bounds', () => {
      test.each(connections.map((c) => [c.name, c] as const))(
        '%s: first below 0 or above its max is BAD_USER_INPUT; 0 and the max are served',
        async (_n, c) => {
          const run = (first: number) =>
            send(c.as(citizen), { query: c.query(citizen), variables: { first } });
          for (const first of [-1, c.max + 1]) {
            const res = await run(first);
            expect(codes(res.body)).toEqual(['BAD_USER_INPUT']);
            expect(res.body.errors[0].message).toMatch(/first/);
          }
          for (const first of [0, c.max]) {
            const res = await run(first);
            expect(res.body.errors).toBeUndefined();
          }
        },
      );
    });

    test('`_service { sdl }` is its schema files', async () => {
      const res = await send(AGENT, { query: '{ _service { sdl } }' });
      expect(res.status).toBe(200);
      const served = coordinates(parse(res.body.data._service.sdl));
      expect(served).toEqual(coordinates(loadSubgraphTypeDefs(name)));
    });

    describe('document limits, straight at it', () => {
      const L = DEFAULT_SUBGRAPH_LIMITS;
      test(`more than ${L.maxAliases} aliases → 400, no Salesforce call`, async () => {
        const q = `{ ${Array.from({ length: L.maxAliases + 1 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
        const res = await send(AGENT, { query: q });
        expect([res.status, codes(res.body)]).toEqual([400, ['GRAPHQL_VALIDATION_FAILED']]);
        expect(h.emu.log.list()).toEqual([]);
      });

      test(`deeper than ${L.maxDepth} → 400`, async () => {
        let inner = 'name';
        for (let i = 0; i < L.maxDepth; i++) inner = `ofType { ${inner} }`;
        const res = await send(AGENT, {
          query: `{ __schema { types { fields { type { ${inner} } } } } }`,
        });
        expect([res.status, codes(res.body)]).toEqual([400, ['GRAPHQL_VALIDATION_FAILED']]);
      });

      test(`more than ${L.maxTokens} tokens → 400`, async () => {
        const res = await send(AGENT, { query: `{ ${'__typename '.repeat(L.maxTokens)} }` });
        expect([res.status, codes(res.body)]).toEqual([400, ['GRAPHQL_PARSE_FAILED']]);
      });

      test(`a body over ${L.maxBodyBytes} bytes → 413 unread`, async () => {
        const res = await send(AGENT, { query: '{ __typename }', pad: 'x'.repeat(L.maxBodyBytes) });
        expect(res.status).toBe(413);
        expect(codes(res.body)).toEqual(['BAD_REQUEST']);
      });
    });
  });
}
