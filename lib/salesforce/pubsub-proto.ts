// Salesforce's published Pub/Sub API proto (pubsub_api.proto beside this file): the one copy,
// loaded by the product's subscriber (lib/salesforce/pubsub-subscriber.ts, via the case and customer subgraphs and org:check)
// and served by the emulator (emulator/pubsub/server.ts). scripts/build-server.ts copies it into
// build/lib/salesforce/ with every non-TypeScript file of lib/.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Works under ESM (tsx/node) and under jest's CommonJS transform.
const here = () =>
  typeof __dirname !== 'undefined' ? __dirname : dirname(fileURLToPath(import.meta.url));

export const PUBSUB_PROTO_PATH = join(here(), 'pubsub_api.proto');
