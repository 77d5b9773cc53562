// startRegistration must not tell by its timing whether an address has an account: a taken
// address (Salesforce answers at once) and a new one (a pending registration and a mail) make
// the same upstream call and are answered at the same fixed time after it — on an injected clock.
import request from 'supertest';
import {
  startEmulator,
  TEST_PRINCIPAL_SECRET,
  type RunningEmulator,
} from '../../../test/harness.js';
import { listen, type Listening } from '../../../lib/http.js';
import { sendAsGateway } from '../../../test/support/principals.js';
import { loadSessionConfig } from '../config.js';
import { createSessionServer } from '../server.js';
import type { SubgraphServer } from '../../../lib/subgraph-server.js';

const START = `mutation($i: StartRegistrationInput!) { startRegistration(input: $i) { identifier userErrors { code } } }`;

let upstream: RunningEmulator;
let server: SubgraphServer;
let http: Listening;
/** The fake time: it moves only when the subgraph sleeps. */
let t = 1_000_000;
const sleeps: number[] = [];

beforeAll(async () => {
  upstream = await startEmulator({ citizens: 20 });
  const config = loadSessionConfig({
    ...upstream.env,
    PRINCIPAL_SECRET: TEST_PRINCIPAL_SECRET,
    REGISTRATION_ANSWER_MS: '1500',
  });
  server = await createSessionServer(config, {
    clock: {
      now: () => t,
      sleep: async (ms) => {
        sleeps.push(ms);
        t += ms;
      },
    },
  });
  http = await listen(server.app);
});
afterAll(async () => {
  await server.stop();
  await http.close();
  await upstream.stop();
});

async function register(email: string) {
  sleeps.length = 0;
  upstream.emulator.log.reset();
  const res = await sendAsGateway(
    request(http.url).post('/graphql'),
    { kind: 'anonymous' },
    'session',
    {
      query: START,
      variables: { i: { firstName: 'A', lastName: 'B', email, password: 'Good12345' } },
    },
    { secret: TEST_PRINCIPAL_SECRET },
  );
  const r = res.body.data.startRegistration;
  return {
    answer: {
      identifier: typeof r.identifier,
      length: r.identifier?.length,
      userErrors: r.userErrors,
    },
    upstream: upstream.emulator.log.list().map((e) => `${e.method} ${e.path}`),
    sleeps: [...sleeps],
  };
}

test('a taken address and a new one: same answer, same upstream call, answered at the same time', async () => {
  // The first registration also fetches the integration user's token (the site demands it,
  // IDENTITY_HEADLESS_PROTECTION=integration-token); it is cached for the ones compared.
  await register('warm.up@example.org');
  const taken = await register(upstream.emulator.core.world.citizens[1].email);
  const fresh = await register('someone.new@example.org');
  expect(taken).toEqual(fresh);
  expect(fresh).toEqual({
    answer: { identifier: 'string', length: 24, userErrors: [] },
    upstream: ['POST /services/auth/headless/init/registration'],
    // Nothing moved the fake time while Salesforce answered: each waits the whole 1.5 s.
    sleeps: [1500],
  });
});
