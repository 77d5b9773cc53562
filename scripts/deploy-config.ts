// npm run deploy:config — writes deploy/base/config.yaml, the Kubernetes ConfigMaps, from
// lib/config/registry.ts: every variable a service reads, with its production value (the
// production default, a placeholder where production requires a value, or the in-cluster
// address), except the credentials, which come from the Secret (deploy/base/secret.yaml,
// placeholders only). Variables every service reads go to c360-common; the rest to
// c360-<service>. `--check` exits 1 when the committed file differs (test/deploy checks the
// rendered manifests against the registry itself).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import {
  VARIABLES,
  variablesOf,
  type Service,
  type Var,
  type VarName,
} from '../lib/config/registry.js';

export const DEPLOYED: readonly Service[] = ['gateway', 'customer', 'case', 'commerce', 'session'];

/** Credentials: in the Secret, never in a ConfigMap. */
export const SECRET_VARIABLES: readonly VarName[] = [
  'PRINCIPAL_SECRET',
  'METRICS_TOKEN',
  'REDIS_URL',
  'CRM_CLIENT_SECRET',
  'SCAPI_CLIENT_SECRET',
  'IDENTITY_INTROSPECT_CLIENT_SECRET',
];

/** Not an app setting (the platform's conventional port; GATEWAY_PORT is set instead). */
const LEFT_OUT: readonly VarName[] = ['PORT'];

const PORTS: Record<string, number> = {
  gateway: 4000,
  customer: 4001,
  case: 4002,
  commerce: 4003,
  session: 4004,
};

/** Values that are this deployment's own (in-cluster addresses, interfaces, the mode). */
const IN_CLUSTER: Partial<Record<VarName, string>> = {
  NODE_ENV: 'production',
  HOST: '0.0.0.0',
  GATEWAY_HOST: '0.0.0.0',
  GATEWAY_PORT: String(PORTS.gateway),
  CUSTOMER_SUBGRAPH_URL: `http://c360-customer:${PORTS.customer}/graphql`,
  CASE_SUBGRAPH_URL: `http://c360-case:${PORTS.case}/graphql`,
  COMMERCE_SUBGRAPH_URL: `http://c360-commerce:${PORTS.commerce}/graphql`,
  SESSION_SUBGRAPH_URL: `http://c360-session:${PORTS.session}/graphql`,
  // The gateway listens behind the cluster's ingress / load balancer (one hop).
  TRUST_PROXY: '1',
  // Required in production, with a value most deployments keep: Salesforce's global Pub/Sub API
  // endpoint (https://developer.salesforce.com/docs/platform/pub-sub-api/guide/pub-sub-endpoints.html)
  // and the server-side headless protection (the integration user's token; docs/real-org.md).
  PUBSUB_URL: 'api.pubsub.salesforce.com:7443',
  IDENTITY_HEADLESS_PROTECTION: 'integration-token',
};

/** Where production requires a value that only the operator knows: an overlay must set it. */
const PLACEHOLDER_URL = 'https://replace-me.invalid';

function productionValue(name: VarName): string {
  if (IN_CLUSTER[name] !== undefined) return IN_CLUSTER[name]!;
  const spec = VARIABLES[name] as Var<unknown, boolean>;
  const rule = spec.production;
  if (rule === 'required')
    return spec.kind.what.startsWith('an http(s) URL')
      ? `${PLACEHOLDER_URL}/${name
          .toLowerCase()
          .replace(/_(url|uri)$/, '')
          .replace(/_/g, '-')}`
      : 'replace-me';
  if (rule === 'dev-only') return '';
  if (typeof rule === 'object') return rule.default ?? '';
  return spec.default ?? '';
}

const configured = (s: Service) =>
  variablesOf(s).filter((v) => !SECRET_VARIABLES.includes(v) && !LEFT_OUT.includes(v));

/** The ConfigMaps: c360-common (read by every service) and one per service (the rest). */
export function configMaps() {
  const common = configured('gateway').filter((v) =>
    DEPLOYED.every((s) => configured(s).includes(v)),
  );
  const map = (name: string, vars: readonly VarName[]) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, labels: { 'app.kubernetes.io/part-of': 'c360' } },
    data: Object.fromEntries(vars.map((v) => [v, productionValue(v)])),
  });
  return [
    map('c360-common', common),
    ...DEPLOYED.map((s) =>
      map(
        `c360-${s}`,
        configured(s).filter((v) => !common.includes(v)),
      ),
    ),
  ];
}

export function configYaml(): string {
  return (
    '# Written by `npm run deploy:config` from lib/config/registry.ts: do not edit; patch values in\n' +
    '# an overlay (deploy/overlays/example). Values are the production defaults; "replace-me"\n' +
    '# and https://replace-me.invalid/… mark what production requires you to set.\n' +
    configMaps()
      .map((m) => stringify(m, { lineWidth: 0, singleQuote: true }))
      .join('---\n')
  );
}

const path = fileURLToPath(new URL('../deploy/base/config.yaml', import.meta.url));
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = configYaml();
  if (process.argv.includes('--check')) {
    if (readFileSync(path, 'utf8') !== text) {
      console.error(
        'deploy/base/config.yaml is not what lib/config/registry.ts gives: run `npm run deploy:config`.',
      );
      process.exit(1);
    }
  } else writeFileSync(path, text);
}
