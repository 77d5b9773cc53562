// Where the two sides' subgraph SDLs come from: a directory (working tree, fixtures) or a git ref.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUBGRAPHS } from '../../schema/subgraphs.js';
import type { SubgraphSdls } from './compose.js';

export function sdlsFromDir(dir: string): SubgraphSdls {
  const out: SubgraphSdls = {};
  for (const s of SUBGRAPHS) {
    const file = join(dir, s.schemaPath);
    if (existsSync(file)) out[s.name] = readFileSync(file, 'utf8');
  }
  return out;
}

const git = (cwd: string, args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** `git merge-base HEAD main`, or HEAD when there is no main (or no common history). */
export function defaultBaseRef(cwd: string): string {
  try {
    return git(cwd, ['merge-base', 'HEAD', 'main']).trim();
  } catch {
    return 'HEAD';
  }
}

/** The subgraph SDLs at a ref; files the ref does not have are left out (an initial base has none). */
export function sdlsFromGit(cwd: string, ref: string): SubgraphSdls {
  try {
    git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new Error(`unknown git ref "${ref}" (give --base <ref> or --base-dir <dir>)`);
  }
  const out: SubgraphSdls = {};
  for (const s of SUBGRAPHS) {
    try {
      out[s.name] = git(cwd, ['show', `${ref}:./${s.schemaPath}`]);
    } catch {
      // not in that revision
    }
  }
  return out;
}
