// The image and the compose file, checked without a Docker engine: every service's command runs a
// compiled file (build/…/main.js) whose source exists and that the build stage compiles (with
// everything it imports and every file it reads) and the runtime stage copies, every variable
// a service is given is one its code reads, every port it publishes is the one it listens on,
// and the image builds GraphiQL in a build stage and runs as non-root on production dependencies.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './processes.js';
import { sdlFilesOf, SUBGRAPHS } from '../../schema/subgraphs.js';
import {
  readEnv,
  requiredInProduction,
  variablesOf,
  type Service,
} from '../../lib/config/registry.js';
import { SHUTDOWN_CLEANUP_MS } from '../../lib/http.js';

interface ComposeService {
  build?: unknown;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
  depends_on?: Record<string, { condition: string }> | string[];
  profiles?: string[];
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as { services: Record<string, ComposeService> };
const services = compose.services;
const ours = Object.entries(services).filter(([, s]) => s.build !== undefined);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The Dockerfile's stages: name and instructions (continuation lines joined). */
function dockerStages() {
  const lines = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: Array<{ from: string; name?: string; lines: string[] }> = [];
  for (const l of lines) {
    const m = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(l);
    if (m) stages.push({ from: m[1], name: m[2], lines: [] });
    else stages[stages.length - 1].lines.push(l);
  }
  return stages;
}
const stages = dockerStages();
const runtime = stages[stages.length - 1];
/** Paths (relative to /app) the runtime stage holds: COPY sources from the context or a stage. */
const copied = runtime.lines
  .filter((l) => /^COPY\s/i.test(l))
  .flatMap((l) => {
    const parts = l.split(/\s+/).slice(1);
    const from = parts.find((p) => p.startsWith('--from='))?.slice('--from='.length);
    const args = parts.filter((p) => !p.startsWith('--'));
    const dest = args.pop()!;
    return args.map((src) => ({
      from,
      src: src.replace(/^\/app\//, '').replace(/\/$/, ''),
      dest: dest === './' ? src.replace(/^\/app\//, '') : dest.replace(/^\.\//, ''),
    }));
  });
const inImage = (file: string) =>
  copied.some(
    (c) =>
      c.from === undefined && (file === c.src || file.startsWith(`${c.src}/`)) && c.dest === c.src,
  );
const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

/** The entry's own files: it and every relative import, transitively (repo-relative paths). */
function importClosure(entry: string): { files: string[]; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const src = readFileSync(join(ROOT, file), 'utf8');
    for (const m of src.matchAll(
      /(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm,
    )) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (spec.startsWith('node:')) continue;
      if (!spec.startsWith('.')) {
        if (/^import\s+type\s/.test(m[0].trim())) continue;
        packages.add(
          spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0],
        );
        continue;
      }
      const target = relative(ROOT, join(ROOT, dirname(file), spec)).replace(/\.js$/, '.ts');
      const resolved = [target, `${target}.ts`, join(target, 'index.ts')].find(
        (t) => existsSync(join(ROOT, t)) && statSync(join(ROOT, t)).isFile(),
      );
      if (!resolved) throw new Error(`${file} imports ${spec}, which does not exist`);
      visit(resolved);
    }
  };
  visit(entry);
  return { files: [...files], packages };
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== '__tests__' && e.name !== 'node_modules') out.push(...sources(p));
    } else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

/** Whether the code a service runs reads this variable (`env.NAME`, `env['NAME']` or `'NAME'`). */
/** The registry's service name of an entry point (lib/config/registry.ts declares who reads what). */
const serviceOf = (entry: string): Service =>
  entry.startsWith('emulator/')
    ? 'emulator'
    : entry.startsWith('gateway/')
      ? 'gateway'
      : (entry.split('/')[1] as Service);
function reads(entry: string, name: string): boolean {
  return (variablesOf(serviceOf(entry)) as string[]).includes(name);
}

/** The port a service listens on: its *_PORT variable in compose (checked to be read). */
const PORT_VARIABLE: Record<string, string> = {
  'emulator/main.ts': 'EMULATOR_PORT',
  'gateway/main.ts': 'GATEWAY_PORT',
  'subgraphs/customer/main.ts': 'CUSTOMER_PORT',
  'subgraphs/case/main.ts': 'CASE_PORT',
  'subgraphs/commerce/main.ts': 'COMMERCE_PORT',
  'subgraphs/session/main.ts': 'SESSION_PORT',
};

/** A service's command is `node build/<source>.js`; this is its TypeScript source. */
const entryOf = (s: ComposeService) => {
  expect(s.command).toHaveLength(2);
  expect(s.command![0]).toBe('node');
  const m = /^build\/(.+)\.js$/.exec(s.command![1]);
  expect(m).not.toBeNull();
  return `${m![1]}.ts`;
};

