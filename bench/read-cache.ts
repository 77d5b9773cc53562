// The read cache's effect on Salesforce calls (npm run bench:read-cache): 1,000 CitizenProfile
// requests over 100 citizens (each citizen asked ten times, ten requests in flight), as an agent,
// through one in-process stack (test/harness.ts) with READ_CACHE=off and then READ_CACHE=memory;
// Salesforce calls per family from the emulator's call log, cache hits from the gateway's
// `extensions.upstreamCost`. The counts do not depend on the machine; beside them, each mode's
// p50 latency and CPU per request (this one process: gateway, subgraphs and emulator together,
// process.cpuUsage) and their ratios cached ÷ uncached, with the load average, as indications.
import { loadavg } from 'node:os';
import { CitizenProfileDocument } from '../gql/graphql.js';
import { agentHeaders } from '../test/client.js';
import { gql, startStack } from '../test/harness.js';

const CITIZENS = 100;
const REQUESTS = 1_000;
const IN_FLIGHT = 10;

interface Result {
  mode: string;
  calls: Record<string, number>;
  hits: Record<string, number>;
  errors: number;
  p50Ms: number;
  cpuMsPerRequest: number;
}

async function run(mode: 'off' | 'memory'): Promise<Result> {
  const stack = await startStack({ citizens: CITIZENS, live: {}, env: { READ_CACHE: mode } });
  try {
    const agent = await agentHeaders(stack);
    const ids = stack.emulator.core.world.citizens.slice(0, CITIZENS).map((c) => c.unifiedId);
    // One request first, so that token requests are not counted as reads.
    await gql(stack, agent, CitizenProfileDocument, { id: ids[0] });
    await gql(stack, agent, CitizenProfileDocument, { id: ids[0] });
    stack.emulator.log.reset();
    const hits: Record<string, number> = {};
    const latencies: number[] = [];
    const cpu0 = process.cpuUsage();
    let errors = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < REQUESTS) {
          const i = next++;
          const t0 = performance.now();
          const res = await gql(
            stack,
            agent,
            CitizenProfileDocument,
            { id: ids[i % CITIZENS] },
            { 'x-upstream-cost': '1' },
          );
          latencies.push(performance.now() - t0);
          if (res.body.errors?.length) errors++;
          const cost = (res.body.extensions?.upstreamCost ?? {}) as Record<
            string,
            { cacheHits?: number }
          >;
          for (const [family, v] of Object.entries(cost))
            hits[family] = (hits[family] ?? 0) + (v.cacheHits ?? 0);
        }
      }),
    );
    const cpu = process.cpuUsage(cpu0);
    latencies.sort((a, b) => a - b);
    return {
      mode,
      calls: stack.emulator.log.countByFamily(),
      hits,
      errors,
      p50Ms: latencies[Math.floor(latencies.length / 2)] ?? 0,
      cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / REQUESTS,
    };
  } finally {
    await stack.stop();
  }
}

const results = [await run('off'), await run('memory')];
const families = ['datacloud', 'crm', 'scapi', 'identity'];
const lines = [
  `${REQUESTS} CitizenProfile requests (agent) over ${CITIZENS} citizens, ${IN_FLIGHT} in flight; Salesforce calls per family (cache hits in parentheses)`,
  '',
  `| READ_CACHE | ${families.join(' | ')} | total | errors |`,
  `| --- | ${families.map(() => '---').join(' | ')} | --- | --- |`,
  ...results.map(
    (r) =>
      `| ${r.mode} | ${families.map((f) => `${r.calls[f as keyof typeof r.calls] ?? 0} (${r.hits[f] ?? 0})`).join(' | ')} | ${Object.values(r.calls).reduce((a, b) => a + (b ?? 0), 0)} | ${r.errors} |`,
  ),
];
const [off, on] = results;
lines.push(
  '',
  `| READ_CACHE | p50 ms | CPU ms / request |`,
  `| --- | --- | --- |`,
  ...results.map((r) => `| ${r.mode} | ${r.p50Ms.toFixed(1)} | ${r.cpuMsPerRequest.toFixed(2)} |`),
  `| cached ÷ uncached | ${(on.p50Ms / off.p50Ms).toFixed(2)} | ${(on.cpuMsPerRequest / off.cpuMsPerRequest).toFixed(2)} |`,
  '',
  `load average at the end: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(lines.join('\n'));
process.exit(0);
