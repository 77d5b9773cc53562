// A CRM access token of the emulator's integration client (client credentials at the CRM
// family's real POST /services/oauth2/token), for a test's own calls to the org.
import type { Emulator } from '../../emulator/server.js';

/** `emulatorUrl` is the emulator's origin (its CRM family lives under /crm). */
export async function integrationToken(emulator: Emulator, emulatorUrl: string): Promise<string> {
  const { clientId, clientSecret } = emulator.core.world.integration;
  const res = await fetch(`${emulatorUrl}/crm/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }),
  });
  if (res.status !== 200) throw new Error(`integration token: HTTP ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
