// npm run start:emulator — the emulator alone. Its variables (EMULATOR_*, SHUTDOWN_TIMEOUT_MS) are
// declared in lib/config/registry.ts: ports 4010 and EMULATOR_PORT + 1 (the Pub/Sub API, gRPC over TLS with the
// test certificate), the world's size and seed, the public origin, and EMULATOR_TEST_HOOKS — the
// /__emulator hooks (demo credentials, passcodes) are served in development only unless set.
import { createEmulator, FAMILY_PREFIX } from './server.js';
// The configuration registry is not product code: it declares the emulator's variables too.
import { emulatorPubSubPort, processEnv, readEnv } from '../lib/config/registry.js';

const e = readEnv(processEnv, 'emulator');
const port = e.get('EMULATOR_PORT');
const pubSubPort = emulatorPubSubPort(e);
const host = e.get('EMULATOR_HOST');
const citizens = e.get('EMULATOR_CITIZENS');
const seed = e.get('EMULATOR_SEED');
const dailyApiLimit = e.get('EMULATOR_DAILY_API_LIMIT');
const testHooks = e.get('EMULATOR_TEST_HOOKS');
const dataCloudLimits = {
  query: {
    daily: e.get('EMULATOR_DATA_CLOUD_QUERY_DAILY_LIMIT'),
    concurrency: e.get('EMULATOR_DATA_CLOUD_QUERY_CONCURRENCY'),
  },
  profile: { daily: e.get('EMULATOR_DATA_CLOUD_PROFILE_DAILY_LIMIT') },
};

const started = performance.now();
const emulator = createEmulator({ citizens, seed, dailyApiLimit, testHooks, dataCloudLimits });
const seededMs = Math.round(performance.now() - started);
const pubSub = emulator.startPubSub({ port: pubSubPort, host });
const server = emulator.app.listen(port, host, () => {
  const origin = e.get('EMULATOR_PUBLIC_ORIGIN') ?? `http://${host}:${port}`;
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
  if (!testHooks) {
    console.log(
      '  Test hooks           off (EMULATOR_TEST_HOOKS=true serves them, for local development)',
    );
    return;
  }
  console.log(
    `  Test hooks           ${origin}/__emulator/{calls,faults,outbox,demo-users,limits,reset,reseed}`,
  );
  console.log(`  Integration client   ${w.integration.clientId} / ${w.integration.clientSecret}`);
  console.log(`  Demo citizen         ${w.citizens[0]?.username} / ${w.citizenPassword}`);
});
// SIGTERM: stop accepting, let in-flight calls finish for up to SHUTDOWN_TIMEOUT_MS (held
// 'timeout' faults included), then exit. The emulator imports nothing from the product.
const shutdownMs = e.get('SHUTDOWN_TIMEOUT_MS');
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
