// node deploy/validate.mjs [--json] — renders the Kustomize base and every overlay
// (deploy/render.mjs) and validates every object against the Kubernetes API's OpenAPI schemas
// (kubernetes-models: types, required fields, enums, formats; it does not refuse unknown fields).
// No cluster needed. Exits 1 on any invalid object. --json prints the rendered objects and the
// problems (test/deploy reads them). Needs `npm ci --prefix deploy`.
import { readdirSync, existsSync } from 'node:fs';
import process from 'node:process';
import console from 'node:console';
import { join } from 'node:path';
import { render, DEPLOY_DIR } from './render.mjs';

/** The kubernetes-models module of an apiVersion (`apps/v1` → kubernetes-models/apps/v1). */
async function modelOf(apiVersion, kind) {
  const mod = await import(`kubernetes-models/${apiVersion}`).catch(() => undefined);
  return mod?.[kind];
}

export async function validateAll() {
  const targets = { base: join(DEPLOY_DIR, 'base') };
  const overlays = join(DEPLOY_DIR, 'overlays');
  if (existsSync(overlays))
    for (const d of readdirSync(overlays)) targets[`overlays/${d}`] = join(overlays, d);
  const rendered = {};
  const problems = [];
  for (const [name, dir] of Object.entries(targets)) {
    let objects = [];
    try {
      objects = render(dir);
    } catch (err) {
      problems.push(`${name}: ${err.message}`);
    }
    rendered[name] = objects;
    for (const o of objects) {
      const id = `${name}: ${o.apiVersion} ${o.kind} ${o.metadata?.name}`;
      const Model = await modelOf(o.apiVersion, o.kind);
      if (!Model) {
        problems.push(`${id}: no schema for this apiVersion and kind`);
        continue;
      }
      try {
        new Model(o).validate();
      } catch (err) {
        problems.push(`${id}: ${err.message}`);
      }
    }
  }
  return { rendered, problems };
}

const { rendered, problems } = await validateAll();
if (process.argv.includes('--json')) console.log(JSON.stringify({ rendered, problems }));
else {
  for (const [name, objects] of Object.entries(rendered))
    console.log(`${name}: ${objects.length} objects (${objects.map((o) => o.kind).join(', ')})`);
  for (const p of problems) console.error(p);
  console.log(
    problems.length
      ? `deploy: ${problems.length} problem(s)`
      : 'deploy: every object is valid against the Kubernetes API schemas',
  );
}
process.exit(problems.length ? 1 : 0);
