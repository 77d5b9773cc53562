// npm start — the whole stack on the embedded emulator: emulator, four subgraphs and the gateway,
// each in its own process. Waits until every one is ready, then prints URLs, an example query and
// demo credentials. Ctrl-C (SIGINT), SIGTERM or SIGHUP stops them all.
//
// Ports: GATEWAY_PORT (or PORT), CUSTOMER_PORT, CASE_PORT, COMMERCE_PORT, SESSION_PORT,
// EMULATOR_PORT. The gateway is given http://127.0.0.1:<*_PORT>/graphql for each subgraph unless
// *_SUBGRAPH_URL is set; with CRM_LOGIN_URL unset (or the emulator's own address, as in
// .env.example) the emulator runs and every upstream URL that is not set points at it
// (scripts/start-plan.ts). package.json passes --development: NODE_ENV unset means development
// here (lib/config/registry.ts), and every child is given that NODE_ENV explicitly.
//
// No child outlives this process's stop: each runs in its own process group, which gets SIGTERM
// (the services drain, bounded by SHUTDOWN_TIMEOUT_MS) and then SIGKILL if it is still there.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { processEnv, type Env } from '../lib/config/registry.js';
import { startPlan } from './start-plan.js';

const require = createRequire(import.meta.url);
// One process per service: node with tsx's loader (the tsx CLI would add a relay process).
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
const env = processEnv;
// --compiled (npm run start:compiled): each service as the image runs it, the JavaScript that
// `npm run build:server` wrote to build/, instead of the TypeScript through tsx.
const compiled = process.argv.includes('--compiled');
const root = fileURLToPath(new URL('..', import.meta.url));
if (compiled && !existsSync(join(root, 'build/gateway/main.js'))) {
  console.error('start: build/ is missing; run `npm run build:server` first.');
  process.exit(2);
}

/** node's arguments for a service entry point (`gateway/main.ts`), per the mode. */
const entry = (script: string, args: string[]) =>
  compiled
    ? [join(root, 'build', script.replace(/\.ts$/, '.js')), ...args]
    : ['--import', tsxLoader, script, ...args];

const plan = startPlan(env);
const { shutdownMs, gatewayPort, emulatorUrl, useEmulator, subgraphs } = plan;
const serviceEnv: Env = { ...env, ...plan.upstreamEnv };
console.log(`[start]     ${plan.upstreamLine}`);

interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<void>;
  alive: boolean;
}
const children: Child[] = [];
let stopping: Promise<never> | undefined;

/**
 * One output line of a service: a JSON log line stays pure JSON with the service as a field
 * (`npm start | grep '^{' | jq` works); any other line gets the service's `[name]` prefix.
 */
export function labelled(name: string, prefix: string, line: string): string {
  if (line.startsWith('{')) {
    try {
      const entry: unknown = JSON.parse(line);
      if (entry && typeof entry === 'object' && !Array.isArray(entry))
        return JSON.stringify({ service: name, ...entry });
    } catch {
      // not JSON after all: prefixed below
    }
  }
  return `${prefix} ${line}`;
}

function run(name: string, script: string, args: string[], childEnv: Env): Child {
  const proc = spawn(process.execPath, entry(script, args), {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: stop() signals the group, so nothing it spawns is left behind.
    detached: true,
  });
  const prefix = `[${name}]`.padEnd(11);
  const pipe = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) => {
    let buf = '';
    stream.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) out.write(`${labelled(name, prefix, line)}\n`);
    });
    stream.on('end', () => buf && out.write(`${labelled(name, prefix, buf)}\n`));
  };
  pipe(proc.stdout!, process.stdout);
  pipe(proc.stderr!, process.stderr);
  const child: Child = {
    name,
    process: proc,
    alive: true,
    exited: new Promise((done) => {
      proc.on('close', (code, signal) => {
        child.alive = false;
        if (!stopping) {
          console.error(`${prefix} exited (${signal ?? code}); stopping the stack`);
          void stop(1);
        }
        done();
      });
      proc.on('error', (err) => {
        child.alive = false;
        console.error(`${prefix} could not start: ${err.message}`);
        if (!stopping) void stop(1);
        done();
      });
    }),
  };
  children.push(child);
  console.log(`[start]     ${name} pid ${proc.pid}`);
  return child;
}

