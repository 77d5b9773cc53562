// npm run start:subgraph -- <customer|case|commerce|session>
import { SUBGRAPHS } from '../schema/subgraphs.js';

const name = process.argv[2];
if (!SUBGRAPHS.some((s) => s.name === name)) {
  console.error(`usage: npm run start:subgraph -- <${SUBGRAPHS.map((s) => s.name).join('|')}>`);
  process.exit(2);
}
await import(`../subgraphs/${name}/main.ts`);
