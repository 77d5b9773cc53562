// The Kubernetes manifests (deploy/), without a cluster: deploy/validate.mjs renders the Kustomize
// base and every overlay and validates each object against the Kubernetes API schemas; here the
// rendered objects are held to the code: each Deployment's environment (ConfigMaps + Secret) is
// exactly the variables lib/config/registry.ts says its service reads, with values the service
// loads in production; the probes are the paths the services serve; the grace period covers the
// shutdown (lib/http.ts); only the gateway reaches the subgraphs; the commands and image are
// docker-compose.yml's. Needs `npm ci --prefix deploy` (.ci/run does it).
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import request from 'supertest';
import { readEnv, variablesOf, type Service } from '../../lib/config/registry.js';
import { SHUTDOWN_CLEANUP_MS } from '../../lib/http.js';
import { loadGatewayConfig } from '../../gateway/config.js';
import { configYaml, DEPLOYED, SECRET_VARIABLES } from '../../scripts/deploy-config.js';
import { ROOT } from '../ops/processes.js';
import { startStack, type Stack } from '../harness.js';

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [k: string]: any;
}

const deps = existsSync(join(ROOT, 'deploy/node_modules/kubernetes-models'));
const run = deps
  ? spawnSync(process.execPath, ['deploy/validate.mjs', '--json'], { cwd: ROOT, encoding: 'utf8' })
  : undefined;
const out = run
  ? (JSON.parse(run.stdout) as { rendered: Record<string, K8sObject[]>; problems: string[] })
  : { rendered: {}, problems: ['run `npm ci --prefix deploy` first'] };
const targets = Object.keys(out.rendered);

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { command?: string[]; image?: string }>;
};

