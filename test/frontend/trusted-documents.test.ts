// Trusted documents through HTTP: the codegen manifest (gql/persisted-documents.json) served by
// documentId and by APQ hash, on the default gateway (any document runs) and on one with
// TRUSTED_DOCUMENTS_ONLY=true (only manifest documents run; the rest is a 400 before parsing).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { gql, startStack, type Stack } from '../harness.js';
import { createGateway, type Gateway } from '../../gateway/server.js';
import { loadGatewayConfig } from '../../gateway/config.js';
import { listen, type Listening } from '../../lib/http.js';
import { ProductsDocument } from '../../gql/graphql.js';

const ROOT = join(__dirname, '..', '..');
const MANIFEST: Record<string, string> = JSON.parse(
  readFileSync(join(ROOT, 'gql', 'persisted-documents.json'), 'utf8'),
);
// The hash codegen embeds in the typed document is the manifest's key.
const PRODUCTS_ID = (ProductsDocument as unknown as { __meta__: { hash: string } }).__meta__.hash;
const PRODUCTS_HEX = PRODUCTS_ID.replace(/^sha256:/, '');
const IDS = ['permit-building-residential', 'permit-electrical'];
const ARBITRARY = '{ products(ids: ["permit-electrical"]) { id } }';
const arbitraryHash = createHash('sha256').update(ARBITRARY).digest('hex');
const expected = { products: IDS.map((id) => expect.objectContaining({ id })) };

let stack: Stack;
let trusted: Gateway;
let trustedHttp: Listening;
beforeAll(async () => {
  stack = await startStack({ citizens: 50 });
  trusted = await createGateway({
    ...loadGatewayConfig(stack.env),
    subgraphUrls: stack.subgraphUrls,
    supergraphSdl: readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8'),
    trustedDocuments: loadGatewayConfig({ TRUSTED_DOCUMENTS_ONLY: 'true' }).trustedDocuments,
  });
  trustedHttp = await listen(trusted.app);
});
afterAll(async () => {
  await trusted?.stop();
  await trustedHttp?.close();
  await stack?.stop();
});

const post = (url: string, body: object, headers: Record<string, string> = {}) =>
  request(url).post('/graphql').set(headers).send(body);
/** What a refusal is as a whole: its HTTP status and its body. */
const answer = (res: { status: number; body: unknown }) => ({ status: res.status, body: res.body });

test('the manifest maps each sha256 to its document, one per canonical operation', () => {
  const operations = readdirSync(join(ROOT, 'test', 'operations')).filter((f) =>
    f.endsWith('.graphql'),
  );
  expect(Object.keys(MANIFEST)).toHaveLength(operations.length);
  for (const [id, doc] of Object.entries(MANIFEST))
    expect(id).toBe(`sha256:${createHash('sha256').update(doc).digest('hex')}`);
  expect(MANIFEST[PRODUCTS_ID]).toMatch(/^query Products\(\$ids: \[ID!\]!\)/);
});

/** The whole answer of a trusted-documents-only gateway to a document that is not in its manifest. */
const TRUSTED_ONLY_REFUSAL = {
  status: 400,
  body: {
    errors: [
      {
        extensions: { code: 'PERSISTED_QUERY_REQUIRED' },
        message:
          'This gateway runs trusted documents only: send the documentId of a persisted document (npm run codegen writes the manifest).',
      },
    ],
  },
};

describe('default gateway: persisted documents and arbitrary documents', () => {
  const url = () => stack.gatewayUrl;

  test('documentId with and without the sha256: prefix (POST)', async () => {
    for (const documentId of [PRODUCTS_ID, PRODUCTS_HEX]) {
      const res = await post(url(), { documentId, variables: { ids: IDS } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: expected });
    }
  });

  test('documentId as a GET parameter (with the preflight header)', async () => {
    const res = await request(url())
      .get('/graphql')
      .query({ documentId: PRODUCTS_ID, variables: JSON.stringify({ ids: IDS }) })
      .set('apollo-require-preflight', 'true');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: expected });
  });

  test('an APQ hash in the manifest runs without registering first', async () => {
    const res = await post(url(), {
      variables: { ids: IDS },
      extensions: { persistedQuery: { version: 1, sha256Hash: PRODUCTS_HEX } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: expected });
  });

  test("Apollo's APQ for any other document: not found, register, then by hash", async () => {
    const apq = { persistedQuery: { version: 1, sha256Hash: arbitraryHash } };
    const miss = await post(url(), { extensions: apq });
    expect(answer(miss)).toMatchInlineSnapshot(`
     {
       "body": {
         "errors": [
           {
             "extensions": {
               "code": "PERSISTED_QUERY_NOT_FOUND",
             },
             "message": "PersistedQueryNotFound",
           },
         ],
       },
       "status": 200,
     }
    `);
    const register = await post(url(), { query: ARBITRARY, extensions: apq });
    expect(register.body).toEqual({ data: { products: [{ id: 'permit-electrical' }] } });
    const hit = await post(url(), { extensions: apq });
    expect(hit.body).toEqual({ data: { products: [{ id: 'permit-electrical' }] } });
  });

  test('an unknown documentId is a 400 PERSISTED_QUERY_NOT_FOUND', async () => {
    const res = await post(url(), { documentId: `sha256:${'0'.repeat(64)}` });
    expect(answer(res)).toMatchInlineSnapshot(`
     {
       "body": {
         "errors": [
           {
             "extensions": {
               "code": "PERSISTED_QUERY_NOT_FOUND",
             },
             "message": "Unknown documentId: it is not in the persisted documents manifest.",
           },
         ],
       },
       "status": 400,
     }
    `);
  });

  test('a stale token on a persisted login runs as anonymous (the decision sees the document)', async () => {
    const login = Object.entries(MANIFEST).find(([, d]) => d.startsWith('mutation Login'))![0];
    const { world } = stack.emulator.core;
    const res = await post(
      url(),
      {
        documentId: login,
        variables: { username: world.citizens[0].username, password: world.citizenPassword },
      },
      { authorization: 'Bearer 00Dstale!AQ4AQexpired' },
    );
    expect(res.status).toBe(200);
    expect(res.body.data.login.userErrors).toEqual([]);
    expect(res.body.extensions).toEqual({ authentication: 'ignored-invalid-token' });
  });
});

