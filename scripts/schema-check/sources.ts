// Where the two sides' SDLs come from: a directory (working tree, fixtures) or a git ref. Each side
// brings its own subgraph SDLs AND its own common types (lib/graphql/common.graphql), so a change
// to a common type is compared like any other.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMON_SCHEMA_PATH, SUBGRAPHS } from '../../schema/subgraphs.js';
import type { SubgraphSdls } from './compose.js';

export function sdlsFromDir(dir: string): SubgraphSdls {
  const out: SubgraphSdls = {};
  for (const s of SUBGRAPHS) {
    const file = join(dir, s.schemaPath);
    if (existsSync(file)) out[s.name] = readFileSync(file, 'utf8');
  }
  return out;
}

/**
 * The common types in `dir`; undefined when it has none (a layout from before they were shared,
 * where each subgraph's own SDL defines them: composition then takes those definitions first).
 */
export function commonSdlFromDir(dir: string): string | undefined {
  const file = join(dir, COMMON_SCHEMA_PATH);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

const git = (cwd: string, args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const refExists = (cwd: string, ref: string) => {
  try {
    git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    return true;
  } catch {
    return false;
  }
};

/** The default branch: origin's HEAD (`origin/main`…), else init.defaultBranch, else `main`. */
function defaultBranch(cwd: string): string[] {
  const out: string[] = [];
  try {
    out.push(
      git(cwd, ['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD'])
        .trim()
        .replace(/^refs\/remotes\//, ''),
    );
  } catch {
    // no origin HEAD (a clone made with --no-checkout, or no remote)
  }
  try {
    out.push(git(cwd, ['config', '--get', 'init.defaultBranch']).trim());
  } catch {
    // not configured
  }
  out.push('main');
  return [...new Set(out.filter(Boolean))];
}

/**
 * The base of a schema check, so that a change is judged against what is deployed:
 * 1. `git merge-base HEAD origin/main` when `origin/main` exists — a pull request's clone and a
 *    fresh clone of main alike (on main itself that is HEAD: the tree is compared with itself);
 * 2. else the merge base with the default branch (origin's HEAD, init.defaultBranch, `main`);
 * 3. else an error: never a silent comparison with HEAD, which would pass a committed breaking
 *    change. Give `--base <ref>` or `--base-dir <dir>`.
 */
export function defaultBaseRef(cwd: string): string {
  const candidates = ['origin/main', ...defaultBranch(cwd)];
  for (const branch of candidates) {
    if (!refExists(cwd, branch)) continue;
    try {
      return git(cwd, ['merge-base', 'HEAD', branch]).trim();
    } catch {
      throw new Error(
        `HEAD and ${branch} have no common history: give --base <git ref> or --base-dir <dir>`,
      );
    }
  }
  throw new Error(
    `no base to compare with: none of ${candidates.join(', ')} exists here ` +
      '(fetch origin/main, or give --base <git ref> or --base-dir <dir>)',
  );
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

/**
 * The common types at a ref; undefined when the ref predates the shared file (its subgraph SDLs
 * define the types themselves, and lib/graphql/subgraph-sdl.ts keeps a subgraph's own definition).
 */
export function commonSdlFromGit(cwd: string, ref: string): string | undefined {
  try {
    return git(cwd, ['show', `${ref}:./${COMMON_SCHEMA_PATH}`]);
  } catch {
    return undefined;
  }
}
