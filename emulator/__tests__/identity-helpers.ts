// Plain-HTTP helpers for the Identity family tests (no project client code involved).
import { createHash, randomBytes } from 'node:crypto';
import { createEmulator, type Emulator } from '../server.js';
import { listen, type Listening } from '../../lib/http.js';

export interface Harness {
  emu: Emulator;
  up: Listening;
  site: string;
}

export async function startIdentity(citizens = 50): Promise<Harness> {
  const emu = createEmulator({ citizens });
  const up = await listen(emu.app);
  emu.setOrigin(up.url);
  return { emu, up, site: `${up.url}/identity` };
}

export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export async function post(
  url: string,
  body: Record<string, string> | object,
  headers: Record<string, string> = {},
  json = false,
) {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded',
      ...headers,
    },
    body: json
      ? JSON.stringify(body)
      : new URLSearchParams(body as Record<string, string>).toString(),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, text };
}

export async function exchange(h: Harness, code: string, verifier: string) {
  const app = h.emu.core.world.portalApp;
  return post(`${h.site}/services/oauth2/token`, {
    grant_type: 'authorization_code',
    code,
    client_id: app.clientId,
    redirect_uri: app.redirectUri,
    code_verifier: verifier,
  });
}

/**
 * The headless authorize request, never following its 302: `status`, `location`, and as `body`
 * the Location's query (what the echo endpoint would answer) or the JSON error body.
 */
export async function authorize(
  h: Harness,
  username: string,
  password: string,
  challenge: string,
  headers: Record<string, string> = {},
  redirectUri = h.emu.core.world.portalApp.redirectUri,
) {
  const app = h.emu.core.world.portalApp;
  const res = await fetch(`${h.site}/services/oauth2/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'Auth-Request-Type': 'Named-User',
      Authorization: basic(username, password),
      ...headers,
    },
    body: new URLSearchParams({
      response_type: 'code_credentials',
      client_id: app.clientId,
      redirect_uri: redirectUri,
      code_challenge: challenge,
      state: 'st1',
    }).toString(),
  });
  const location = res.headers.get('location') ?? undefined;
  const text = await res.text();
  const body = location
    ? Object.fromEntries(new URL(location).searchParams)
    : res.headers.get('content-type')?.includes('json')
      ? JSON.parse(text)
      : undefined;
  return { status: res.status, location, body, text };
}

export async function login(h: Harness, username: string, password: string) {
  const p = pkce();
  const a = await authorize(h, username, password, p.challenge);
  if (a.status !== 302) throw new Error(`authorize failed ${a.status} ${a.text}`);
  const t = await exchange(h, a.body.code, p.verifier);
  if (t.status !== 200) throw new Error(`token failed ${t.status} ${t.text}`);
  return t.body as Record<string, string>;
}

export async function userinfo(h: Harness, token: string) {
  const res = await fetch(`${h.site}/services/oauth2/userinfo`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: res.status, body: await res.json() };
}
