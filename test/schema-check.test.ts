// The schema check through each outcome, on temp copies of the real subgraph SDLs with string edits.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runSchemaCheck } from '../scripts/schema-check/run.js';
import { OPERATION_DIRS } from '../scripts/schema-check/usage.js';
import { COMMON_SCHEMA_PATH, sdlFilesOf, SUBGRAPHS } from '../schema/subgraphs.js';

const ROOT = join(__dirname, '..');
const CASE_SDL = 'subgraphs/case/schema.graphql';
const temps: string[] = [];
let baseDir: string;

type Edits = Array<[string, string]>;

/** ErrorCode.COST_LIMIT_EXCEEDED in the common types, with its description line. */
const COST_LIMIT_VALUE = /^ {2}"[^"\n]*"\n {2}COST_LIMIT_EXCEEDED\n/m.exec(
  readFileSync(join(ROOT, COMMON_SCHEMA_PATH), 'utf8'),
)![0];

/**
 * A value this checkout's ErrorCode does not have: a base holding it has common types of its own,
 * so only a check that reads the base's file (not this checkout's) sees it go.
 */
const WITH_RETIRED_VALUE: Edits = [
  [COST_LIMIT_VALUE, `${COST_LIMIT_VALUE}  "Retired: no longer answered."\n  RETIRED_CODE\n`],
];

const applyEdits = (sdl: string, edits: Edits) =>
  edits.reduce((out, [from, to]) => {
    if (!out.includes(from)) throw new Error(`fixture edit does not apply: ${from}`);
    return out.replace(from, to);
  }, sdl);

/**
 * A root holding the real SDLs (with `edits` applied to the case subgraph and `commonEdits` to
 * the common types), operations and acknowledgements.
 */
function fixtureRoot(
  edits: Edits = [],
  extra: { acknowledged?: unknown[]; operations?: string[]; commonEdits?: Edits } = {},
): string {
  const dir = mkdtempSync(join(tmpdir(), 'schema-check-'));
  temps.push(dir);
  // Every file of every subgraph's schema: its own SDL and the common types.
  for (const path of new Set(SUBGRAPHS.flatMap(sdlFilesOf))) {
    let sdl = readFileSync(join(ROOT, path), 'utf8');
    if (path === CASE_SDL) sdl = applyEdits(sdl, edits);
    if (path === COMMON_SCHEMA_PATH) sdl = applyEdits(sdl, extra.commonEdits ?? []);
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), sdl);
  }
  for (const ops of OPERATION_DIRS) cpSync(join(ROOT, ops), join(dir, ops), { recursive: true });
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
  expect(change.usedBy).toEqual(expect.arrayContaining(['CaseWithCitizen', 'CitizenProfile']));
  expect(r.report).toContain('| dangerous | `CaseStatus.ON_HOLD` |');
});

test('breaking change used by an operation fails, even when acknowledged; the portal’s operations count, by name', async () => {
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
    expect.arrayContaining([
      'CaseWithCitizen',
      'CitizenProfile',
      'CreateCase',
      // examples/citizen-portal/src/operations (its fragment CaseSummaryFields selects subject)
      'PortalCase',
      'PortalCreateCase',
      'PortalViewer',
    ]),
  );
  expect(r.invalidOperations).toEqual([]);
  expect(r.report).toContain('**Result: FAIL**');
  expect(r.report).toMatch(/`Case.subject` .*❌ used by .*`CaseWithCitizen`/);
});