describe('TRUSTED_DOCUMENTS_ONLY=true', () => {
  const url = () => trustedHttp.url;

  test('manifest documents run: by documentId, by APQ hash, and as their exact text', async () => {
    for (const body of [
      { documentId: PRODUCTS_ID, variables: { ids: IDS } },
      {
        variables: { ids: IDS },
        extensions: { persistedQuery: { version: 1, sha256Hash: PRODUCTS_HEX } },
      },
      { query: MANIFEST[PRODUCTS_ID], variables: { ids: IDS } },
    ]) {
      const res = await post(url(), body);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: expected });
    }
  });

  test('an arbitrary document is refused with 400 PERSISTED_QUERY_REQUIRED, before any upstream call', async () => {
    stack.emulator.log.reset();
    const text = await post(url(), { query: ARBITRARY });
    expect(answer(text)).toEqual(TRUSTED_ONLY_REFUSAL);
    const refused = answer(text);
    // APQ registration of a document outside the manifest is refused too.
    const register = await post(url(), {
      query: ARBITRARY,
      extensions: { persistedQuery: { version: 1, sha256Hash: arbitraryHash } },
    });
    expect(answer(register)).toEqual(refused);
    const hashOnly = await post(url(), {
      extensions: { persistedQuery: { version: 1, sha256Hash: arbitraryHash } },
    });
    expect(answer(hashOnly)).toMatchInlineSnapshot(`
     {
       "body": {
         "errors": [
           {
             "extensions": {
               "code": "PERSISTED_QUERY_REQUIRED",
             },
             "message": "This gateway runs trusted documents only: the hash is not in the persisted documents manifest.",
           },
         ],
       },
       "status": 400,
     }
    `);
    // The same text reformatted is not the trusted document.
    const reformatted = await post(url(), {
      query: MANIFEST[PRODUCTS_ID].replace('{ ', '{\n'),
      variables: { ids: IDS },
    });
    expect(answer(reformatted)).toEqual(refused);
    // Nor is the typed document as graphql-js prints it: clients send its documentId or hash.
    const printed = await gql(url(), 'anonymous', ProductsDocument, { ids: IDS });
    expect({ status: printed.status, body: printed.body }).toEqual(refused);
    const get = await request(url())
      .get('/graphql')
      .query({ query: '{ __typename }' })
      .set('apollo-require-preflight', 'true');
    expect(answer(get)).toEqual(refused);
    expect(stack.emulator.log.list()).toEqual([]);
  });

  test('the default gateway still runs the same arbitrary document, and the printed typed one', async () => {
    const res = await post(stack.gatewayUrl, { query: ARBITRARY });
    expect(res.body).toEqual({ data: { products: [{ id: 'permit-electrical' }] } });
    const printed = await gql(stack, 'anonymous', ProductsDocument, { ids: IDS });
    expect(printed.status).toBe(200);
    expect(printed.body).toEqual({ data: expected });
  });
});

describe('configuration', () => {
  test('TRUSTED_DOCUMENTS_ONLY is off by default and must be true or false', () => {
    expect(loadGatewayConfig({}).trustedDocuments).toEqual({
      only: false,
      manifestPaths: [],
    });
    expect(
      loadGatewayConfig({
        TRUSTED_DOCUMENTS_ONLY: 'true',
        PERSISTED_DOCUMENTS_PATHS: 'a.json, b.json',
      }).trustedDocuments,
    ).toEqual({ only: true, manifestPaths: ['a.json', 'b.json'] });
    expect(() => loadGatewayConfig({ TRUSTED_DOCUMENTS_ONLY: 'maybe' })).toThrow(
      'TRUSTED_DOCUMENTS_ONLY must be true or false',
    );
  });

  test('trusted-only without its manifest refuses to start', async () => {
    await expect(
      createGateway({
        ...loadGatewayConfig(stack.env),
        subgraphUrls: stack.subgraphUrls,
        supergraphSdl: readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8'),
        trustedDocuments: { only: true, manifestPaths: [join(ROOT, 'no-such-manifest.json')] },
      }),
    ).rejects.toThrow('TRUSTED_DOCUMENTS_ONLY is set but the manifest');
  });

  test('the environment reaches the gateway: TRUSTED_DOCUMENTS_ONLY=true refuses a raw document', async () => {
    const trusted = await startStack({ citizens: 50, env: { TRUSTED_DOCUMENTS_ONLY: 'true' } });
    try {
      const raw = await request(trusted.gatewayUrl)
        .post('/graphql')
        .send({ query: '{ __typename }' });
      expect(answer(raw)).toEqual(TRUSTED_ONLY_REFUSAL);
    } finally {
      await trusted.stop();
    }
  });
});
