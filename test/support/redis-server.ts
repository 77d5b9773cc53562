// A real redis-server (Debian's package; .ci/run installs it) on a free loopback port, for the
// shared-state tests. Without the binary the tests say so: in CI that is a failure, on a
// developer's machine a skip with the install command.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { budget } from './budget.js';

export const HAS_REDIS = spawnSync('redis-server', ['--version']).status === 0;
if (!HAS_REDIS && process.env.CI)
  throw new Error(
    'redis-server is missing: .ci/run must install it (apt-get install redis-server)',
  );
if (!HAS_REDIS)
  console.warn('redis-server not found; skipping the Redis tests (apt-get install redis-server)');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** A redis-server on a free port, or on `port` (a Redis restarted where its clients expect it). */
export async function startRedisServer(o: { port?: number } = {}): Promise<RedisServer> {
  const port = o.port ?? (await freePort());
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    const ms = budget(0.5);
    const timer = setTimeout(() => reject(new Error(`redis-server did not start in ${ms} ms`)), ms);
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
