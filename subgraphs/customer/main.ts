// Entry point: `tsx subgraphs/customer/main.ts`.
import { listen } from '../../lib/http.js';
import { loadCustomerConfig } from './config.js';
import { createCustomerServer } from './server.js';

async function main() {
  const config = loadCustomerConfig(process.env);
  const server = await createCustomerServer(config);
  const up = await listen(server.app, config.port, config.host);
  console.log(`customer subgraph ready at ${up.url}/graphql`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
