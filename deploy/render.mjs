// A Kustomize renderer for the subset deploy/ uses, so CI can render without kubectl: a
// kustomization's `resources` (files, or directories holding a kustomization.yaml), `namespace`,
// `images` (name → newName/newTag) and `patches` given by `path` whose file names its target by
// apiVersion, kind and metadata.name. A patch is applied as a JSON merge patch (RFC 7386: maps
// merged, null deletes); a patch containing a list is refused, because Kustomize's strategic merge
// treats some lists differently — so what this renders is what `kubectl kustomize` renders. Any
// other field of a kustomization is refused rather than ignored.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'patches']);

/** The YAML documents of a file (empty documents dropped); throws on a parse error. */
export function readObjects(file) {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  const out = [];
  for (const doc of docs) {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

const isMap = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function hasList(v) {
  if (Array.isArray(v)) return true;
  return isMap(v) && Object.values(v).some(hasList);
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target, patch) {
  if (!isMap(patch)) return patch;
  const out = isMap(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

const idOf = (o) => `${o.apiVersion}/${o.kind}/${o.metadata?.name}`;

function setImages(o, images) {
  const pod = o.spec?.template?.spec;
  if (!pod) return;
  for (const c of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) {
    const name = c.image.replace(/[@:][^/]*$/, '');
    const rule = images.find((i) => i.name === name);
    if (rule) c.image = `${rule.newName ?? name}:${rule.newTag ?? 'latest'}`;
  }
}

/** The objects a kustomization directory renders to, in order. */
export function render(dir) {
  const file = join(dir, 'kustomization.yaml');
  const [k] = readObjects(file);
  for (const key of Object.keys(k))
    if (!SUPPORTED.has(key))
      throw new Error(`${file}: "${key}" is not supported by deploy/render.mjs`);
  let objects = [];
  for (const r of k.resources ?? []) {
    const path = resolve(dir, r);
    objects.push(...(statSync(path).isDirectory() ? render(path) : readObjects(path)));
  }
  for (const p of k.patches ?? []) {
    if (!p.path || Object.keys(p).some((x) => x !== 'path'))
      throw new Error(`${file}: only patches given by a path are supported`);
    for (const patch of readObjects(resolve(dir, p.path))) {
      if (hasList(patch))
        throw new Error(`${p.path}: a patch with a list (strategic merge) is not supported`);
      const at = objects.findIndex((o) => idOf(o) === idOf(patch));
      if (at < 0) throw new Error(`${p.path}: no ${idOf(patch)} to patch`);
      objects[at] = mergePatch(objects[at], patch);
    }
  }
  if (k.images) objects.forEach((o) => setImages(o, k.images));
  if (k.namespace)
    objects = objects.map((o) => ({ ...o, metadata: { ...o.metadata, namespace: k.namespace } }));
  const seen = new Set();
  for (const o of objects) {
    if (seen.has(idOf(o))) throw new Error(`${dir}: ${idOf(o)} is defined twice`);
    seen.add(idOf(o));
  }
  return objects;
}

export const DEPLOY_DIR = dirname(fileURLToPath(import.meta.url));
