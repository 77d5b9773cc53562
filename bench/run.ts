// npm run bench — our gateway against its performance peers on the same subgraphs (issue 11).
// Needs `npm run bench:setup` first (installs the peers into bench/peers). Not part of npm test.
//
// Starts, each as its own process on free 127.0.0.1 ports: the emulator, the four subgraphs, our
// gateway and the two peers (stock @apollo/gateway, Hive Gateway + Rust planner), all with
// NODE_ENV=production and a freshly generated PRINCIPAL_SECRET. Then measures, in one run:
//  (a) full-stack RPS and p50/p95 on CitizenProfile, a different citizen per request,
//      BENCH_CONNECTIONS (20) connections, gateways alternated A/B/C, median of BENCH_ROUNDS (3)
//      rounds of BENCH_ROUND_SECONDS (10) each;
//  (b) CPU-ms per request of the gateway under test, each subgraph and the emulator
//      (/proc/<pid>/stat utime+stime over the round ÷ requests), and each gateway's max RSS
//      (/proc/<pid>/status VmHWM);
//  (c) p50 of sequential CitizenProfile requests with 50 ms injected per upstream call (emulator
//      latency fault) against hops × 50 ms, hops measured like scripts/cost-table.ts;
//  (d) Salesforce calls per family and per endpoint (emulator call log, warm caches) for
//      CitizenProfile, SegmentMembers(first: 10) and SegmentMembers(first: 100);
// and profiles our gateway once under load (--cpu-prof), listing its top self-time functions.
// Prints one Markdown table and writes it to bench/results.md. Every figure carries
// ⟨os.loadavg()[0]⟩ from when it was measured.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SUBGRAPHS } from '../schema/subgraphs.js';
import { processEnv, readEnv, VARIABLES, type VarName } from '../lib/config/registry.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;

// The knobs are declared in lib/config/registry.ts (BENCH_*).
const knobs = readEnv(processEnv, 'bench');
const CITIZENS = knobs.get('BENCH_CITIZENS');
const ROUNDS = knobs.get('BENCH_ROUNDS');
const ROUND_SECONDS = knobs.get('BENCH_ROUND_SECONDS');
const CONNECTIONS = knobs.get('BENCH_CONNECTIONS');
const WARMUP_SECONDS = knobs.get('BENCH_WARMUP_SECONDS');
/** Hard cap on requests per load phase (the phase is bounded in time and count). */
const MAX_REQUESTS = knobs.get('BENCH_MAX_REQUESTS');
const LATENCY_MS = 50;
const LATENCY_SAMPLES = knobs.get('BENCH_LATENCY_SAMPLES');
const PROFILE = knobs.get('BENCH_PROFILE');
/** Send every citizen through the stack once before measuring (per-citizen caches warm, as in a steady state). */
const PRIME = knobs.get('BENCH_PRIME');

if (!existsSync(join(root, 'bench/peers/node_modules/@graphql-hive/gateway'))) {
  console.error('bench: the peers are not installed; run `npm run bench:setup` first.');
  process.exit(2);
}

const logDir = mkdtempSync(join(os.tmpdir(), 'c360-bench-'));
const CLK_TCK = 100; // getconf CLK_TCK on Linux

// ---------------------------------------------------------------- processes

interface Proc {
  name: string;
  child: ChildProcess;
  pid: number;
  exited: Promise<void>;
  alive: boolean;
}
const procs: Proc[] = [];

/**
 * Every process runs as production runs it: compiled JavaScript (`npm run build:server`, the
 * image's command), the peers compiled the same way (bench/peers/tsconfig.json), so no figure
 * carries the tsx loader's memory and transpiling. BENCH_TSX=1 runs the TypeScript through tsx.
 */
