// npm run start:emulator — the emulator alone. Env: EMULATOR_PORT (4010), EMULATOR_HOST,
// EMULATOR_CITIZENS (seed size), EMULATOR_SEED, EMULATOR_DAILY_API_LIMIT, EMULATOR_PUBLIC_ORIGIN
// (the origin clients reach it at, used in instance_url; default http://HOST:PORT),
// EMULATOR_PUBSUB_PORT (4011: the Pub/Sub API, gRPC over TLS with the test certificate).
import { createEmulator, FAMILY_PREFIX } from './server.js';

const port = Number(process.env.EMULATOR_PORT ?? 4010);
const pubSubPort = Number(process.env.EMULATOR_PUBSUB_PORT ?? 4011);
const host = process.env.EMULATOR_HOST ?? '127.0.0.1';
const citizens = process.env.EMULATOR_CITIZENS ? Number(process.env.EMULATOR_CITIZENS) : undefined;
const seed = process.env.EMULATOR_SEED ? Number(process.env.EMULATOR_SEED) : undefined;
const dailyApiLimit = process.env.EMULATOR_DAILY_API_LIMIT
  ? Number(process.env.EMULATOR_DAILY_API_LIMIT)
  : undefined;
for (const [name, v] of Object.entries({ port, pubSubPort, citizens, seed, dailyApiLimit }))
  if (v !== undefined && !Number.isInteger(v)) throw new Error(`${name} must be an integer`);

const started = performance.now();
const emulator = createEmulator({ citizens, seed, dailyApiLimit });
const seededMs = Math.round(performance.now() - started);
const pubSub = emulator.startPubSub({ port: pubSubPort, host });
const server = emulator.app.listen(port, host, () => {
  const origin = process.env.EMULATOR_PUBLIC_ORIGIN ?? `http://${host}:${port}`;
  emulator.setOrigin(origin);
  const w = emulator.core.world;
  console.log(
    `Salesforce emulator on ${origin} (${w.citizens.length} citizens seeded in ${seededMs} ms)`,
  );
  console.log(
    `  CRM REST + OAuth     ${origin}${FAMILY_PREFIX.crm}/services/data  ·  ${origin}${FAMILY_PREFIX.crm}/services/oauth2/token`,
  );
  console.log(
    `  Data Cloud           ${origin}${FAMILY_PREFIX.datacloud}/api/v2/query  (token exchange: ${origin}${FAMILY_PREFIX.crm}/services/a360/token)`,
  );
  console.log(
    `  SCAPI + SLAS         ${origin}${FAMILY_PREFIX.scapi}/shopper/auth/v1/organizations/${emulator.core.settings.scapiOrganizationId}/oauth2/token`,
  );
  console.log(
    `  Headless Identity    ${origin}${FAMILY_PREFIX.identity}/services/oauth2/authorize`,
  );
  void pubSub.then((p) =>
    console.log(
      `  Pub/Sub API (gRPC)   ${host}:${p.port}  (TLS, emulator/pubsub/test-certs/cert.pem; /data/CaseChangeEvent, /event/Case_Comment__e)`,
    ),
  );
  console.log(
    `  Test hooks           ${origin}/__emulator/{calls,faults,outbox,demo-users,limits,reset,reseed}`,
  );
  console.log(`  Integration client   ${w.integration.clientId} / ${w.integration.clientSecret}`);
  console.log(`  Demo citizen         ${w.citizens[0]?.username} / ${w.citizenPassword}`);
});
// SIGTERM: stop accepting, let in-flight calls finish for up to SHUTDOWN_TIMEOUT_MS (held
// 'timeout' faults included), then exit. The emulator imports nothing from the product.
const shutdownMs = Number(process.env.SHUTDOWN_TIMEOUT_MS || 10_000);
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  const sweep = setInterval(() => server.closeIdleConnections(), 25);
  const cut = setTimeout(() => server.closeAllConnections(), shutdownMs);
  void pubSub.then((p) => p.close());
  server.close(() => {
    clearInterval(sweep);
    clearTimeout(cut);
    process.exit(0);
  });
  server.closeIdleConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
