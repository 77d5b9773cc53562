// Shared setup for the Data Cloud emulator tests: an emulator on port 0, a core token minted
// directly in the token store (the CRM token endpoint is another family), and a Data Cloud
// token from the real exchange endpoint.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** A self-signed certificate for 127.0.0.1 made with the openssl CLI, or null without openssl. */
export function selfSignedCert(): { key: string; cert: string } | null {
  const dir = mkdtempSync(join(tmpdir(), 'c360-tls-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The emulator served over TLS on 127.0.0.1 (port 0), its origin set to the https URL. */
export async function listenTls(
  emu: Emulator,
  tls: { key: string; cert: string },
): Promise<{ url: string; close(): Promise<void> }> {
  const server = https.createServer(tls, emu.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  emu.setOrigin(url);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A fetch over node:https that trusts `ca` (Node's global fetch takes no CA option). Records
 * every URL it is asked for in `urls`.
 */
export function tlsFetch(ca: string, urls: string[] = []): typeof fetch {
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    urls.push(url.href);
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => (headers[k] = v));
    return new Promise<Response>((resolve, reject) => {
      const req = https.request(
        url,
        { method: init.method ?? 'GET', headers, ca, signal: init.signal ?? undefined },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const h = new Headers();
            for (const [k, v] of Object.entries(res.headers))
              if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
            const status = res.statusCode ?? 0;
            const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
            resolve(new Response(body, { status, headers: h }));
          });
        },
      );
      req.on('error', reject);
      if (init.body !== undefined && init.body !== null) req.write(String(init.body));
      req.end();
    });
  }) as typeof fetch;
}
