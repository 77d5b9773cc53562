// npm run org:check — read-only preflight of a real Salesforce org against the product's org
// contract (docs/real-org.md), with the environment the services read. Exit 0: every check
// passed; 1: something is missing (the checklist says what and how to fix it); 2: it could not run.
import { runOrgCheck } from './org-check/checks.js';
import { formatReport } from './org-check/report.js';
import { processEnv } from '../lib/config/registry.js';

try {
  const report = await runOrgCheck(processEnv);
  console.log(formatReport(report));
  process.exit(report.ok ? 0 : 1);
} catch (err) {
  console.error(`org check could not run: ${(err as Error).stack ?? String(err)}`);
  process.exit(2);
}
