// The schema check through each outcome, on temp copies of the real subgraph SDLs with string edits.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runSchemaCheck } from '../scripts/schema-check/run.js';
import { sdlFilesOf, SUBGRAPHS } from '../schema/subgraphs.js';

const ROOT = join(__dirname, '..');
const CASE_SDL = 'subgraphs/case/schema.graphql';
const temps: string[] = [];
let baseDir: string;

/** A root holding the real SDLs (with `edits` applied to the case subgraph), operations and acknowledgements. */
function fixtureRoot(
  edits: Array<[string, string]> = [],
  extra: { acknowledged?: unknown[]; operations?: string[] } = {},
): string {
  const dir = mkdtempSync(join(tmpdir(), 'schema-check-'));
  temps.push(dir);
  // Every file of every subgraph's schema: its own SDL and the common types.
  for (const path of new Set(SUBGRAPHS.flatMap(sdlFilesOf))) {
    let sdl = readFileSync(join(ROOT, path), 'utf8');
    if (path === CASE_SDL) {
      for (const [from, to] of edits) {
        if (!sdl.includes(from)) throw new Error(`fixture edit does not apply: ${from}`);
        sdl = sdl.replace(from, to);
      }
    }
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), sdl);
  }
  cpSync(join(ROOT, 'test', 'operations'), join(dir, 'test', 'operations'), { recursive: true });
  for (const f of extra.operations ?? []) {
    cpSync(join(ROOT, 'test', 'fixtures', 'schema-check', f), join(dir, 'test', 'operations', f));
  }
  mkdirSync(join(dir, 'schema'), { recursive: true });
  writeFileSync(
    join(dir, 'schema', 'acknowledged-breaking-changes.json'),
    JSON.stringify(extra.acknowledged ?? []),
  );
  return dir;
}

const check = (root: string, base = baseDir) =>
  runSchemaCheck({ root, baseDir: base, reportPath: join(root, 'report.md') });

beforeAll(() => {
  baseDir = fixtureRoot();
});
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

test('clean: no changes passes and the report says so', async () => {
  const root = fixtureRoot();
  const r = await check(root);
  expect(r.exitCode).toBe(0);
  expect(r.changes).toEqual([]);
  expect(readFileSync(join(root, 'report.md'), 'utf8')).toContain('No changes.');
  expect(r.summary).toMatch(/^PASS: 0 breaking, 0 dangerous, 0 safe/);
});

test('safe addition: a new field passes', async () => {
  const r = await check(
    fixtureRoot([['  origin: String\n', '  origin: String\n  channel: String\n']]),
  );
  expect(r.exitCode).toBe(0);
  expect(r.changes).toEqual([
    expect.objectContaining({ level: 'NON_BREAKING', coordinate: 'Case.channel', blocking: false }),
  ]);
  expect(r.report).toContain('| safe | `Case.channel` |');
});

test('dangerous change: a new enum value passes with a warning naming the operations that read it', async () => {
  const r = await check(fixtureRoot([['  ESCALATED\n', '  ESCALATED\n  ON_HOLD\n']]));
  expect(r.exitCode).toBe(0);
  const change = r.changes.find((c) => c.coordinate === 'CaseStatus.ON_HOLD')!;
  expect(change).toMatchObject({ level: 'DANGEROUS', blocking: false });
  expect(change.usedBy).toEqual(expect.arrayContaining(['case-with-citizen', 'citizen-profile']));
  expect(r.report).toContain('| dangerous | `CaseStatus.ON_HOLD` |');
});

test('breaking change used by a canonical operation fails, even when acknowledged', async () => {
  const edits: Array<[string, string]> = [
    ['  subject: String!\n  description', '  subject: String\n  description'],
  ];
  const r = await check(
    fixtureRoot(edits, { acknowledged: [{ coordinate: 'Case.subject', reason: 'try' }] }),
  );
  expect(r.exitCode).toBe(1);
  const change = r.changes.find((c) => c.coordinate === 'Case.subject')!;
  expect(change).toMatchObject({ level: 'BREAKING', blocking: true });
  expect(change.usedBy).toEqual(
    expect.arrayContaining(['case-with-citizen', 'citizen-profile', 'create-case']),
  );
  expect(r.invalidOperations).toEqual([]);
  expect(r.report).toContain('**Result: FAIL**');
  expect(r.report).toMatch(/`Case.subject` .*❌ used by .*`case-with-citizen`/);
});

