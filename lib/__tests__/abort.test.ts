// A call's timeout must hold through garbage collections: run in a child with --expose-gc that
// collects every 20 ms while fetching a peer that accepts the connection and never answers.
import { execFile } from 'node:child_process';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { ROOT, TSX_LOADER } from '../../test/ops/processes.js';
import { callSignal } from '../abort.js';

const run = promisify(execFile);
let hung: Server;
const sockets = new Set<Socket>();

beforeAll(async () => {
  hung = createServer((socket) => void sockets.add(socket));
  await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((r) => hung.close(() => r()));
});

async function fetchHungPeer(): Promise<string> {
  const port = (hung.address() as AddressInfo).port;
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--import', TSX_LOADER, 'test/fixtures/hung-fetch.ts', String(port)],
    { cwd: ROOT, timeout: 20_000 },
  );
  return stdout.trim();
}

test('a fetch under callSignal times out on time while garbage is collected', async () => {
  expect(await fetchHungPeer()).toMatch(/^TimeoutError after (3\d\d|4\d\d) ms$/);
});

test('the parent signal aborts the call with its reason; done() lets go of it', () => {
  const parent = new AbortController();
  const call = callSignal(60_000, parent.signal);
  parent.abort(new Error('client went away'));
  expect(call.signal.aborted).toBe(true);
  expect((call.signal.reason as Error).message).toBe('client went away');

  const other = new AbortController();
  const settled = callSignal(60_000, other.signal);
  settled.done();
  other.abort();
  expect(settled.signal.aborted).toBe(false);
});

test('an already aborted parent aborts the call at once', () => {
  const parent = new AbortController();
  parent.abort();
  expect(callSignal(1_000, parent.signal).signal.aborted).toBe(true);
});