function signalGroup(child: Child, signal: NodeJS.Signals) {
  if (!child.alive || child.process.pid === undefined) return;
  try {
    process.kill(-child.process.pid, signal);
  } catch {
    /* already gone */
  }
}

/** Stops the gateway first, then the subgraphs, then the emulator, so in-flight requests drain. */
function stop(code: number): Promise<never> {
  stopping ??= (async () => {
    const waves = [
      children.filter((c) => c.name === 'gateway'),
      children.filter((c) => c.name !== 'gateway' && c.name !== 'emulator'),
      children.filter((c) => c.name === 'emulator'),
    ];
    for (const wave of waves) {
      for (const c of wave) signalGroup(c, 'SIGTERM');
      const deadline = new Promise((r) => setTimeout(r, shutdownMs + 2_000).unref());
      await Promise.race([Promise.all(wave.map((c) => c.exited)), deadline]);
      for (const c of wave) signalGroup(c, 'SIGKILL');
      await Promise.all(wave.map((c) => c.exited));
    }
    process.exit(code);
  })();
  return stopping;
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
  process.on(signal, () => void stop(0));
// Last resort (an uncaught error): no child outlives this process.
process.on('exit', () => {
  for (const c of children) signalGroup(c, 'SIGKILL');
});

async function waitFor(child: Child, url: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (stopping || !child.alive) throw new Error(`${child.name} stopped before ${url} was ready`);
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (r.ok) return;
      // The reason a subgraph is not ready (its /readyz body), said when we give up.
      last = `${r.status} ${(await r.text()).slice(0, 300)}`;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `${url} was not ready within ${timeoutMs / 1000} s (last answer: ${last}; ${plan.upstreamLine})`,
  );
}

interface DemoUsers {
  citizens: Array<{ username: string; password: string; unifiedId: string }>;
  agents: Array<{ username: string; password: string }>;
  integration: { clientId: string; clientSecret: string };
}

/** The emulator's demo credentials (its test hook). */
async function fetchDemoUsers(): Promise<DemoUsers> {
  return (await (await fetch(`${emulatorUrl}/__emulator/demo-users`)).json()) as DemoUsers;
}

async function main() {
  if (useEmulator) {
    const emulator = run('emulator', 'emulator/main.ts', [], { ...env, ...plan.emulatorEnv });
    await waitFor(emulator, `${emulatorUrl}/`);
  }
  const started = subgraphs.map((s) => ({
    s,
    child: run(s.name, `subgraphs/${s.name}/main.ts`, [], {
      ...serviceEnv,
      [s.portEnv]: String(s.port),
    }),
  }));
  await Promise.all(
    started.map(({ s, child }) => waitFor(child, `http://127.0.0.1:${s.port}/readyz`)),
  );
  const gatewayEnv: Record<string, string | undefined> = {
    ...serviceEnv,
    GATEWAY_PORT: String(gatewayPort),
  };
  for (const s of subgraphs) gatewayEnv[s.urlEnv] = s.url;
  const demoUsers = useEmulator && plan.emulatorHooks ? await fetchDemoUsers() : undefined;
  // GraphiQL offers the demo citizen's login (development only: the gateway ignores it in production).
  const demoCitizen = demoUsers?.citizens[0];
  const gatewayChild = run(
    'gateway',
    'gateway/main.ts',
    demoCitizen ? ['--graphiql-demo-login', demoCitizen.username, demoCitizen.password] : [],
    gatewayEnv,
  );
  await waitFor(gatewayChild, `http://127.0.0.1:${gatewayPort}/readyz`);

  const gateway = `http://127.0.0.1:${gatewayPort}/graphql`;
  let demo = '';
  if (demoUsers) {
    const users = demoUsers;
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
  const external = subgraphs.filter((s) => s.external);
  console.log(`
Customer 360 supergraph is up
  gateway      ${gateway}   (GraphiQL: open it in a browser)
  subgraphs    ${subgraphs.map((s) => `${s.name} :${s.port}`).join(' · ')}${external.map((s) => `\n               gateway uses ${s.name} at ${s.url} (${s.urlEnv})`).join('')}
  ${useEmulator ? `emulator     ${emulatorUrl}  (test hooks: ${emulatorUrl}/__emulator/demo-users)` : 'upstream     the Salesforce org configured in the environment'}
${demo}
Press Ctrl-C to stop.`);
}

main().catch((err: Error) => {
  if (!stopping) {
    console.error(`[start]     ${err.message}; stopping the stack`);
    void stop(1);
  }
});