test('a used breaking change passes only when every operation using it is named as reviewed', async () => {
  const edits: Array<[string, string]> = [
    ['  subject: String!\n  description', '  subject: String\n  description'],
  ];
  const partly = await check(
    fixtureRoot(edits, {
      acknowledged: [
        { coordinate: 'Case.subject', reason: 'nullable', operationsReviewed: ['citizen-profile'] },
      ],
    }),
  );
  expect(partly.exitCode).toBe(1);
  const used = partly.changes.find((c) => c.coordinate === 'Case.subject')!;
  const all = await check(
    fixtureRoot(edits, {
      acknowledged: [
        { coordinate: 'Case.subject', reason: 'nullable', operationsReviewed: used.usedBy },
      ],
    }),
  );
  expect(all.exitCode).toBe(0);
  expect(all.changes.find((c) => c.coordinate === 'Case.subject')).toMatchObject({
    level: 'BREAKING',
    blocking: false,
  });
});

test('unused breaking change fails unless acknowledged', async () => {
  const removePriority: Array<[string, string]> = [['  priority: String\n  origin', '  origin']];
  const failing = await check(fixtureRoot(removePriority));
  expect(failing.exitCode).toBe(1);
  expect(failing.changes).toEqual([
    expect.objectContaining({
      level: 'BREAKING',
      coordinate: 'Case.priority',
      usedBy: [],
      blocking: true,
    }),
  ]);
  expect(failing.summary).toContain(
    'not acknowledged in schema/acknowledged-breaking-changes.json',
  );
  expect(failing.report).toContain('❌ not acknowledged');

  const acknowledged = await check(
    fixtureRoot(removePriority, {
      acknowledged: [
        {
          coordinate: 'Case.priority',
          reason: 'Never populated; clients use createCase input instead.',
        },
        { coordinate: 'Case.gone', reason: 'old' },
      ],
    }),
  );
  expect(acknowledged.exitCode).toBe(0);
  expect(acknowledged.changes[0]).toMatchObject({ coordinate: 'Case.priority', blocking: false });
  expect(acknowledged.report).toContain('✅ acknowledged: Never populated');
  expect(acknowledged.staleAcknowledgements).toEqual(['Case.gone']);
});

test('composition failure prints the error codes and fails', async () => {
  const r = await check(
    fixtureRoot([
      [
        'type Citizen @key(fields: "contactId") {\n  contactId: ID!',
        'type Citizen @key(fields: "contactId") {\n  contactId: Int!',
      ],
    ]),
  );
  expect(r.exitCode).toBe(1);
  expect(r.compositionErrors.length).toBeGreaterThan(0);
  expect(r.compositionErrors[0].code).toBe('FIELD_TYPE_MISMATCH');
  expect(r.summary).toContain('FIELD_TYPE_MISMATCH');
  expect(r.report).toContain('## Composition errors');
});

test('an operation that does not validate against the new API schema fails', async () => {
  const r = await check(fixtureRoot([], { operations: ['invalid-operation.graphql'] }));
  expect(r.exitCode).toBe(1);
  expect(r.changes).toEqual([]);
  expect(r.invalidOperations).toEqual([
    { operation: 'invalid-operation', errors: [expect.stringContaining('noSuchField')] },
  ]);
  expect(r.report).toContain('❌ `invalid-operation`');
});

test('a base without subgraph schemas is an initial check: everything is a safe addition', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'schema-check-empty-'));
  temps.push(empty);
  const r = await check(fixtureRoot(), empty);
  expect(r.exitCode).toBe(0);
  expect(r.baseWarnings[0]).toContain('treating it as empty');
  expect(r.changes.length).toBeGreaterThan(0);
  expect(r.changes.every((c) => c.level === 'NON_BREAKING')).toBe(true);
});

