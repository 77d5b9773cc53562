// npm run bench:seed [-- 100000] — how long the emulator takes to seed N citizens (all families),
// reported as a ratio to the default size so the number means something on any machine.
import { createEmulator } from '../emulator/server.js';
import { DEFAULT_CITIZENS } from '../emulator/world.js';

const n = Number(process.argv[2] ?? 100_000);
const time = (citizens: number) => {
  const started = performance.now();
  createEmulator({ citizens });
  return performance.now() - started;
};
time(100); // warm the JIT and module caches
const base = time(DEFAULT_CITIZENS);
const big = time(n);
const heapMb = Math.round(process.memoryUsage().heapUsed / 1024 / 1024);
console.log(`seeded ${DEFAULT_CITIZENS} citizens in ${Math.round(base)} ms`);
console.log(
  `seeded ${n} citizens in ${Math.round(big)} ms (${(big / base).toFixed(1)}× the default size's time; heap ${heapMb} MB)`,
);
