// npm run env:example — writes .env.example from lib/config/registry.ts (the one place every
// variable is declared); `--check` exits 1 when the committed file differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { envExample } from '../lib/config/registry.js';

const path = fileURLToPath(new URL('../.env.example', import.meta.url));
const text = envExample();
if (process.argv.includes('--check')) {
  if (readFileSync(path, 'utf8') !== text) {
    console.error(
      '.env.example is not what lib/config/registry.ts prints: run `npm run env:example`.',
    );
    process.exit(1);
  }
} else writeFileSync(path, text);
