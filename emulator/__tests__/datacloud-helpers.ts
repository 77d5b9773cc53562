// Shared setup for the Data Cloud emulator tests: an emulator on port 0, a core token minted
// directly in the token store (the CRM token endpoint is another family), and a Data Cloud
// token from the real exchange endpoint.
import { createEmulator, type Emulator } from '../server.js';
import { listen, type Listening } from '../../lib/http.js';

export interface DcHarness {
  emu: Emulator;
  up: Listening;
  coreToken: string;
  dcToken: string;
  tse: string;
  crm: string;
}

export function coreTokenFor(
  emu: Emulator,
  scope = 'api cdp_query_api cdp_profile_api cdp_segment_api',
  clientId = emu.core.world.integration.clientId,
): string {
  return emu.core.tokens.issue('core-access', {
    clientId,
    subject: { userId: emu.core.world.integration.userId },
    scope,
    ttlSeconds: 7200,
  }).token;
}

export async function exchange(crm: string, subjectToken: string): Promise<Response> {
  return fetch(`${crm}/services/a360/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:salesforce:grant-type:external:cdp',
      subject_token: subjectToken,
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    }).toString(),
  });
}

export async function startHarness(citizens = 3000): Promise<DcHarness> {
  const emu = createEmulator({ citizens });
  const up = await listen(emu.app);
  emu.setOrigin(up.url);
  const crm = `${up.url}/crm`;
  const coreToken = coreTokenFor(emu);
  const body = (await (await exchange(crm, coreToken)).json()) as { access_token: string };
  return { emu, up, coreToken, dcToken: body.access_token, tse: `${up.url}/datacloud`, crm };
}

export async function sql(h: DcHarness, query: string, token = h.dcToken) {
  const res = await fetch(`${h.tse}/api/v2/query`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ sql: query }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

export async function get(url: string, token: string) {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as any };
}
