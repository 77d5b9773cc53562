// The read cache's effect on Salesforce calls (npm run bench:read-cache): 1,000 CitizenProfile
// requests over 100 citizens (each citizen asked ten times, ten requests in flight), as an agent,
// through one in-process stack (test/harness.ts) with READ_CACHE=off and then READ_CACHE=memory;
// Salesforce calls per family from the emulator's call log, cache hits from the gateway's
// `extensions.upstreamCost`. Counts, not timings: the result does not depend on the machine.
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
    let errors = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < REQUESTS) {
          const i = next++;
          const res = await gql(
            stack,
            agent,
            CitizenProfileDocument,
            { id: ids[i % CITIZENS] },
            { 'x-upstream-cost': '1' },
          );
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
    return { mode, calls: stack.emulator.log.countByFamily(), hits, errors };
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
console.log(lines.join('\n'));
process.exit(0);
