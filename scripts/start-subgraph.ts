// npm run start:subgraph -- <customer|case|commerce|session>
import { SUBGRAPHS } from '../schema/subgraphs.js';

// The first argument that is not a flag (package.json passes --development before it).
const name = process.argv.slice(2).find((a) => !a.startsWith('--'));
if (!SUBGRAPHS.some((s) => s.name === name)) {
  console.error(`usage: npm run start:subgraph -- <${SUBGRAPHS.map((s) => s.name).join('|')}>`);
  process.exit(2);
}
await import(`../subgraphs/${name}/main.ts`);