function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name}`);
  return o;
}

const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/** A Deployment's container environment: ConfigMap keys, Secret refs and plain values. */
function environmentOf(objects: K8sObject[], service: Service) {
  const d = find(objects, 'Deployment', `c360-${service}`);
  const c = d.spec.template.spec.containers[0];
  const secret = find(objects, 'Secret', 'c360-credentials');
  const values: Record<string, string> = {};
  const fromSecret: string[] = [];
  for (const from of c.envFrom ?? []) {
    expect(from.configMapRef).toBeDefined(); // credentials never come whole from a Secret
    Object.assign(values, find(objects, 'ConfigMap', from.configMapRef.name).data);
  }
  for (const e of c.env ?? []) {
    if (e.valueFrom) {
      expect(e.valueFrom.secretKeyRef.name).toBe('c360-credentials');
      expect(Object.keys(secret.stringData)).toContain(e.valueFrom.secretKeyRef.key);
      values[e.name] = secret.stringData[e.valueFrom.secretKeyRef.key];
      fromSecret.push(e.name);
    } else values[e.name] = e.value;
  }
  return { deployment: d, container: c, values, fromSecret };
}

test('deploy/validate.mjs: every object of the base and the overlays validates against the Kubernetes API schemas', () => {
  expect(out.problems).toEqual([]);
  expect(run?.status).toBe(0);
  expect(targets).toEqual(['base', 'overlays/example']);
  const kinds = out.rendered.base.map((o) => o.kind).sort();
  expect(new Set(kinds)).toEqual(
    new Set([
      'ConfigMap',
      'Deployment',
      'HorizontalPodAutoscaler',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Secret',
      'Service',
    ]),
  );
  expect(kinds.filter((k) => k === 'Deployment')).toHaveLength(5);
});

test('deploy/base/config.yaml is what `npm run deploy:config` writes from the registry', () => {
  expect(readFileSync(join(ROOT, 'deploy/base/config.yaml'), 'utf8')).toBe(configYaml());
});

describe.each(targets)('%s', (target) => {
  const objects = () => out.rendered[target];

  test.each(DEPLOYED)(
    "%s: its environment is exactly the registry's variables for it, credentials from the Secret",
    (service) => {
      const { values, fromSecret } = environmentOf(objects(), service);
      const expected = variablesOf(service).filter((v) => v !== 'PORT');
      expect(Object.keys(values).sort()).toEqual([...expected].sort());
      expect(fromSecret.sort()).toEqual(
        SECRET_VARIABLES.filter((v) => (expected as string[]).includes(v)).sort(),
      );
    },
  );

  test.each(DEPLOYED)(
    '%s: the values load in production (with real credentials); the placeholder secret is refused',
    (service) => {
      const { values } = environmentOf(objects(), service);
      expect(values.NODE_ENV).toBe('production');
      expect(() => readEnv(values, service)).toThrow(/PRINCIPAL_SECRET/);
      const real = { ...values, PRINCIPAL_SECRET: randomBytes(32).toString('hex') };
      expect(() => readEnv(real, service)).not.toThrow();
      // The gateway's own checks too (SUBGRAPH_TIMEOUT_MS below REQUEST_DEADLINE_MS, …).
      if (service === 'gateway') expect(() => loadGatewayConfig(real)).not.toThrow();
    },
  );

  test.each(DEPLOYED)(
    '%s: probes on /readyz and /healthz at its port; the grace period covers the shutdown; no preStop',
    (service) => {
      const { deployment, container, values } = environmentOf(objects(), service);
      const e = readEnv({ ...values, PRINCIPAL_SECRET: 'x'.repeat(48) });
      const port = container.ports.find((p: { name: string }) => p.name === 'http').containerPort;
      expect(String(port)).toBe(
        values[service === 'gateway' ? 'GATEWAY_PORT' : `${service.toUpperCase()}_PORT`],
      );
      expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      // The de-registration delay is the service's own (SHUTDOWN_DELAY_MS): a preStop sleep
      // would add a second one.
      expect(container.lifecycle?.preStop).toBeUndefined();
      const needMs =
        e.get('SHUTDOWN_DELAY_MS') + e.get('SHUTDOWN_TIMEOUT_MS') + SHUTDOWN_CLEANUP_MS;
      expect(e.get('SHUTDOWN_DELAY_MS')).toBeGreaterThan(0);
      // A load balancer that follows the readiness probe sees the 503 within the delay.
      const r = container.readinessProbe;
      expect(r.periodSeconds * r.failureThreshold * 1000).toBeLessThan(e.get('SHUTDOWN_DELAY_MS'));
      expect(
        deployment.spec.template.spec.terminationGracePeriodSeconds * 1000,
      ).toBeGreaterThanOrEqual(needMs);
      expect(container.resources.requests).toEqual({
        cpu: expect.any(String),
        memory: expect.any(String),
      });
      expect(container.resources.limits.memory).toEqual(expect.any(String));
      // Its Service selects its pods and reaches the named port.
      const svc = find(objects(), 'Service', `c360-${service}`);
      expect(matches(svc.spec.selector, deployment.spec.template.metadata.labels)).toBe(true);
      expect(svc.spec.ports).toEqual([{ name: 'http', port, targetPort: 'http' }]);
      // The command and image are docker-compose.yml's for the same service.
      const composed = compose.services[service === 'gateway' ? 'gateway-1' : service];
      expect(container.command).toEqual(composed.command);
      expect(
        container.image
          .replace(/:[^/]*$/, '')
          .split('/')
          .pop(),
      ).toBe(composed.image);
    },
  );

  test('the gateway reaches each subgraph at its Service; an HPA and a PDB for the gateway', () => {
    const { values } = environmentOf(objects(), 'gateway');
    for (const s of DEPLOYED.filter((x) => x !== 'gateway')) {
      const svc = find(objects(), 'Service', `c360-${s}`);
      expect(values[`${s.toUpperCase()}_SUBGRAPH_URL`]).toBe(
        `http://${svc.metadata.name}:${svc.spec.ports[0].port}/graphql`,
      );
    }
    const gw = find(objects(), 'Deployment', 'c360-gateway');
    const hpa = find(objects(), 'HorizontalPodAutoscaler', 'c360-gateway');
    expect(hpa.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'c360-gateway',
    });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    const pdb = find(objects(), 'PodDisruptionBudget', 'c360-gateway');
    expect(matches(pdb.spec.selector.matchLabels, gw.spec.template.metadata.labels)).toBe(true);
    expect(pdb.spec.minAvailable).toBeLessThan(hpa.spec.minReplicas);
  });

  test('NetworkPolicy: every subgraph pod, and only those, admits the gateway pods only, on its port', () => {
    const policies = objects().filter((o) => o.kind === 'NetworkPolicy');
    const pods = DEPLOYED.map((s) => ({
      s,
      labels: find(objects(), 'Deployment', `c360-${s}`).spec.template.metadata.labels,
      port: find(objects(), 'Deployment', `c360-${s}`).spec.template.spec.containers[0].ports[0]
        .containerPort,
    }));
    const gatewayLabels = pods.find((p) => p.s === 'gateway')!.labels;
    for (const p of pods) {
      const applying = policies.filter((n) => matches(n.spec.podSelector.matchLabels, p.labels));
      if (p.s === 'gateway') {
        expect(applying).toEqual([]);
        continue;
      }
      expect(applying).toHaveLength(1);
      const [policy] = applying;
      expect(policy.spec.policyTypes).toEqual(['Ingress']);
      for (const rule of policy.spec.ingress) {
        expect(rule.from.length).toBeGreaterThan(0);
        for (const peer of rule.from) {
          // A pod selector in the policy's own namespace, no namespaceSelector, no ipBlock.
          expect(Object.keys(peer)).toEqual(['podSelector']);
          expect(matches(peer.podSelector.matchLabels, gatewayLabels)).toBe(true);
          for (const other of pods.filter((x) => x.s !== 'gateway'))
            expect(matches(peer.podSelector.matchLabels, other.labels)).toBe(false);
        }
      }
      const ports = policy.spec.ingress.flatMap((r: { ports: Array<{ port: number }> }) =>
        r.ports.map((x) => x.port),
      );
      expect(ports).toContain(p.port);
    }
  });
});

test('the overlay: its namespace, image and patches applied', () => {
  const objects = out.rendered['overlays/example'];
  expect(objects.every((o) => o.metadata.namespace === 'c360')).toBe(true);
  const gw = find(objects, 'Deployment', 'c360-gateway');
  expect(gw.spec.template.spec.containers[0].image).toBe(
    'registry.example.com/c360/customer360-supergraph:0.1.0',
  );
  expect(find(objects, 'HorizontalPodAutoscaler', 'c360-gateway').spec.minReplicas).toBe(3);
  expect(find(objects, 'ConfigMap', 'c360-gateway').data.CORS_ORIGINS).toBe(
    'https://portal.example.gov',
  );
});

describe('the probe paths are the ones the services serve', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ citizens: 20 });
  });
  afterAll(() => stack.stop());

  test.each(DEPLOYED)('%s answers /readyz and /healthz with 200', async (service) => {
    const base =
      service === 'gateway'
        ? stack.gatewayUrl
        : stack.subgraphUrls[service].replace(/\/graphql$/, '');
    expect((await request(base).get('/healthz')).status).toBe(200);
    expect((await request(base).get('/readyz')).status).toBe(200);
  });
});