test('a used breaking change passes only when every operation using it is named as reviewed', async () => {
  const edits: Array<[string, string]> = [
    ['  subject: String!\n  description', '  subject: String\n  description'],
  ];
  const partly = await check(
    fixtureRoot(edits, {
      acknowledged: [
        { coordinate: 'Case.subject', reason: 'nullable', operationsReviewed: ['CitizenProfile'] },
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
  const removeOrigin: Array<[string, string]> = [['  origin: String\n', '']];
  const failing = await check(fixtureRoot(removeOrigin));
  expect(failing.exitCode).toBe(1);
  expect(failing.changes).toEqual([
    expect.objectContaining({
      level: 'BREAKING',
      coordinate: 'Case.origin',
      usedBy: [],
      blocking: true,
    }),
  ]);
  expect(failing.summary).toContain(
    'not acknowledged in schema/acknowledged-breaking-changes.json',
  );
  expect(failing.report).toContain('❌ not acknowledged');

  const acknowledged = await check(
    fixtureRoot(removeOrigin, {
      acknowledged: [
        {
          coordinate: 'Case.origin',
          reason: 'Never populated; clients use createCase input instead.',
        },
        { coordinate: 'Case.gone', reason: 'old' },
      ],
    }),
  );
  expect(acknowledged.exitCode).toBe(0);
  expect(acknowledged.changes[0]).toMatchObject({ coordinate: 'Case.origin', blocking: false });
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
    { operation: 'InvalidOperation', errors: [expect.stringContaining('noSuchField')] },
  ]);
  expect(r.report).toContain('❌ `InvalidOperation`');
});

describe('the common types (lib/graphql/common.graphql) are compared with the base’s', () => {
  const withoutCostLimit: Edits = [[COST_LIMIT_VALUE, '']];

  test('values removed from ErrorCode are breaking against the base’s own common types (unused: fail unless acknowledged)', async () => {
    // Each side's common file differs from this checkout's: the base has RETIRED_CODE, the new
    // side lacks COST_LIMIT_EXCEEDED. Both removals show only if each side reads its own file.
    const base = fixtureRoot([], { commonEdits: WITH_RETIRED_VALUE });
    const r = await check(fixtureRoot([], { commonEdits: withoutCostLimit }), base);
    expect(r.exitCode).toBe(1);
    const removed = (value: string) => ({
      level: 'BREAKING',
      coordinate: `ErrorCode.${value}`,
      message: `Enum value '${value}' was removed from enum 'ErrorCode'`,
      usedBy: [],
      acknowledged: undefined,
      blocking: true,
    });
    expect(r.changes).toEqual([removed('COST_LIMIT_EXCEEDED'), removed('RETIRED_CODE')]);
    expect(r.summary).toContain(
      "BREAKING ErrorCode.COST_LIMIT_EXCEEDED: Enum value 'COST_LIMIT_EXCEEDED' was removed from " +
        "enum 'ErrorCode' (not acknowledged in schema/acknowledged-breaking-changes.json)",
    );
  });

  test('a PageInfo field an operation selects, removed, is breaking and names the operation', async () => {
    const r = await check(fixtureRoot([], { commonEdits: [['  endCursor: String\n', '']] }));
    expect(r.exitCode).toBe(1);
    expect(r.changes).toEqual([
      expect.objectContaining({
        level: 'BREAKING',
        coordinate: 'PageInfo.endCursor',
        usedBy: ['SegmentMembers'],
        blocking: true,
      }),
    ]);
    expect(r.invalidOperations).toEqual([
      { operation: 'SegmentMembers', errors: [expect.stringContaining('endCursor')] },
    ]);
  });

  test('a UserError field whose type changes is breaking against the base', async () => {
    const r = await check(
      fixtureRoot([], { commonEdits: [['  field: [String!]\n', '  field: String\n']] }),
    );
    expect(r.exitCode).toBe(1);
    expect(r.changes).toEqual([
      expect.objectContaining({ level: 'BREAKING', coordinate: 'UserError.field' }),
    ]);
  });

  test('the base’s own common types count: a value the base lacks is an addition', async () => {
    // The base lacks the value, the tree has it: the reverse of the removal, so dangerous (an
    // enum value added), never "no change" as it would be with this checkout's file on both sides.
    const base = fixtureRoot([], { commonEdits: withoutCostLimit });
    const r = await check(fixtureRoot(), base);
    expect(r.exitCode).toBe(0);
    expect(r.changes.map((c) => [c.level, c.coordinate, c.message])).toEqual([
      [
        'DANGEROUS',
        'ErrorCode.COST_LIMIT_EXCEEDED',
        "Enum value 'COST_LIMIT_EXCEEDED' was added to enum 'ErrorCode'",
      ],
      [
        'NON_BREAKING',
        'ErrorCode.COST_LIMIT_EXCEEDED',
        expect.stringMatching(
          /^Description '.*' was added to enum value 'ErrorCode.COST_LIMIT_EXCEEDED'$/,
        ),
      ],
    ]);
  });

  test('a base from before the common file (each subgraph SDL defines the types) has no changes', async () => {
    const base = fixtureRoot();
    const common = readFileSync(join(base, COMMON_SCHEMA_PATH), 'utf8');
    rmSync(join(base, COMMON_SCHEMA_PATH));
    for (const s of SUBGRAPHS) {
      const file = join(base, s.schemaPath);
      writeFileSync(file, `${readFileSync(file, 'utf8')}\n${common}`);
    }
    const r = await check(fixtureRoot(), base);
    expect(r.baseWarnings).toEqual([]);
    expect(r.changes).toEqual([]);
    expect(r.exitCode).toBe(0);
  });
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
    writeFileSync(file, readFileSync(file, 'utf8').replace('  origin: String\n', ''));
    git(dir, 'commit', '-q', '-am', 'remove Case.origin');
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
      /DANGEROUS Case\.subject: Field 'Case\.subject' is deprecated \(used by AgentCitizen, CaseWithCitizen, CitizenProfile, CreateCase, PortalCase, PortalCreateCase, PortalViewer\)/,
    );
    expect(readFileSync(join(root, 'report.md'), 'utf8')).toMatch(
      /\| dangerous \| `Case.subject` \| .* \| ⚠️ used by `AgentCitizen`, `CaseWithCitizen`, `CitizenProfile`, `CreateCase`, `PortalCase`, `PortalCreateCase`, `PortalViewer` \|/,
    );
  });

  test('a deprecation of a field no operation uses stays safe', () => {
    const root = fixtureRoot([
      ['  origin: String\n', '  origin: String @deprecated(reason: "Unused.")\n'],
    ]);
    const r = cli(['--root', root, '--base-dir', baseDir, ...report(root)]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('PASS: 0 breaking, 0 dangerous, 3 safe change(s)');
  });

  test('a syntax error names the subgraph, the file, the line and the column', () => {
    const root = fixtureRoot([['  origin: String\n', '  origin: String!!\n']]);
    const line =
      readFileSync(join(root, CASE_SDL), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('String!!')) + 1;
    const r = cli(['--root', root, '--base-dir', baseDir, ...report(root)]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      `INVALID_GRAPHQL: subgraph case (subgraphs/case/schema.graphql, line ${line}, column 18): Syntax Error: Expected Name, found "!".`,
    );
  });

  test('a syntax error in the common types names that file, the line and the column', () => {
    const root = fixtureRoot([], {
      commonEdits: [['  hasNextPage: Boolean!\n', '  hasNextPage: Boolean!!\n']],
    });
    const line =
      readFileSync(join(root, COMMON_SCHEMA_PATH), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('Boolean!!')) + 1;
    const r = cli(['--root', root, '--base-dir', baseDir, ...report(root)]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      `INVALID_GRAPHQL: common types (lib/graphql/common.graphql, line ${line}, column 24): Syntax Error: Expected Name, found "!".`,
    );
  });

  test('a common-type change committed on a branch is judged against the merge base’s common types', () => {
    // main's common types differ from this checkout's (RETIRED_CODE): read at the merge base, the
    // only change is the removal; read from this checkout, RETIRED_CODE would look added.
    const dir = repo('main');
    const file = join(dir, COMMON_SCHEMA_PATH);
    writeFileSync(file, applyEdits(readFileSync(file, 'utf8'), WITH_RETIRED_VALUE));
    git(dir, 'commit', '-q', '-am', 'add ErrorCode.RETIRED_CODE');
    git(dir, 'checkout', '-q', '-b', 'feature');
    writeFileSync(file, readFileSync(file, 'utf8').replace(COST_LIMIT_VALUE, ''));
    git(dir, 'commit', '-q', '-am', 'remove ErrorCode.COST_LIMIT_EXCEEDED');
    const r = cli(['--root', dir, ...report(dir)]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('FAIL: 1 breaking, 0 dangerous, 0 safe change(s)');
    expect(r.out).toContain('BREAKING ErrorCode.COST_LIMIT_EXCEEDED');
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
    expect(r.out).toContain('BREAKING Case.origin');
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
    expect(pr.out).toContain('BREAKING Case.origin');
  });
});