describe('through the CLI (npm run schema:check)', () => {
  const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
  const cli = (args: string[]) => {
    const r = spawnSync(TSX, [join(ROOT, 'scripts', 'schema-check.ts'), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  };
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  /** A git repository holding a fixture root, committed on `branch`. */
  const repo = (branch: string) => {
    const dir = fixtureRoot();
    git(dir, 'init', '-q', '-b', branch);
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'base');
    return dir;
  };
  const breakIt = (dir: string) => {
    const file = join(dir, CASE_SDL);
    writeFileSync(file, readFileSync(file, 'utf8').replace('  priority: String\n', ''));
    git(dir, 'commit', '-q', '-am', 'remove Case.priority');
  };
  const report = (dir: string) => ['--report', join(dir, 'report.md')];

  test('a deprecation of a field an operation uses is dangerous and names the operations', () => {
    const root = fixtureRoot([
      [
        '  subject: String!\n  description',
        '  subject: String! @deprecated(reason: "Use title.")\n  description',
      ],
    ]);
    const r = cli(['--root', root, '--base-dir', baseDir, ...report(root)]);
    expect(r.code).toBe(0);
    // the deprecation itself, plus its reason (safe)
    expect(r.out).toContain('PASS: 0 breaking, 1 dangerous, 2 safe change(s)');
    expect(r.out).toMatch(
      /DANGEROUS Case\.subject: Field 'Case\.subject' is deprecated \(used by case-with-citizen, citizen-profile, create-case\)/,
    );
    expect(readFileSync(join(root, 'report.md'), 'utf8')).toMatch(
      /\| dangerous \| `Case.subject` \| .* \| ⚠️ used by `case-with-citizen`, `citizen-profile`, `create-case` \|/,
    );
  });

  test('a deprecation of a field no operation uses stays safe', () => {
    const root = fixtureRoot([
      ['  priority: String\n', '  priority: String @deprecated(reason: "Unused.")\n'],
    ]);
    const r = cli(['--root', root, '--base-dir', baseDir, ...report(root)]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('PASS: 0 breaking, 0 dangerous, 3 safe change(s)');
  });

  test('a syntax error names the subgraph, the file, the line and the column', () => {
    const root = fixtureRoot([['  priority: String\n', '  priority: String!!\n']]);
    const line =
      readFileSync(join(root, CASE_SDL), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('String!!')) + 1;
    const r = cli(['--root', root, '--base-dir', baseDir, ...report(root)]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      `INVALID_GRAPHQL: subgraph case (subgraphs/case/schema.graphql, line ${line}, column 20): Syntax Error: Expected Name, found "!".`,
    );
  });

  test('no origin/main and no default branch: fails loudly (exit 2), never compares with HEAD', () => {
    const dir = repo('feature');
    breakIt(dir);
    const r = cli(['--root', dir, ...report(dir)]);
    expect(r.code).toBe(2);
    expect(r.out).toContain(
      'schema check could not run: no base to compare with: none of origin/main, main exists here',
    );
  });

  test('a breaking change committed on a branch is judged against the merge base with main', () => {
    const dir = repo('main');
    git(dir, 'checkout', '-q', '-b', 'feature');
    breakIt(dir);
    const r = cli(['--root', dir, ...report(dir)]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`against ${git(dir, 'rev-parse', 'main').trim()}`);
    expect(r.out).toContain('BREAKING Case.priority');
  });

  test('in a clone: origin/main is the base, and a fresh clone of main compares with itself', () => {
    const upstream = repo('main');
    const clone = mkdtempSync(join(tmpdir(), 'schema-check-clone-'));
    temps.push(clone);
    git(tmpdir(), 'clone', '-q', upstream, clone);
    // CI on main: HEAD is origin/main, nothing changed.
    const onMain = cli(['--root', clone, ...report(clone)]);
    expect(onMain.code).toBe(0);
    expect(onMain.out).toContain(`against ${git(clone, 'rev-parse', 'origin/main').trim()}`);
    // A pull request's clone without a local main: still origin/main.
    git(clone, 'checkout', '-q', '-b', 'feature');
    git(clone, 'branch', '-q', '-D', 'main');
    breakIt(clone);
    const pr = cli(['--root', clone, ...report(clone)]);
    expect(pr.code).toBe(1);
    expect(pr.out).toContain('BREAKING Case.priority');
  });
});