/** The stage that runs `npm run build:server` (it compiles to build/ what tsconfig.build.json includes). */
const compileStage = () => stages.find((st) => st.lines.includes('RUN npm run build:server'))!;
const compiledDirs: string[] = (
  JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] }
).include;
/** Whether build/ holds this source file compiled (or, not TypeScript, copied beside it). */
const inBuild = (file: string) => {
  const top = file.split('/')[0];
  const stage = compileStage();
  return (
    !!stage &&
    compiledDirs.includes(top) &&
    stage.lines.some((l) => new RegExp(`^COPY\\s+${top}\\s+\\./${top}$`).test(l)) &&
    !/(^|\/)__tests__\//.test(file)
  );
};

describe('docker-compose.yml', () => {
  test('has redis, the emulator, four subgraphs, two gateway replicas and an observability profile', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'case',
        'commerce',
        'customer',
        'emulator',
        'gateway-1',
        'gateway-2',
        'otel-collector',
        'prometheus',
        'redis',
        'session',
      ].sort(),
    );
    expect(ours.map(([n]) => n).sort()).toEqual(
      ['case', 'commerce', 'customer', 'emulator', 'gateway-1', 'gateway-2', 'session'].sort(),
    );
    expect(services.prometheus.profiles).toEqual(['observability']);
    expect(services['otel-collector'].profiles).toEqual(['observability']);
    // One published host port per replica.
    expect(services['gateway-1'].ports).toEqual(['4000:4000']);
    expect(services['gateway-2'].ports).toEqual(['4100:4000']);
    for (const name of ['redis', ...ours.map(([n]) => n)])
      expect(services[name].healthcheck?.test.length).toBeGreaterThan(1);
  });

  test.each(ours)(
    '%s runs a file that exists, with everything it imports in the image',
    (_n, s) => {
      const entry = entryOf(s);
      expect(existsSync(join(ROOT, entry))).toBe(true);
      // The build stage compiles it and everything it imports; the runtime stage has build/.
      const { files, packages } = importClosure(entry);
      expect(files.filter((f) => !inBuild(f))).toEqual([]);
      expect(copied).toContainEqual({ from: compileStage().name, src: 'build', dest: 'build' });
      // Nothing it imports is left out of the build context.
      expect(files.filter((f) => /(^|\/)__tests__\/|\.test\.ts$/.test(f))).toEqual([]);
      // Every package it imports is installed by `npm ci --omit=dev`.
      expect([...packages].filter((p) => !(p in pkg.dependencies))).toEqual([]);
    },
  );

  test.each(ours)(
    '%s is given only variables its code reads, and listens where it is published',
    (_n, s) => {
      const entry = entryOf(s);
      const env = s.environment ?? {};
      expect(Object.keys(env).filter((v) => !reads(entry, v))).toEqual([]);
      const portVar = PORT_VARIABLE[entry];
      expect(reads(entry, portVar)).toBe(true);
      // The image runs in production: every variable a production start needs is given.
      expect(requiredInProduction(serviceOf(entry)).filter((v) => !(v in env))).toEqual([]);
      const port = env[portVar];
      expect(port).toMatch(/^\d+$/);
      const containerPorts = [
        ...(s.expose ?? []),
        ...(s.ports ?? []).map((p) => p.split(':').pop()!),
      ];
      expect(new Set(containerPorts)).toEqual(new Set([port]));
      expect(s.healthcheck!.test.join(' ')).toContain(`http://127.0.0.1:${port}/`);
      // In a container the service must listen beyond loopback.
      const hostVar = entry.startsWith('gateway')
        ? 'GATEWAY_HOST'
        : entry.startsWith('emulator')
          ? 'EMULATOR_HOST'
          : 'HOST';
      expect(env[hostVar]).toBe('0.0.0.0');
    },
  );

  test.each(ours.filter(([n]) => n !== 'emulator'))(
    '%s: stop_grace_period covers the shutdown (SHUTDOWN_DELAY_MS + SHUTDOWN_TIMEOUT_MS + cleanup)',
    (_n, s) => {
      // The image runs in production: the delay's production default applies unless set.
      const e = readEnv({ ...s.environment, NODE_ENV: 'production' });
      const needMs =
        e.get('SHUTDOWN_DELAY_MS') + e.get('SHUTDOWN_TIMEOUT_MS') + SHUTDOWN_CLEANUP_MS;
      const m = /^(\d+)s$/.exec(s.stop_grace_period ?? '');
      expect(m).not.toBeNull();
      expect(Number(m![1]) * 1000).toBeGreaterThanOrEqual(needMs);
    },
  );

  test('the gateways point at the subgraph services on the ports they listen on, and wait for them', () => {
    for (const name of ['gateway-1', 'gateway-2']) {
      const g = services[name];
      for (const [sub, v] of [
        ['customer', 'CUSTOMER'],
        ['case', 'CASE'],
        ['commerce', 'COMMERCE'],
        ['session', 'SESSION'],
      ]) {
        const port = services[sub].environment![`${v}_PORT`];
        expect(g.environment![`${v}_SUBGRAPH_URL`]).toBe(`http://${sub}:${port}/graphql`);
        expect((g.depends_on as Record<string, { condition: string }>)[sub]).toEqual({
          condition: 'service_healthy',
        });
      }
      expect(g.environment!.REDIS_URL).toBe('redis://redis:6379');
    }
    // Every upstream URL a service is given points at the emulator service's port.
    const emulatorPort = services.emulator.environment!.EMULATOR_PORT;
    for (const [, s] of ours)
      for (const [k, v] of Object.entries(s.environment ?? {}))
        if (/_URL$/.test(k) && v.includes('emulator'))
          expect(v).toMatch(
            k === 'PUBSUB_URL'
              ? /^emulator:4011$/ // the emulator's Pub/Sub API (gRPC), EMULATOR_PUBSUB_PORT's default
              : new RegExp(`^http://emulator:${emulatorPort}/`),
          );
    // Its test hooks (demo credentials, passcodes) are not served unless the developer asks,
    // and its port is published on loopback only.
    expect(services.emulator.environment!.EMULATOR_TEST_HOOKS).toBe(
      '${EMULATOR_TEST_HOOKS:-false}',
    );
    expect(services.emulator.ports).toEqual(['127.0.0.1:4010:4010']);
  });
});

