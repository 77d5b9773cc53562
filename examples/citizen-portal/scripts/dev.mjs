/* global process, console, fetch, AbortSignal, setTimeout */
// `npm run dev` (from the repository root: `npm --prefix examples/citizen-portal run dev`): the
// whole embedded stack (the root's scripts/start.ts: emulator, four subgraphs, gateway on their
// default ports), then Vite's dev server with /graphql proxied to the gateway. When a gateway
// already answers on GATEWAY_URL (you ran `npm start` yourself), only Vite starts.
// Ctrl-C stops everything this script started.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const portal = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(portal, '..', '..');
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000';
const READY_TIMEOUT_MS = 120_000;

const ready = () =>
  fetch(`${gateway}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
    (r) => r.ok,
    () => false,
  );

const children = [];
const run = (name, cmd, args, cwd) => {
  const child = spawn(cmd, args, { cwd, stdio: 'inherit', env: process.env });
  child.on('exit', (code, signal) => {
    console.log(`[portal] ${name} exited (${signal ?? code})`);
    stop(code ?? 1);
  });
  children.push(child);
  return child;
};

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => stop(0));

if (await ready()) {
  console.log(`[portal] using the gateway already running at ${gateway}`);
} else {
  console.log('[portal] starting the embedded stack (scripts/start.ts)…');
  run('stack', join(root, 'node_modules', '.bin', 'tsx'), ['scripts/start.ts'], root);
  const end = Date.now() + READY_TIMEOUT_MS;
  while (!(await ready())) {
    if (stopping) process.exit(1);
    if (Date.now() > end) {
      console.error(
        `[portal] the gateway at ${gateway} was not ready in ${READY_TIMEOUT_MS / 1000}s`,
      );
      stop(1);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
run('vite', join(portal, 'node_modules', '.bin', 'vite'), [], portal);
