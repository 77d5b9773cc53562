// Token → principal: cached until the token expires (introspection), bounded, forgotten on logout.
import { PrincipalResolver } from '../principal-resolver.js';

function fakeIdentity(expInSeconds: number, now: () => number = Date.now) {
  const calls: string[] = [];
  const fetch = (async (url: string) => {
    calls.push(new URL(url).pathname);
    const body = url.endsWith('/userinfo')
      ? {
          user_id: '005A',
          preferred_username: 'ada@example.org',
          custom_attributes: { contactId: '003A', unifiedIndividualId: 'u1' },
        }
      : { active: true, exp: Math.floor(now() / 1000) + expInSeconds };
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof globalThis.fetch;
  return { calls, fetch };
}

const options = (fetch: typeof globalThis.fetch) => ({
  identitySiteUrl: 'http://identity.test/site',
  agentClientIds: [],
  cacheSize: 10,
  cacheMaxSeconds: 300,
  timeoutMs: 1000,
  introspection: { clientId: 'gateway-app', clientSecret: 'gateway-secret' },
  fetch,
});

test('a citizen token resolves once, then comes from the cache', async () => {
  const idp = fakeIdentity(3600);
  const r = new PrincipalResolver(options(idp.fetch));
  const p = await r.resolve('Bearer tok1');
  expect(p).toMatchObject({ kind: 'citizen', contactId: '003A', unifiedId: 'u1' });
  await r.resolve('Bearer tok1');
  expect(idp.calls).toEqual(['/site/services/oauth2/userinfo', '/site/services/oauth2/introspect']);
});

test('the cache never outlives the token', async () => {
  // One clock for Identity's `exp` and the cache: moved, never slept on.
  let clock = Date.UTC(2026, 0, 1, 12, 0, 0, 500);
  const now = () => clock;
  const idp = fakeIdentity(2, now); // exp: 12:00:02, 1.5 s from now
  const r = new PrincipalResolver({ ...options(idp.fetch), now });
  const userinfoCalls = () => idp.calls.filter((c) => c.endsWith('/userinfo')).length;
  await r.resolve('Bearer tok2');
  clock += 1_499; // 1 ms before exp: still the cached principal
  await r.resolve('Bearer tok2');
  expect(userinfoCalls()).toBe(1);
  clock += 2; // past exp: validated again
  await r.resolve('Bearer tok2');
  expect(userinfoCalls()).toBe(2);
});

test('forget drops a token (logout)', async () => {
  const idp = fakeIdentity(3600);
  const r = new PrincipalResolver(options(idp.fetch));
  await r.resolve('Bearer tok3');
  await r.forget('Bearer tok3');
  await r.resolve('Bearer tok3');
  expect(idp.calls.filter((c) => c.endsWith('/userinfo'))).toHaveLength(2);
});

test('no token is anonymous; a malformed header is UNAUTHENTICATED', async () => {
  const r = new PrincipalResolver(options(fakeIdentity(60).fetch));
  await expect(r.resolve(undefined)).resolves.toEqual({ kind: 'anonymous' });
  await expect(r.resolve('Basic abc')).rejects.toMatchObject({
    extensions: { code: 'UNAUTHENTICATED' },
  });
});

test("an org's own custom attribute names (IDENTITY_ATTR_*) are read; the defaults are then ignored", async () => {
  const { loadGatewayConfig } = await import('../config.js');
  const { identityAttributes } = loadGatewayConfig({
    IDENTITY_ATTR_CONTACT_ID: 'Portal_Contact',
    IDENTITY_ATTR_UNIFIED_ID: 'Portal_Unified',
    IDENTITY_ATTR_IS_AGENT: 'Portal_Agent',
  });
  const userinfo = (custom: Record<string, string>) =>
    (async (url: string) =>
      new Response(
        JSON.stringify(
          url.endsWith('/userinfo')
            ? { user_id: '005B', preferred_username: 'b@example.org', custom_attributes: custom }
            : { active: true, exp: Math.floor(Date.now() / 1000) + 60 },
        ),
        { status: 200, headers: { 'content-type': 'application/json' } },
      )) as typeof globalThis.fetch;
  const resolver = (custom: Record<string, string>) =>
    new PrincipalResolver({ ...options(userinfo(custom)), attributes: identityAttributes });
  await expect(
    resolver({ Portal_Contact: '003B', Portal_Unified: 'u2' }).resolve('Bearer t'),
  ).resolves.toMatchObject({ kind: 'citizen', contactId: '003B', unifiedId: 'u2' });
  await expect(resolver({ Portal_Agent: 'true' }).resolve('Bearer t')).resolves.toMatchObject({
    kind: 'agent',
  });
  // The default names mean nothing once renamed.
  await expect(
    resolver({ contactId: '003C', isAgent: 'true' }).resolve('Bearer t'),
  ).resolves.toEqual({ kind: 'anonymous' });
  expect(() => loadGatewayConfig({ IDENTITY_ATTR_CONTACT_ID: 'a b' })).toThrow(
    /IDENTITY_ATTR_CONTACT_ID/,
  );
});

test('userinfo 403 (no identity scope): an AGENT_CLIENT_IDS app is an agent by introspection; another app anonymous; a dead token refused', async () => {
  const INTEGRATION_USER = '005Hu0000000002IAA';
  const idp = (clientId: string) =>
    (async (url: string) =>
      url.endsWith('/userinfo')
        ? new Response(JSON.stringify({ error: 'insufficient_scope' }), { status: 403 })
        : new Response(
            JSON.stringify({
              active: true,
              client_id: clientId,
              username: 'integration@agency.example.gov',
              sub: `https://acme.my.site.com/id/00DHu0000000001MAA/${INTEGRATION_USER}`,
              exp: Math.floor(Date.now() / 1000) + 60,
            }),
            { status: 200, headers: { 'content-type': 'application/json' } },
          )) as typeof globalThis.fetch;
  const agents = new PrincipalResolver({
    ...options(idp('agent-app')),
    agentClientIds: ['agent-app'],
  });
  await expect(agents.resolve('Bearer cc1')).resolves.toEqual({
    kind: 'agent',
    userId: INTEGRATION_USER,
    username: 'integration@agency.example.gov',
    clientId: 'agent-app',
  });
  const other = new PrincipalResolver({
    ...options(idp('some-other-app')),
    agentClientIds: ['agent-app'],
  });
  await expect(other.resolve('Bearer cc2')).resolves.toEqual({ kind: 'anonymous' });
  const dead = new PrincipalResolver({
    ...options((async (url: string) =>
      url.endsWith('/userinfo')
        ? new Response('{"error":"insufficient_scope"}', { status: 403 })
        : new Response('{"active":false}', {
            status: 200,
            headers: { 'content-type': 'application/json' },
          })) as typeof globalThis.fetch),
    agentClientIds: ['agent-app'],
  });
  await expect(dead.resolve('Bearer cc3')).rejects.toMatchObject({
    extensions: { code: 'UNAUTHENTICATED' },
  });
});
