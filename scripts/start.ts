// npm start — the whole stack on the embedded emulator: emulator, four subgraphs and the gateway,
// each in its own process. Waits until every one is ready, then prints URLs, an example query and
// demo credentials. Ctrl-C stops them all.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { SUBGRAPHS } from '../schema/subgraphs.js';

const require = createRequire(import.meta.url);
const tsxCli = require.resolve('tsx/cli');
const emulatorPort = Number(process.env.EMULATOR_PORT ?? 4010);
const gatewayPort = Number(process.env.GATEWAY_PORT ?? 4000);
const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;

// Every service gets the emulator's URLs unless the operator configured real ones.
const upstreamEnv: NodeJS.ProcessEnv = {
  CRM_LOGIN_URL: `${emulatorUrl}/crm`,
  DATA_CLOUD_TENANT_URL: `${emulatorUrl}/datacloud`,
  SCAPI_BASE_URL: `${emulatorUrl}/scapi`,
  IDENTITY_SITE_URL: `${emulatorUrl}/identity`,
  ...process.env,
};

const children: ChildProcess[] = [];
function run(
  name: string,
  script: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = upstreamEnv,
) {
  const child = spawn(process.execPath, [tsxCli, script, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${name}]`.padEnd(11);
  const pipe = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) => {
    let buf = '';
    stream.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) out.write(`${prefix} ${line}\n`);
    });
  };
  pipe(child.stdout!, process.stdout);
  pipe(child.stderr!, process.stderr);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${prefix} exited (${signal ?? code}); stopping the stack`);
      stop(1);
    }
  });
  children.push(child);
}

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function waitFor(url: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} was not ready within ${timeoutMs / 1000} s`);
}

const useEmulator = !process.env.CRM_LOGIN_URL;
if (useEmulator) {
  run('emulator', 'emulator/main.ts', [], { ...process.env, EMULATOR_PORT: String(emulatorPort) });
  await waitFor(`${emulatorUrl}/`);
}
for (const s of SUBGRAPHS) run(s.name, 'scripts/start-subgraph.ts', [s.name]);
await Promise.all(SUBGRAPHS.map((s) => waitFor(`http://127.0.0.1:${s.defaultPort}/readyz`)));
run('gateway', 'gateway/main.ts');
await waitFor(`http://127.0.0.1:${gatewayPort}/readyz`);

const gateway = `http://127.0.0.1:${gatewayPort}/graphql`;
let demo = '';
if (useEmulator) {
  const users = (await (await fetch(`${emulatorUrl}/__emulator/demo-users`)).json()) as {
    citizens: Array<{ username: string; password: string; unifiedId: string }>;
    agents: Array<{ username: string; password: string }>;
    integration: { clientId: string; clientSecret: string };
  };
  const c = users.citizens[0];
  demo = `
Demo credentials (emulator)
  citizen      ${c.username} / ${c.password}   (unified id ${c.unifiedId})
  agent        ${users.agents[0].username} / ${users.agents[0].password}
  integration  ${users.integration.clientId} / ${users.integration.clientSecret}

Sign in as the citizen and ask for their unified profile:
  TOKEN=$(curl -s ${gateway} -H 'content-type: application/json' \\
    -d '{"query":"mutation { login(input: {username: \\"${c.username}\\", password: \\"${c.password}\\"}) { session { accessToken } userErrors { code message } } }"}' \\
    | node -pe 'JSON.parse(require("fs").readFileSync(0)).data.login.session.accessToken')
  curl -s ${gateway} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\
    -d '{"query":"{ citizen(id: \\"${c.unifiedId}\\") { displayName email insights { lifetimeValue { amount currencyCode } } cases(first: 3) { totalCount edges { node { caseNumber subject status } } } cart { itemCount } orders(first: 3) { totalCount } account { username lastLoginAt } } }"}'`;
}
console.log(`
Customer 360 supergraph is up
  gateway      ${gateway}   (GraphiQL: open it in a browser)
  subgraphs    ${SUBGRAPHS.map((s) => `${s.name} :${s.defaultPort}`).join(' · ')}
  ${useEmulator ? `emulator     ${emulatorUrl}  (test hooks: ${emulatorUrl}/__emulator/demo-users)` : 'upstream     the Salesforce org configured in the environment'}
${demo}
Press Ctrl-C to stop.`);
