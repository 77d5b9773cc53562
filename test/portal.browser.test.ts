// The example citizen portal (examples/citizen-portal) in headless Chromium against the real
// stack: built with the portal's own Vite, served by express on port 0 next to the gateway's
// /graphql (same origin, as in production), no mocks. A citizen walks the whole journey, an
// agent searches a segment, and a commerce outage shows a banner over a profile that still
// renders. Nothing may leave 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import {
  chromium,
  type BrowserContext,
  type Page,
  type Request,
  type Response,
} from 'playwright-core';
import type { Stack } from './harness.js';
import type { Gateway } from '../gateway/server.js';
import { listen, type Listening } from '../lib/http.js';
import { waitFor } from './support/wait-for.js';

const ROOT = join(__dirname, '..');
const PORTAL = join(ROOT, 'examples', 'citizen-portal');
const VITE = join(PORTAL, 'node_modules', '.bin', 'vite');
const CHROMIUM = '/usr/bin/chromium';
const WAIT = { timeout: 20_000 };

// In CI Chromium and the portal's dependencies are installed by .ci/run and this suite must run;
// locally it is optional.
const canRun = (existsSync(CHROMIUM) && existsSync(VITE)) || process.env.CI === 'true';
if (!canRun)
  console.warn(
    `skipping portal browser test: needs ${CHROMIUM} and the portal's dependencies ` +
      '(npm ci --prefix examples/citizen-portal)',
  );
const browserDescribe = canRun ? describe : describe.skip;

/** Every run writes test-artifacts/portal-*.png; test/screenshots/ only on request or when missing. */
async function screenshot(page: Page, name: string) {
  mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
  const artifact = join(ROOT, 'test-artifacts', `portal-${name}.png`);
  await page.screenshot({ path: artifact, fullPage: true });
  const committed = join(ROOT, 'test', 'screenshots', `portal-${name}.png`);
  if (process.env.UPDATE_SCREENSHOTS === 'true' || !existsSync(committed))
    copyFileSync(artifact, committed);
}