describe('Dockerfile', () => {
  test('builds GraphiQL in a build stage and copies only its output into the runtime stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const build = stages.find((s) => s.lines.some((l) => /npm run build:graphiql/.test(l)))!;
    expect(build).toBeDefined();
    expect(build).not.toBe(runtime);
    // The build stage installs devDependencies (esbuild, graphiql) and has the UI sources.
    expect(build.lines).toContain('RUN npm ci --no-audit --no-fund');
    for (const need of ['ui', 'scripts', 'test/operations'])
      expect(build.lines.some((l) => new RegExp(`^COPY\\s+${need}\\s`).test(l))).toBe(true);
    expect(copied).toContainEqual({
      from: build.name,
      src: 'dist/graphiql',
      dest: 'dist/graphiql',
    });
    // The gateway serves GraphiQL from dist/graphiql next to gateway/.
    expect(readFileSync(join(ROOT, 'gateway/main.ts'), 'utf8')).toContain(
      "new URL('../dist/graphiql', import.meta.url)",
    );
  });

  test('runs as non-root with production dependencies only', () => {
    const user = runtime.lines.find((l) => /^USER\s/.test(l));
    expect(user).toBe('USER node');
    expect(runtime.lines.some((l) => /^RUN\s.*npm (ci|install)/.test(l))).toBe(false);
    const modules = copied.find((c) => c.src === 'node_modules')!;
    const deps = stages.find((s) => s.name === modules.from)!;
    expect(deps.lines).toContain(
      'RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force',
    );
    expect(runtime.lines).toContain('ENV NODE_ENV=production');
    // The default command is a gateway run the same way compose runs it.
    expect(runtime.lines).toContain('CMD ["node", "build/gateway/main.js"]');
    // The operator's scripts (org:check) run the TypeScript through tsx: a production dependency.
    expect(pkg.dependencies.tsx).toBeDefined();
  });

  test('files the services read at run time are in the image', () => {
    // Not imports: the supergraph SDL (gateway) and each subgraph's SDL files (its own
    // schema.graphql and the common types, lib/graphql/common.graphql).
    const sdlFiles = [...new Set(SUBGRAPHS.flatMap(sdlFilesOf))];
    expect(sdlFiles).toEqual([
      'subgraphs/customer/schema.graphql',
      'lib/graphql/common.graphql',
      'subgraphs/case/schema.graphql',
      'subgraphs/commerce/schema.graphql',
      'subgraphs/session/schema.graphql',
    ]);
    // build:server copies them beside the compiled code; package.json ("type": "module") is copied.
    for (const f of ['schema/supergraph.graphql', 'gql/persisted-documents.json', ...sdlFiles]) {
      expect(existsSync(join(ROOT, f))).toBe(true);
      expect(inBuild(f)).toBe(true);
    }
    expect(copied.some((c) => c.src === 'package.json')).toBe(true);
  });

  test('.dockerignore keeps tests and local state out but nothing the image copies', () => {
    expect(dockerignore).toEqual(
      expect.arrayContaining(['node_modules', 'dist', '.git', '**/__tests__']),
    );
    for (const c of copied.filter((x) => x.from === undefined))
      expect(dockerignore).not.toContain(c.src);
    expect(dockerignore).toContain('!test/operations');
  });
});

test('every source directory a service imports from is copied (lib, schema, …)', () => {
  const dirs = new Set(
    ours.flatMap(([, s]) => importClosure(entryOf(s)).files.map((f) => f.split('/')[0])),
  );
  for (const d of dirs) expect(inImage(`${d}/x`) && inBuild(`${d}/x`)).toBe(true);
  expect(sources('lib').length).toBeGreaterThan(0);
});
