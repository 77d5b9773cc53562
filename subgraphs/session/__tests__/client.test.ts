// IdentityClient methods against the emulator's Headless Identity family.
import { createEmulator, type Emulator } from '../../../emulator/server.js';
import { listen, type Listening } from '../../../lib/http.js';
import { UpstreamCost } from '../../../lib/upstream-cost.js';
import { CoreTokenCache, IdentityClient } from '../client.js';
import { loadSessionConfig } from '../config.js';
import { createPkce } from '../pkce.js';

let emu: Emulator;
let up: Listening;
let client: IdentityClient;
const cost = new UpstreamCost();

beforeAll(async () => {
  emu = createEmulator({ citizens: 20 });
  up = await listen(emu.app);
  emu.setOrigin(up.url);
  const config = loadSessionConfig({
    IDENTITY_SITE_URL: `${up.url}/identity`,
    CRM_LOGIN_URL: `${up.url}/crm`,
  });
  // The integration user's token: the emulated site demands it for registration and forgot password.
  client = new IdentityClient(config, { cost }, new CoreTokenCache(config));
});
afterAll(() => up.close());

const citizen = () => emu.core.world.citizens[2];

async function signIn(username: string, password: string) {
  const p = createPkce();
  const code = await client.authorizeNamedUser(username, password, p.challenge);
  return code ? client.exchangeCode(code, p.verifier) : null;
}

test('authorizeNamedUser + exchangeCode give tokens; bad credentials give null', async () => {
  const t = await signIn(citizen().username, emu.core.world.citizenPassword);
  expect(t).toMatchObject({
    access_token: expect.any(String),
    refresh_token: expect.any(String),
    token_type: 'Bearer',
  });
  expect(t!.id.endsWith(citizen().userId)).toBe(true);
  expect(
    await client.authorizeNamedUser(citizen().username, 'wrong-password1', createPkce().challenge),
  ).toBeNull();
  expect(
    await client.authorizeNamedUser(
      'nobody@example.org',
      'wrong-password1',
      createPkce().challenge,
    ),
  ).toBeNull();
  expect(cost.report().identity?.calls).toBeGreaterThanOrEqual(4);
});

test('refresh, introspect and revoke', async () => {
  const t = (await signIn(citizen().username, emu.core.world.citizenPassword))!;
  const r = await client.refresh(t.refresh_token!);
  expect(r?.access_token).toEqual(expect.any(String));
  expect(await client.introspect(r!.access_token)).toMatchObject({
    active: true,
    username: citizen().username,
  });
  expect(await client.revoke(t.refresh_token!)).toBe(true);
  expect(await client.introspect(r!.access_token)).toEqual({ active: false });
  expect(await client.refresh(t.refresh_token!)).toBeNull();
  expect(await client.revoke(t.refresh_token!)).toBe(false);
});

test('initRegistration + authorizeRegistration', async () => {
  const email = 'new.person@example.net';
  const weak = await client.initRegistration({
    firstName: 'New',
    lastName: 'Person',
    email,
    password: 'weak',
  });
  expect(weak).toEqual({ ok: false, error: 'invalid_password' });
  const init = await client.initRegistration({
    firstName: 'New',
    lastName: 'Person',
    email,
    password: 'G00dPassword',
  });
  expect(init).toEqual({ ok: true, identifier: expect.any(String) });
  const identifier = (init as { identifier: string }).identifier;
  expect(
    await client.authorizeRegistration(identifier, '000000x', createPkce().challenge),
  ).toBeNull();
  const p = createPkce();
  const code = await client.authorizeRegistration(
    identifier,
    emu.outbox.latest(email)!.otp,
    p.challenge,
  );
  expect(code).toEqual(expect.any(String));
  expect((await client.exchangeCode(code!, p.verifier)).access_token).toEqual(expect.any(String));
  expect(
    await client.initRegistration({
      firstName: 'New',
      lastName: 'Person',
      email,
      password: 'G00dPassword',
    }),
  ).toEqual({
    ok: false,
    error: 'duplicate_username',
  });
});

test('forgotPasswordStart + forgotPasswordComplete', async () => {
  const c = emu.core.world.citizens[5];
  await client.forgotPasswordStart(c.username);
  await client.forgotPasswordStart('ghost@example.org');
  const { otp } = emu.outbox.latest(c.email)!;
  expect(
    await client.forgotPasswordComplete(
      c.username,
      otp === '111111' ? '222222' : '111111',
      'Fresh1234',
    ),
  ).toEqual({ ok: false, error: 'invalid_otp' });
  expect(await client.forgotPasswordComplete(c.username, otp, 'Fresh1234')).toEqual({ ok: true });
  expect(await signIn(c.username, 'Fresh1234')).not.toBeNull();
});

describe('authorize refusals are read from the status and the redirect, not from error strings', () => {
  /** An IdentityClient whose site answers every authorize with `answer`. */
  const answering = (answer: () => Response) => {
    const siteConfig = loadSessionConfig({ IDENTITY_SITE_URL: 'https://site.invalid/s' });
    return new IdentityClient(
      siteConfig,
      { cost, fetch: (async () => answer()) as typeof fetch },
      new CoreTokenCache(siteConfig),
    );
  };

  test('a 302 to the callback with ?error= (OAuth 2.0 Authorization Errors) is a failed sign-in', async () => {
    // https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_flow_errors.htm
    const c = answering(
      () =>
        new Response(null, {
          status: 302,
          headers: {
            location:
              'http://localhost:4000/callback?error=access_denied&error_description=end-user+denied+authorization',
          },
        }),
    );
    expect(await c.authorizeNamedUser('ada@example.org', 'pw12345678', 'x'.repeat(43))).toBeNull();
  });

  test('a refusal in any words, or none, is a failed sign-in; a configuration error is raised', async () => {
    for (const body of ['{}', '{"error":"some_new_wording"}', '']) {
      const c = answering(() => new Response(body, { status: 400 }));
      expect(
        await c.authorizeNamedUser('ada@example.org', 'pw12345678', 'x'.repeat(43)),
      ).toBeNull();
    }
    const redirect = answering(
      () =>
        new Response(null, {
          status: 302,
          headers: { location: 'http://localhost:4000/callback?error=redirect_uri_mismatch' },
        }),
    );
    await expect(
      redirect.authorizeNamedUser('ada@example.org', 'pw12345678', 'x'.repeat(43)),
    ).rejects.toMatchObject({ upstreamCode: 'redirect_uri_mismatch' });
    const client400 = answering(
      () => new Response('{"error":"invalid_client_id"}', { status: 400 }),
    );
    await expect(
      client400.authorizeNamedUser('ada@example.org', 'pw12345678', 'x'.repeat(43)),
    ).rejects.toMatchObject({ upstreamCode: 'invalid_client_id' });
  });
});