browserDescribe('citizen portal in headless Chromium', () => {
  let stack: Stack;
  let gateway: Gateway;
  let http: Listening;
  let context: BrowserContext;
  let profile: string;
  let dist: string;
  const requested: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'c360-portal-dist-'));
    execFileSync(VITE, ['build', '--outDir', dist, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: PORTAL,
      stdio: 'pipe',
      timeout: 120_000,
    });
    const { startStack } = await import('./harness.js');
    const { createGateway } = await import('../gateway/server.js');
    const { loadGatewayConfig } = await import('../gateway/config.js');
    stack = await startStack({ citizens: 50 });
    // The harness's gateway plus the built portal under /portal/: one origin, no CORS, no proxy.
    gateway = await createGateway({
      ...loadGatewayConfig(stack.env),
      subgraphUrls: stack.subgraphUrls,
      supergraphSdl: readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8'),
      beforeGraphql: (app: express.Express) => {
        app.use('/portal', express.static(dist));
      },
    });
    http = await listen(gateway.app);
    profile = mkdtempSync(join(tmpdir(), 'c360-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 860 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    context.setDefaultTimeout(20_000);
    context.on('request', (r) => requested.push(r.url()));
    context.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(e.message)));
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    if (dist) rmSync(dist, { recursive: true, force: true });
    await gateway?.stop();
    await http?.close();
    await stack?.stop();
  });

  /** The graph, asked directly (not through the browser), as the citizen or agent of `token`. */
  async function graph(query: string, variables: Record<string, unknown>, token?: string) {
    const res = await fetch(`${http.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(15_000),
    });
    return (await res.json()) as { data?: any; errors?: any[] };
  }
  async function tokenOf(username: string, password: string) {
    const body = await graph(
      'mutation ($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { session { accessToken } } }',
      { u: username, p: password },
    );
    return body.data.login.session.accessToken as string;
  }
  async function signIn(page: Page, username: string, password: string) {
    await page.fill('form.sign-in input[name=username]', username);
    await page.fill('form.sign-in input[name=password]', password);
    await page.click('form.sign-in button[type=submit]');
  }
  const tab = (page: Page, name: string) =>
    page.locator('.main-tabs button', { hasText: name }).click();

  test('a citizen signs in, sees the profile, opens and comments a case, buys a permit once despite a lost answer, sees the order, signs out', async () => {
    const { world } = stack.emulator.core;
    const citizen = world.citizens[0];
    const token = await tokenOf(citizen.username, world.citizenPassword);
    const expected = await graph(
      '{ viewer { citizen { displayName segments { name } insights { engagementScore } orders { totalCount } } } }',
      {},
      token,
    );
    const me = expected.data.viewer.citizen;
    expect(me.segments.length).toBeGreaterThan(0);

    const page = await context.newPage();
    await page.goto(`${http.url}/portal/`);
    // A wrong password: the userError is shown in the form, nobody is signed in.
    await signIn(page, citizen.username, 'not-the-password');
    await page.locator('form.sign-in .field-error').waitFor(WAIT);
    await signIn(page, citizen.username, world.citizenPassword);

    // Profile: name, insights and segments from Data Cloud.
    const profileCard = page.getByTestId('profile');
    await profileCard.getByRole('heading', { name: me.displayName }).waitFor(WAIT);
    await expect(profileCard.getByTestId('insights').innerText()).resolves.toContain(
      String(me.insights.engagementScore),
    );
    const chips = await page.getByTestId('segments').locator('li').allInnerTexts();
    expect(chips).toEqual(me.segments.map((s: { name: string }) => s.name));
    expect(await page.getByTestId('error-banner').count()).toBe(0);
    // The session is in sessionStorage and survives a reload.
    await page.reload();
    await profileCard.getByRole('heading', { name: me.displayName }).waitFor(WAIT);
    await screenshot(page, 'profile');

    // Token refresh, both ways the portal's link does it. Counted from the browser's requests.
    const sent: Array<{ op?: string; auth?: string; status?: number }> = [];
    const onResponse = (r: Response) => {
      if (!r.url().endsWith('/graphql') || r.request().method() !== 'POST') return;
      const body = r.request().postDataJSON() as { operationName?: string } | null;
      sent.push({
        op: body?.operationName,
        auth: r.request().headers()['authorization'],
        status: r.status(),
      });
    };
    page.on('response', onResponse);
    const stored = () =>
      page.evaluate(() => JSON.parse(sessionStorage.getItem('c360.portal.session')!));
    const store = (tokens: unknown) =>
      page.evaluate(
        (t) => sessionStorage.setItem('c360.portal.session', JSON.stringify(t)),
        tokens,
      );
    // (1) About to expire: refreshed BEFORE the viewer query, which then carries the new token.
    const original = await stored();
    await store({ ...original, expiresAt: new Date(Date.now() + 5_000).toISOString() });
    await page.reload();
    await profileCard.getByRole('heading', { name: me.displayName }).waitFor(WAIT);
    const ahead = await stored();
    expect(ahead.accessToken).not.toBe(original.accessToken);
    expect(sent.map((s) => s.op)).toEqual(['PortalRefreshSession', 'PortalViewer']);
    expect(sent[0].auth).toBeUndefined(); // refreshSession goes without the stale header
    expect(sent[1].auth).toBe(`Bearer ${ahead.accessToken}`);
    // (2) A token the gateway refuses: 401 UNAUTHENTICATED, one refresh, the query again.
    sent.length = 0;
    await store({ ...ahead, accessToken: 'revoked-or-garbage' });
    await page.reload();
    await profileCard.getByRole('heading', { name: me.displayName }).waitFor(WAIT);
    const renewed = await stored();
    expect(sent.map((s) => `${s.op} ${s.status}`)).toEqual([
      'PortalViewer 401',
      'PortalRefreshSession 200',
      'PortalViewer 200',
    ]);
    expect(sent[2].auth).toBe(`Bearer ${renewed.accessToken}`);
    expect(await page.getByTestId('error-banner').count()).toBe(0);
    page.off('response', onResponse);

    // Cases: a missing subject is a userError next to the subject input; then open a case,
    // comment on it, and find it listed with its status.
    await tab(page, 'My cases');
    await page.locator('form.new-case button[type=submit]').click();
    await page.locator('form.new-case .field-error').first().waitFor(WAIT);
    const subject = `Pothole on Elm Street ${Date.now()}`;
    await page.fill('form.new-case input[name=subject]', subject);
    await page.fill('form.new-case textarea[name=description]', 'Deep pothole by number 12.');
    await page.locator('form.new-case button[type=submit]').click();
    const detail = page.getByTestId('case-detail');
    await detail.getByRole('heading', { name: new RegExp(subject) }).waitFor(WAIT);
    expect(await detail.innerText()).toContain('Status: New'); // the enum NEW, for people
    await detail.locator('textarea[name=body]').fill('Photo sent by email, thank you.');
    await detail.getByRole('button', { name: 'Add comment' }).click();
    await detail.getByTestId('comments').getByText('Photo sent by email, thank you.').waitFor(WAIT);
    await screenshot(page, 'case');
    await detail.getByRole('button', { name: '← All cases' }).click();
    const row = page.getByTestId('cases').locator('tr', { hasText: subject });
    await row.waitFor(WAIT);
    expect(await row.innerText()).toContain('New');
    await screenshot(page, 'cases');

    // Cart: add the fence permit, make it two.
    await tab(page, 'My cart');
    await page.getByRole('button', { name: 'Add Fence Permit' }).click(WAIT);
    const fence = page.getByTestId('cart-line').filter({ hasText: 'Fence Permit' });
    await fence.waitFor(WAIT);
    await fence.getByLabel('Quantity of Fence Permit').fill('2');
    await fence.getByRole('button', { name: 'Update' }).click();
    await fence.getByText('$80.00').waitFor(WAIT); // 2 × $40.00
    await screenshot(page, 'cart');

    // Checkout: the first answer is lost on the way back (the order IS placed), the portal
    // retries with the same idempotencyKey and shows the one order.
    const checkoutKeys: string[] = [];
    await page.route('**/graphql', async (route, req: Request) => {
      const body = req.postDataJSON() as { operationName?: string; variables?: any } | null;
      if (body?.operationName !== 'PortalCheckout') return route.continue();
      checkoutKeys.push(body.variables.input.idempotencyKey);
      if (checkoutKeys.length === 1) {
        await route.fetch({ timeout: 30_000 }); // the gateway places the order…
        return route.abort('connectionreset'); // …and the browser never hears of it
      }
      return route.continue();
    });
    await page.fill('form.checkout input[name=holder]', me.displayName);
    await page.getByRole('button', { name: 'Pay now' }).click();
    const placed = page.getByTestId('order-placed');
    await placed.waitFor({ timeout: 30_000 });
    const orderNo = /order (\S+) is/.exec(await placed.innerText())![1];
    await page.unroute('**/graphql');
    expect(checkoutKeys).toHaveLength(2);
    expect(checkoutKeys[1]).toBe(checkoutKeys[0]);
    await screenshot(page, 'checkout');
    // Exactly one order more than before, and it is the one the portal shows.
    const after = await graph(
      '{ viewer { citizen { orders(first: 100) { totalCount edges { node { orderNo } } } } } }',
      {},
      token,
    );
    expect(after.data.viewer.citizen.orders.totalCount).toBe(me.orders.totalCount + 1);
    expect(
      after.data.viewer.citizen.orders.edges.filter(
        (e: { node: { orderNo: string } }) => e.node.orderNo === orderNo,
      ),
    ).toHaveLength(1);

    // Orders: the new order is listed.
    await tab(page, 'My orders');
    await page.getByTestId('order-row').filter({ hasText: orderNo }).waitFor(WAIT);
    expect(await page.getByTestId('order-row').count()).toBe(me.orders.totalCount + 1);
    // Enum values and amounts read as words and money, not as the graph spells them.
    const placedRow = await page.getByTestId('order-row').filter({ hasText: orderNo }).innerText();
    expect(placedRow).toMatch(/Created · Not paid/);
    expect(placedRow).toMatch(/\$\d{1,3}(,\d{3})*\.\d{2}/);
    expect(placedRow).not.toMatch(/NOT_PAID|not_paid|created ·/);
    await screenshot(page, 'orders');

    // Sign out: back to the sign-in form, nothing left in sessionStorage.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('form.sign-in').waitFor(WAIT);
    expect(await page.evaluate(() => sessionStorage.getItem('c360.portal.session'))).toBeNull();
    await page.close();
  }, 180_000);

  test('a new person registers with the emailed passcode, signs out, resets the password and signs in with the new one', async () => {
    const emulatorOrigin = new URL(stack.env.IDENTITY_SITE_URL!).origin;
    const email = `dana.portal.${Date.now()}@example.org`;
    /** The newest passcode the emulator "emailed" to `email` (its outbox hook). */
    const passcode = (sentAfter: number) =>
      waitFor(
        async () => {
          const res = await fetch(`${emulatorOrigin}/__emulator/outbox?to=${email}`);
          const { messages } = (await res.json()) as { messages: Array<{ otp: string }> };
          return messages.length > sentAfter ? messages.at(-1)!.otp : undefined;
        },
        { what: `a passcode for ${email}`, intervalMs: 100 },
      );
    const page = await context.newPage();
    await page.goto(`${http.url}/portal/`);
    await page.getByRole('button', { name: 'Register' }).click();
    await page.fill('input[name=firstName]', 'Dana');
    await page.fill('input[name=lastName]', 'Portal');
    await page.fill('input[name=email]', email);
    // A weak password: the userError sits under the password input, nothing is sent by email.
    await page.fill('input[name=password]', 'short');
    await page.getByRole('button', { name: 'Send me a passcode' }).click();
    const passwordError = page.locator('div:has(> label > input[name=password]) > .field-error');
    await passwordError.waitFor(WAIT);
    expect(await page.locator('.field-error').count()).toBe(1); // next to that field, nowhere else
    await screenshot(page, 'register');
    await page.fill('input[name=password]', 'Portal!Strong2026');
    await page.getByRole('button', { name: 'Send me a passcode' }).click();
    await page.locator('input[name=otp]').waitFor(WAIT);
    await page.fill('input[name=otp]', await passcode(0));
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.locator('.main-tabs .who', { hasText: email }).waitFor(WAIT);
    await page.getByRole('button', { name: 'Sign out' }).click();

    await page.getByRole('button', { name: 'Reset password' }).click();
    await page.fill('input[name=username]', email);
    await page.getByRole('button', { name: 'Send me a passcode' }).click();
    await page.locator('input[name=otp]').waitFor(WAIT);
    await page.fill('input[name=otp]', await passcode(1));
    await page.fill('input[name=newPassword]', 'Portal!Renewed2026');
    await page.getByRole('button', { name: 'Change my password' }).click();
    await page.getByText('Your password was changed').waitFor(WAIT);
    await page.locator('.ok').getByRole('button', { name: 'Sign in' }).click();
    await signIn(page, email, 'Portal!Strong2026'); // the old password no longer works
    await page.locator('form.sign-in .field-error').waitFor(WAIT);
    await signIn(page, email, 'Portal!Renewed2026');
    await page.locator('.main-tabs .who', { hasText: email }).waitFor(WAIT);
    await page.close();
  }, 120_000);

  test('an agent signs in with their own user, searches a segment and opens a citizen', async () => {
    const { world } = stack.emulator.core;
    const agent = world.agents[0];
    const token = await tokenOf(agent.username, agent.password);
    const expected = await graph(
      'query ($a: String!) { segment(apiName: $a) { name members(first: 25) { totalCount edges { node { id displayName } } } } }',
      { a: 'Benefit_Eligible' },
      token,
    );
    const segment = expected.data.segment;
    expect(segment.members.totalCount).toBeGreaterThan(0);

    const page = await context.newPage();
    await page.goto(`${http.url}/portal/agent.html`);
    await signIn(page, agent.username, agent.password);
    const search = page.getByTestId('segment-search');
    await search.getByLabel('Segment API name').fill('Benefit_Eligible');
    await search.getByRole('button', { name: 'Search' }).click();
    await search.getByText(`${segment.members.totalCount} members`).waitFor(WAIT);
    const names = await page.getByTestId('members').locator('li button').allInnerTexts();
    expect(names).toEqual(
      segment.members.edges.map((e: { node: { displayName: string } }) => e.node.displayName),
    );
    const first = segment.members.edges[0].node;
    await page.getByTestId('members').getByRole('button', { name: first.displayName }).click();
    const panel = page.getByTestId('citizen-panel');
    await panel.getByRole('heading', { name: first.displayName }).waitFor(WAIT);
    expect(await panel.getByTestId('segments').innerText()).toContain(segment.name);
    await screenshot(page, 'agent');
    await page.close();
  }, 120_000);

  test('commerce down: a banner names UPSTREAM_UNAVAILABLE while the profile still renders; nothing left 127.0.0.1', async () => {
    const { world } = stack.emulator.core;
    const citizen = world.citizens[1];
    const page = await context.newPage();
    await page.goto(`${http.url}/portal/`);
    await signIn(page, citizen.username, world.citizenPassword);
    const heading = page.getByTestId('profile').getByRole('heading', {
      name: `${citizen.firstName} ${citizen.lastName}`,
    });
    await heading.waitFor(WAIT);
    expect(await page.getByTestId('error-banner').count()).toBe(0);

    // Every SCAPI call answers 503 (through the emulator's public fault hook).
    const emulatorOrigin = new URL(stack.env.SCAPI_BASE_URL!).origin;
    const fault = await fetch(`${emulatorOrigin}/__emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'status', family: 'scapi', status: 503 }),
      signal: AbortSignal.timeout(5_000),
    });
    expect(fault.status).toBe(201);
    try {
      await page.reload();
      const banner = page.getByTestId('error-banner');
      await banner.waitFor(WAIT);
      expect(await banner.innerText()).toContain('UPSTREAM_UNAVAILABLE');
      await heading.waitFor(WAIT);
      expect(await page.getByTestId('segments').locator('li').count()).toBeGreaterThan(0);
      await screenshot(page, 'error');
      // The cart tab says its part is unavailable instead of "empty".
      await tab(page, 'My cart');
      await page.getByText('Your cart cannot be shown right now.').waitFor(WAIT);
    } finally {
      await fetch(`${emulatorOrigin}/__emulator/faults`, {
        method: 'DELETE',
        signal: AbortSignal.timeout(5_000),
      });
    }
    await page.close();

    expect(pageErrors).toEqual([]);
    const offsite = requested.filter((u) => !/^(https?:\/\/127\.0\.0\.1[:/]|data:|blob:)/.test(u));
    expect(offsite).toEqual([]);
  }, 120_000);
});