const COMPILED = !knobs.get('BENCH_TSX');
function compile() {
  const tsc = require.resolve('typescript/bin/tsc');
  execFileSync(process.execPath, ['--import', tsxLoader, 'scripts/build-server.ts'], {
    cwd: root,
    stdio: 'inherit',
  });
  execFileSync(process.execPath, [tsc, '-p', 'bench/peers/tsconfig.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  // The peers' common.ts reads ../../schema/supergraph.graphql beside itself.
  mkdirSync(join(root, 'bench/peers/build/schema'), { recursive: true });
  copyFileSync(
    join(root, 'schema/supergraph.graphql'),
    join(root, 'bench/peers/build/schema/supergraph.graphql'),
  );
}
/** The command line of a script: `gateway/main.ts` → build/gateway/main.js (or tsx on the .ts). */
function commandOf(script: string): string[] {
  if (!COMPILED) return ['--import', tsxLoader, script];
  const js = script.replace(/\.ts$/, '.js');
  return [script.startsWith('bench/peers/') ? join('bench/peers/build', js) : join('build', js)];
}

function start(name: string, script: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []) {
  const out = openSync(join(logDir, `${name}.log`), 'a');
  const child = spawn(process.execPath, [...nodeArgs, ...commandOf(script)], {
    cwd: root,
    env,
    stdio: ['ignore', out, out],
    detached: true, // own process group: stopped as a group
  });
  if (child.pid === undefined) throw new Error(`${name} did not start`);
  const p: Proc = {
    name,
    child,
    pid: child.pid,
    alive: true,
    exited: new Promise((done) =>
      child.on('close', () => {
        p.alive = false;
        done();
      }),
    ),
  };
  procs.push(p);
  return p;
}

async function stopProc(p: Proc) {
  if (!p.alive) return;
  try {
    process.kill(-p.pid, 'SIGTERM');
  } catch {
    /* gone */
  }
  const timer = new Promise((r) => setTimeout(r, 15_000).unref());
  await Promise.race([p.exited, timer]);
  if (p.alive) {
    try {
      process.kill(-p.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    await p.exited;
  }
}
process.on('exit', () => {
  for (const p of procs)
    if (p.alive)
      try {
        process.kill(-p.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
});
for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, () => process.exit(130));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitUntil(p: Proc, check: () => Promise<boolean>, what: string, ms = 90_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!p.alive) throw new Error(`${p.name} exited before ${what} (log: ${logDir}/${p.name}.log)`);
    try {
      if (await check()) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} not ready within ${ms / 1000} s (log: ${logDir}/${p.name}.log)`);
}
const okGet = (url: string) => async () =>
  (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;

// ---------------------------------------------------------------- /proc

function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields 14 (utime) and 15 (stime), counted from 1; f[0] is field 3
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
}
function maxRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
const load1 = () => os.loadavg()[0];

// ---------------------------------------------------------------- helpers

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const readOp = (file: string) => readFileSync(join(root, 'test/operations', file), 'utf8');
const CITIZEN_PROFILE = readOp('citizen-profile.graphql');
const SEGMENT_MEMBERS = readOp('segment-members.graphql');

interface Gateway {
  key: 'ours' | 'apollo' | 'hive';
  label: string;
  proc: Proc;
  url: string;
  headers: Record<string, string>;
}

async function post(g: Gateway, query: string, variables: object) {
  const res = await fetch(g.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...g.headers },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: any[] } };
}

// ---------------------------------------------------------------- load generator

let citizenIds: string[] = [];
let nextCitizen = 0;
let wrapped = false;
const takeCitizen = () => {
  const id = citizenIds[nextCitizen++ % citizenIds.length];
  if (nextCitizen > citizenIds.length) wrapped = true;
  return id;
};

interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  non2xx: number;
  graphqlErrors: number;
  failed: number;
  /** The start of the first answer with GraphQL errors, if any. */
  firstError?: string;
}

/** CONNECTIONS workers, each one request at a time, until `seconds` or `maxRequests`. */
async function load(
  g: Gateway,
  seconds: number,
  maxRequests = MAX_REQUESTS,
  connections = CONNECTIONS,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let issued = 0;
  let non2xx = 0;
  let graphqlErrors = 0;
  let failed = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const headers = { 'content-type': 'application/json', ...g.headers };
  const worker = async () => {
    while (performance.now() < deadline && issued < maxRequests) {
      issued++;
      const body = JSON.stringify({ query: CITIZEN_PROFILE, variables: { id: takeCitizen() } });
      const t0 = performance.now();
      try {
        const res = await fetch(g.url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(30_000),
        });
        const text = await res.text();
        latencies.push(performance.now() - t0);
        if (res.status !== 200) non2xx++;
        else if (text.includes('"errors"')) {
          graphqlErrors++;
          if (!firstError)
            firstError = text
              .slice(text.indexOf('"errors"'), text.indexOf('"errors"') + 300)
              .trim();
        }
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - started) / 1000;
  return {
    requests: latencies.length,
    seconds: elapsed,
    rps: latencies.length / elapsed,
    p50: pct(latencies, 50),
    p95: pct(latencies, 95),
    non2xx,
    graphqlErrors,
    failed,
    firstError,
  };
}

// ---------------------------------------------------------------- emulator call log

interface Call {
  family: string;
  method: string;
  path: string;
  query: string;
  durationMs: number;
  at: string;
}
let emulatorUrl = '';
const emu = (path: string, init?: RequestInit) => fetch(`${emulatorUrl}/__emulator${path}`, init);
async function calls(): Promise<Call[]> {
  return ((await (await emu('/calls')).json()) as { calls: Call[] }).calls;
}
const resetCalls = async () => void (await emu('/calls', { method: 'DELETE' }));

/** Longest chain of calls each starting after the previous one ended (scripts/cost-table.ts). */
function hopsOf(cs: Call[]): number {
  const sorted = cs
    .map((c) => {
      const end = Date.parse(c.at);
      return { start: end - c.durationMs, end };
    })
    .sort((a, b) => a.end - b.end);
  const depth: number[] = [];
  sorted.forEach((c, i) => {
    let best = 0;
    for (let j = 0; j < i; j++) if (sorted[j].end <= c.start + 1) best = Math.max(best, depth[j]);
    depth[i] = best + 1;
  });
  return Math.max(0, ...depth);
}

/** "crm GET /services/data/v62.0/query (FROM Case)": ids in the path replaced by :id. */
const ID_PARENTS = new Set(['customers', 'baskets', 'orders', 'products', 'items']);
function endpointOf(c: Call): string {
  const segs = c.path.split('/');
  const path = segs
    .map((seg, i) =>
      ID_PARENTS.has(segs[i - 1]) ||
      /^\d+$/.test(seg) ||
      /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(seg) ||
      /^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/.test(seg) ||
      /^[0-9a-f]{20,}$/i.test(seg) ||
      seg.includes('@')
        ? ':id'
        : seg,
    )
    .join('/');
  let extra = '';
  if (/\/query\/?$/.test(c.path) && c.family === 'crm') {
    const q = new URLSearchParams(c.query.replace(/^\?/, '')).get('q') ?? '';
    const from = /\bFROM\s+(\w+)/i.exec(q);
    if (from) extra = ` (FROM ${from[1]})`;
  }
  return `${c.family} ${c.method} ${path}${extra}`;
}

// ---------------------------------------------------------------- cpu profile

/** Self time per function over the samples taken between `fromUs` and `toUs` (CLOCK_MONOTONIC µs, like process.hrtime). */
function topSelfTime(file: string, n: number, fromUs: number, toUs: number) {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: Array<{
      id: number;
      callFrame: { functionName: string; url: string; lineNumber: number };
    }>;
    startTime: number;
    samples: number[];
    timeDeltas: number[];
  };
  const stamps: number[] = [];
  let t = prof.startTime;
  for (const dt of prof.timeDeltas) stamps.push((t += dt));
  const inWindow = stamps.some((ts) => ts >= fromUs && ts <= toUs);
  const byId = new Map(prof.nodes.map((nd) => [nd.id, nd]));
  const self = new Map<string, number>();
  let total = 0;
  prof.samples.forEach((id, i) => {
    if (inWindow && (stamps[i] < fromUs || stamps[i] > toUs)) return;
    const nd = byId.get(id)!;
    const dt = prof.timeDeltas[i] ?? 0;
    const { functionName, url, lineNumber } = nd.callFrame;
    const where = url
      ? url
          .replace(pathToFileURL(root).href, '')
          .replace(/^.*node_modules\//, '')
          .replace(/^\//, '')
      : '';
    const key = `${functionName || '(anonymous)'}${where ? ` ${where}:${lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  const idle = self.get('(idle)') ?? 0;
  const busy = total - idle;
  return {
    windowed: inWindow,
    busyMs: busy / 1000,
    top: [...self.entries()]
      .filter(([k]) => k !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => ({ fn: k, ms: us / 1000, share: us / busy })),
    /** JavaScript functions only (a source location; not natives, GC or the VM). */
    topJs: [...self.entries()]
      .filter(([k]) => / \S+:\d+$/.test(k) && !/^\(/.test(k))
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => ({ fn: k, ms: us / 1000, share: us / busy })),
  };
}

// ---------------------------------------------------------------- main

async function main() {
  const t0 = Date.now();
  const secret = randomBytes(48).toString('base64');
  const ports = {
    emulator: await freePort(),
    pubsub: await freePort(),
    ours: await freePort(),
    apollo: await freePort(),
    hive: await freePort(),
    ...Object.fromEntries(
      await Promise.all(SUBGRAPHS.map(async (s) => [s.name, await freePort()])),
    ),
  } as Record<string, number>;
  emulatorUrl = `http://127.0.0.1:${ports.emulator}`;
  const base: Record<string, string | undefined> = {
    ...processEnv,
    NODE_ENV: 'production',
    PRINCIPAL_SECRET: secret,
    // The peers comparison measures the gateways over uncached subgraphs (every citizen is
    // primed once: a read cache would answer the rounds); bench/read-cache.ts measures the cache.
    READ_CACHE: 'off',
    // Production requires every credential explicitly: the emulator's integration client.
    ...Object.fromEntries(
      [
        'CRM_CLIENT_ID',
        'CRM_CLIENT_SECRET',
        'SCAPI_ORGANIZATION_ID',
        'SCAPI_SITE_ID',
        'SCAPI_CLIENT_ID',
        'SCAPI_CLIENT_SECRET',
        'IDENTITY_CLIENT_ID',
        'IDENTITY_REDIRECT_URI',
        'IDENTITY_HEADLESS_PROTECTION',
        'IDENTITY_INTROSPECT_CLIENT_ID',
        'IDENTITY_INTROSPECT_CLIENT_SECRET',
        // The bench's bearer is the integration client's token: an agent only when listed
        // (production lists none by default).
        'AGENT_CLIENT_IDS',
      ].map((n) => [n, VARIABLES[n as VarName].default]),
    ),
  };
  delete base.REDIS_URL;
  const upstream: NodeJS.ProcessEnv = {
    CRM_LOGIN_URL: `${emulatorUrl}/crm`,
    DATA_CLOUD_TENANT_URL: `${emulatorUrl}/datacloud`,
    SCAPI_BASE_URL: `${emulatorUrl}/scapi`,
    IDENTITY_SITE_URL: `${emulatorUrl}/identity`,
    // Required in production: the emulator's Pub/Sub API.
    PUBSUB_URL: `127.0.0.1:${ports.pubsub}`,
    PUBSUB_CA_FILE: 'emulator/pubsub/test-certs/cert.pem',
  };
  const subgraphUrls: NodeJS.ProcessEnv = Object.fromEntries(
    SUBGRAPHS.map((s) => [s.urlEnv, `http://127.0.0.1:${ports[s.name]}/graphql`]),
  );

  console.log(`bench: logs in ${logDir}`);
  if (COMPILED) compile();
  const emulator = start('emulator', 'emulator/main.ts', {
    ...base,
    EMULATOR_PORT: String(ports.emulator),
    EMULATOR_PUBSUB_PORT: String(ports.pubsub),
    EMULATOR_CITIZENS: String(CITIZENS),
    EMULATOR_DAILY_API_LIMIT: String(1_000_000_000),
    // Throughput, not the day's allowance, is measured: Data Cloud's daily limits out of the way
    // (its concurrency stays the documented 15, which the customer subgraph keeps within).
    EMULATOR_DATA_CLOUD_QUERY_DAILY_LIMIT: String(1_000_000_000),
    EMULATOR_DATA_CLOUD_PROFILE_DAILY_LIMIT: String(1_000_000_000),
    // The bench reads the emulator's call log (production mode: off unless set).
    EMULATOR_TEST_HOOKS: 'true',
  });
  await waitUntil(emulator, okGet(`${emulatorUrl}/`), 'emulator');

  const subgraphs = SUBGRAPHS.map((s) => ({
    s,
    proc: start(s.name, `subgraphs/${s.name}/main.ts`, {
      ...base,
      ...upstream,
      [`${s.name.toUpperCase()}_PORT`]: String(ports[s.name]),
    }),
  }));
  await Promise.all(
    subgraphs.map(({ s, proc }) =>
      waitUntil(proc, okGet(`http://127.0.0.1:${ports[s.name]}/readyz`), `${s.name} subgraph`),
    ),
  );

  const gatewayEnv: NodeJS.ProcessEnv = {
    ...base,
    ...upstream,
    ...subgraphUrls,
    GATEWAY_PORT: String(ports.ours),
    // The bench's one agent spends far more than a person would: lift its per-minute budget.
    UPSTREAM_CALLS_PER_MINUTE_AGENT: String(1_000_000_000),
  };
  const startOurs = (nodeArgs: string[] = []) =>
    start('gateway', 'gateway/main.ts', gatewayEnv, nodeArgs);
  let oursProc = startOurs();
  const apolloProc = start('apollo', 'bench/peers/apollo.ts', {
    ...base,
    ...subgraphUrls,
    PEER_PORT: String(ports.apollo),
  });
  const hiveProc = start('hive', 'bench/peers/hive.ts', {
    ...base,
    ...subgraphUrls,
    PEER_PORT: String(ports.hive),
  });

  // The agent's bearer token: client credentials of the integration client (test/client.ts).
  const users = (await (await emu('/demo-users')).json()) as {
    integration: { clientId: string; clientSecret: string };
  };
  const tokenRes = (await (
    await fetch(`${emulatorUrl}/crm/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: users.integration.clientId,
        client_secret: users.integration.clientSecret,
      }),
    })
  ).json()) as { access_token: string; instance_url: string };

  // Every unified individual's id, from Data Cloud's Query API (the way a client would list them).
  const dc = (await (
    await fetch(`${tokenRes.instance_url}/services/a360/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'urn:salesforce:grant-type:external:cdp',
        subject_token: tokenRes.access_token,
        subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      }),
    })
  ).json()) as { access_token: string };
  const q = (await (
    await fetch(`${emulatorUrl}/datacloud/api/v2/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${dc.access_token}` },
      body: JSON.stringify({
        sql: `SELECT ssot__Id__c FROM ${knobs.get('BENCH_UNIFIED_TABLE')}`,
      }),
    })
  ).json()) as { data: string[][] };
  citizenIds = q.data.map((r) => r[0]);
  if (citizenIds.length < 10) throw new Error(`only ${citizenIds.length} citizens found`);

  const gateways: Gateway[] = [
    {
      key: 'ours',
      label: 'ours (gateway/)',
      proc: oursProc,
      url: `http://127.0.0.1:${ports.ours}/graphql`,
      headers: { authorization: `Bearer ${tokenRes.access_token}` },
    },
    {
      key: 'apollo',
      label: 'stock @apollo/gateway 2.14.4',
      proc: apolloProc,
      url: `http://127.0.0.1:${ports.apollo}/graphql`,
      headers: {},
    },
    {
      key: 'hive',
      label: 'Hive Gateway 2.15.1 + Rust planner',
      proc: hiveProc,
      url: `http://127.0.0.1:${ports.hive}/graphql`,
      headers: {},
    },
  ];
  await waitUntil(oursProc, okGet(`http://127.0.0.1:${ports.ours}/readyz`), 'our gateway');
  for (const g of gateways)
    await waitUntil(
      g.proc,
      async () => (await post(g, '{ __typename }', {})).status === 200,
      `${g.key} gateway`,
    );

  // Same answers from all three (a sample of citizens).
  const mismatches: string[] = [];
  for (const id of citizenIds.slice(0, 3)) {
    const answers = await Promise.all(gateways.map((g) => post(g, CITIZEN_PROFILE, { id })));
    answers.forEach((a, i) => {
      if (a.status !== 200 || a.body.errors)
        mismatches.push(`${gateways[i].key}: ${a.status} ${JSON.stringify(a.body.errors)}`);
    });
    const ref = JSON.stringify(answers[0].body.data);
    answers.slice(1).forEach((a, i) => {
      if (JSON.stringify(a.body.data) !== ref)
        mismatches.push(`${gateways[i + 1].key}: data differs from ours for ${id}`);
    });
  }
  if (mismatches.length) console.warn(`bench: answers differ:\n  ${mismatches.join('\n  ')}`);

  const measured = [
    ...gateways.map((g) => ({ name: g.key, proc: g.proc })),
    ...subgraphs.map(({ s, proc }) => ({ name: s.name, proc })),
    { name: 'emulator', proc: emulator },
  ];

  if (PRIME) {
    // A third of the citizens through each gateway: the same work before the rounds for all three.
    const share = Math.ceil(citizenIds.length / gateways.length);
    console.log(`bench: priming ${citizenIds.length} citizens, ${share} through each gateway …`);
    for (const g of gateways) {
      const r = await load(g, 45, share);
      console.log(`bench: primed ${r.requests} via ${g.key} in ${r.seconds.toFixed(1)} s`);
    }
  }
  for (const g of gateways) await load(g, WARMUP_SECONDS);

  // (a) + (b): rounds, the order rotated each round (A B C, B C A, C A B).
  type Round = LoadResult & { cpu: Record<string, number>; load1: number };
  const rounds: Record<string, Round[]> = { ours: [], apollo: [], hive: [] };
  for (let r = 0; r < ROUNDS; r++) {
    const order = gateways.map((_, i) => gateways[(i + r) % gateways.length]);
    for (const g of order) {
      const before = Object.fromEntries(measured.map((m) => [m.name, cpuMs(m.proc.pid)]));
      const res = await load(g, ROUND_SECONDS);
      const cpu = Object.fromEntries(
        measured.map((m) => [m.name, (cpuMs(m.proc.pid) - before[m.name]) / res.requests]),
      );
      rounds[g.key].push({ ...res, cpu, load1: load1() });
      console.log(
        `bench: round ${r + 1} ${g.key.padEnd(6)} ${res.rps.toFixed(1)} req/s p50 ${res.p50.toFixed(0)} ms p95 ${res.p95.toFixed(0)} ms; gateway ${cpu[g.key].toFixed(2)} CPU-ms/req (load ${load1().toFixed(2)})`,
      );
    }
  }
  const rss = Object.fromEntries(gateways.map((g) => [g.key, maxRssMb(g.proc.pid)]));
  const rssLoad = load1();

  // (c) + (d): 50 ms per upstream call; sequential requests; counts from the emulator's log.
  const fault = (await (
    await emu('/faults', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'latency', latencyMs: LATENCY_MS }),
    })
  ).json()) as { id: string };
  const ops = [
    { name: 'CitizenProfile', query: CITIZEN_PROFILE, vars: { id: citizenIds[0] } },
    {
      name: 'SegmentMembers(first: 10)',
      query: SEGMENT_MEMBERS,
      vars: { apiName: 'High_Engagement', first: 10 },
    },
    {
      name: 'SegmentMembers(first: 100)',
      query: SEGMENT_MEMBERS,
      vars: { apiName: 'High_Engagement', first: 100 },
    },
  ];
  const opCalls: Record<string, Record<string, Call[]>> = {};
  const opErrors: string[] = [];
  for (const op of ops) {
    opCalls[op.name] = {};
    for (const g of gateways) {
      await post(g, op.query, op.vars); // warm token caches (as scripts/cost-table.ts)
      await resetCalls();
      const res = await post(g, op.query, op.vars);
      if (res.status !== 200 || res.body.errors)
        opErrors.push(`${op.name} via ${g.key}: ${res.status} ${JSON.stringify(res.body.errors)}`);
      opCalls[op.name][g.key] = await calls();
    }
  }
  const samples: Record<string, number[]> = { ours: [], apollo: [], hive: [] };
  for (let i = 0; i < LATENCY_SAMPLES; i++)
    for (const g of gateways) {
      const t = performance.now();
      await post(g, CITIZEN_PROFILE, { id: citizenIds[(i + 1) % citizenIds.length] });
      samples[g.key].push(performance.now() - t);
    }
  const slowLoad = load1();
  const slow = Object.fromEntries(
    gateways.map((g) => [g.key, { p50: median(samples[g.key]), load1: slowLoad }]),
  );
  await emu(`/faults/${fault.id}`, { method: 'DELETE' });
  const callsLoad = load1();

  // Profile our gateway once under the same load.
  let profile: ReturnType<typeof topSelfTime> | undefined;
  let profileLoad = NaN;
  if (PROFILE) {
    const dir = join(logDir, 'cpu-prof');
    mkdirSync(dir, { recursive: true });
    await stopProc(oursProc);
    oursProc = startOurs(['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    gateways[0].proc = oursProc;
    await waitUntil(oursProc, okGet(`http://127.0.0.1:${ports.ours}/readyz`), 'our gateway');
    await load(gateways[0], WARMUP_SECONDS);
    const fromUs = Number(process.hrtime.bigint() / 1000n);
    await load(gateways[0], ROUND_SECONDS);
    const toUs = Number(process.hrtime.bigint() / 1000n);
    profileLoad = load1();
    await stopProc(oursProc);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (file) profile = topSelfTime(join(dir, file), 8, fromUs, toUs);
  }

  for (const p of [...procs].reverse()) await stopProc(p);

  // ------------------------------------------------------------ the table
  const L = (x: number) => ` ⟨${x.toFixed(2)}⟩`;
  const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–');
  const med = (key: string, pick: (r: Round) => number, d = 1) => {
    const rs = rounds[key];
    const vals = rs.map(pick);
    const m = median(vals);
    // the load average of the round closest to the median
    const near = rs[vals.indexOf([...vals].sort((a, b) => Math.abs(a - m) - Math.abs(b - m))[0])];
    return `${f(m, d)}${L(near?.load1 ?? NaN)}`;
  };
  const rows: string[][] = [];
  const row = (metric: string, cell: (g: Gateway) => string) =>
    rows.push([metric, ...gateways.map(cell)]);
  row('(a) RPS, CitizenProfile', (g) => med(g.key, (r) => r.rps));
  row('(a) p50 ms', (g) => med(g.key, (r) => r.p50, 0));
  row('(a) p95 ms', (g) => med(g.key, (r) => r.p95, 0));
  row('(a) errors (non-2xx / GraphQL errors / failed), all rounds', (g) => {
    const rs = rounds[g.key];
    const sum = (k: 'non2xx' | 'graphqlErrors' | 'failed') => rs.reduce((a, r) => a + r[k], 0);
    return `${sum('non2xx')} / ${sum('graphqlErrors')} / ${sum('failed')} of ${rs.reduce((a, r) => a + r.requests, 0)}`;
  });
  row('(b) CPU-ms/req, gateway under test', (g) => med(g.key, (r) => r.cpu[g.key], 2));
  for (const { s } of subgraphs)
    row(`(b) CPU-ms/req, ${s.name} subgraph`, (g) => med(g.key, (r) => r.cpu[s.name], 2));
  row('(b) CPU-ms/req, emulator', (g) => med(g.key, (r) => r.cpu.emulator, 2));
  row('(b) CPU-ms/req, all subgraphs (excl. emulator)', (g) =>
    med(g.key, (r) => subgraphs.reduce((a, { s }) => a + r.cpu[s.name], 0), 2),
  );
  row('(b) gateway max RSS MB (VmHWM)', (g) => `${f(rss[g.key], 0)}${L(rssLoad)}`);
  const cpCalls = opCalls.CitizenProfile;
  row(`(c) CitizenProfile hops (${LATENCY_MS} ms per call)`, (g) => String(hopsOf(cpCalls[g.key])));
  row(
    `(c) CitizenProfile p50 ms, ${LATENCY_MS} ms per call, sequential`,
    (g) => `${f(slow[g.key].p50, 0)}${L(slow[g.key].load1)}`,
  );
  row('(c) p50 ÷ (hops × 50 ms)', (g) => {
    const h = hopsOf(cpCalls[g.key]);
    return `${f(slow[g.key].p50 / (h * LATENCY_MS), 2)}${L(slow[g.key].load1)}`;
  });
  row(
    '(c) p50 ÷ 100 ms (the 2-hop target)',
    (g) => `${f(slow[g.key].p50 / 100, 2)}${L(slow[g.key].load1)}`,
  );
  for (const op of ops) {
    const byG = opCalls[op.name];
    row(`(d) ${op.name}: Salesforce calls`, (g) => String(byG[g.key].length));
    row(`(d) ${op.name}: hops`, (g) => String(hopsOf(byG[g.key])));
    for (const fam of ['datacloud', 'crm', 'scapi', 'identity'])
      row(`(d) ${op.name}: ${fam}`, (g) =>
        String(byG[g.key].filter((c) => c.family === fam).length),
      );
    const endpoints = [...new Set(gateways.flatMap((g) => byG[g.key].map(endpointOf)))].sort();
    for (const e of endpoints)
      row(`(d) ${op.name}: · ${e}`, (g) =>
        String(byG[g.key].filter((c) => endpointOf(c) === e).length),
      );
  }

  const header = ['metric', ...gateways.map((g) => g.label)];
  const table = [header, header.map(() => '---'), ...rows]
    .map((r) => `| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`)
    .join('\n');
  const cpu = os.cpus();
  const when = new Date().toISOString();
  const notes = [
    `Run ${when} on ${os.cpus().length} × ${cpu[0]?.model ?? 'cpu'}, Node ${process.version}; load average at the end (1/5/15 min): ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' / ')}; ${((Date.now() - t0) / 1000).toFixed(0)} s in all.`,
    `⟨x⟩ after a figure is os.loadavg()[0] when it was measured (for a median: at the end of the round closest to it).`,
    `Every process NODE_ENV=production, one process each, 127.0.0.1; emulator seeded with ${citizenIds.length} citizens; ${CONNECTIONS} connections; ${ROUNDS} rounds × ${ROUND_SECONDS} s per gateway, order rotated per round; medians shown. A different citizen per request${wrapped ? ' (the pool wrapped around: a citizen recurs after ' + citizenIds.length + ' requests)' : ''}${PRIME ? '; every citizen primed once before the rounds, a third through each gateway' : ''}.`,
    `The load generator runs in the bench process on the same cores (node fetch). Peers forward a pre-signed agent principal (re-signed every 30 s); ours validates a real agent bearer token (client credentials) and signs per request. Our gateway's per-agent upstream budget is lifted (UPSTREAM_CALLS_PER_MINUTE_AGENT) so it does not throttle the bench; access logs at the production default level go to files.`,
    `(c)/(d): a ${LATENCY_MS} ms latency fault on every emulator call; (d) counts one request after a warm-up request with the same variables (warm token caches, as scripts/cost-table.ts); (c) p50 of ${LATENCY_SAMPLES} sequential requests per gateway, alternated, different citizens; hops = the longest chain of calls each starting after the previous ended.`,
    ...gateways.flatMap((g) => {
      const e = rounds[g.key].find((r) => r.firstError)?.firstError;
      return e ? [`First GraphQL error under load via ${g.key}: \`${e.replace(/`/g, "'")}\``] : [];
    }),
    ...(mismatches.length ? [`Answers differed: ${mismatches.join('; ')}`] : []),
    ...(opErrors.length ? [`Errors in (c)/(d): ${opErrors.join('; ')}`] : []),
    `(d) measured at load ⟨${callsLoad.toFixed(2)}⟩.`,
  ];
  const profTable = (list: Array<{ fn: string; ms: number; share: number }>) => [
    '| function | self ms | share of busy |',
    '| --- | --- | --- |',
    ...list.map(
      (t) => `| ${t.fn.replace(/\|/g, '\\|')} | ${f(t.ms, 0)} | ${f(t.share * 100, 1)} % |`,
    ),
  ];
  const profileText = profile
    ? [
        `Our gateway under ${ROUND_SECONDS} s of the same load with --cpu-prof (${f(profile.busyMs, 0)} ms busy${profile.windowed ? ', samples of the measured window only' : ', whole process life including start-up'}) ⟨${profileLoad.toFixed(2)}⟩. Top self time, everything (writev/writeString are socket and log writes):`,
        '',
        ...profTable(profile.top),
        '',
        'Top self time, JavaScript functions only:',
        '',
        ...profTable(profile.topJs),
      ].join('\n')
    : '';
  const text = `${table}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`;
  console.log(`\n${text}\n${profileText}`);
  let md = `# npm run bench — ${when}\n\nWritten by \`npm run bench\` (bench/run.ts); see bench/README.md.\n\n${text}\n${profileText}\n`;
  try {
    // Formatted the way `npm run lint` (prettier --check) expects.
    const prettier = await import('prettier');
    md = await prettier.format(md, { parser: 'markdown' });
  } catch {
    /* unformatted is still Markdown */
  }
  writeFileSync(join(root, 'bench/results.md'), md);
  console.log('\nbench: wrote bench/results.md');
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`bench: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
