// The repository carries its own Salesforce notes (docs/salesforce/): no source file cites a
// document outside the repository, and every `docs/salesforce/<note>.md#<anchor>` a comment or
// a document cites resolves to a heading of that note (a link checker over our own notes).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');
const NOTES = join(ROOT, 'docs', 'salesforce');
const SELF = relative(ROOT, __filename);

/** Directories that hold no source of ours (dependencies, build output, tool scratch). */
const SKIP_DIRS = new Set(['node_modules', '.git', 'build', 'dist', '.stryker-tmp', 'coverage']);
const SOURCE = /\.(ts|tsx|mts|cts|mjs|cjs|js|md|graphql|ya?ml)$/;

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(join(dir, entry.name), out);
    } else if (entry.isFile() && SOURCE.test(entry.name)) {
      out.push(relative(ROOT, join(dir, entry.name)));
    }
  }
  return out;
}

const FILES = walk(ROOT).filter((f) => f !== SELF);
const text = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

/**
 * Citations of documents a maintainer cannot follow: the product brief and the API reference
 * that lived beside the project, and anything in the shared directory beside it. Spelled in
 * pieces so that this file does not match itself (nor a grep for them).
 */
const OUTSIDE: Array<[string, RegExp]> = [
  ['the product brief', new RegExp(['PRODUCT', 'md'].join('\\.'))],
  ['the API reference', new RegExp(['salesforce-apis', 'md'].join('\\.'))],
  ['a reference section', new RegExp(['reference', '§'].join('[\\s,]+'))],
  ['the shared directory', new RegExp(['\\.\\.', 'shared'].join('/'))],
  ['the style anchors', new RegExp(['style', 'anchors\\.md'].join('-'))],
  ['the reference errata', /\bErrata\b/],
  ['a bare section number', /(^\s*(\/\/|\*)\s*|\bthe )§\d/],
];

/** A section sign that continues a citation from the line before ("… (reference" / "// §1.2"). */
const CONTINUED = /\breference[\s,(]*$/;

/** Each line of a file that cites a document outside the repository, as `file:line cites …`. */
export function outsideCitations(file: string, body: string): string[] {
  const hits: string[] = [];
  const lines = body.split('\n');
  lines.forEach((line, i) => {
    for (const [what, re] of OUTSIDE) {
      // A comment line opening with § continues an RFC citation from the line before.
      if (what === 'a bare section number' && /\bRFC \d+\W*$/.test(lines[i - 1] ?? '')) continue;
      if (re.test(line)) hits.push(`${file}:${i + 1} cites ${what}: ${line.trim()}`);
    }
    if (CONTINUED.test(line) && /^\s*(\/\/|\*)?\s*§/.test(lines[i + 1] ?? ''))
      hits.push(`${file}:${i + 1} cites a reference section: ${line.trim()}`);
  });
  return hits;
}

/** GitHub's heading anchor: lower case, punctuation dropped, blanks to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors a note's headings produce (a repeated heading gets -1, -2, … as on GitHub). */
export function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const m = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

const NOTE_FILES = existsSync(NOTES) ? readdirSync(NOTES).filter((f) => f.endsWith('.md')) : [];
const NOTE_NAMES = NOTE_FILES;

interface Citation {
  file: string;
  note: string;
  anchor?: string;
}

/**
 * Every `docs/salesforce/<note>.md[#anchor]` in a file; every `<note>.md#anchor` naming one of
 * the notes (a comment citing several anchors of the notes after the first full path); and,
 * inside the notes, their relative links.
 */
export function citationsIn(file: string, body: string, notes: string[] = NOTE_NAMES): Citation[] {
  const found: Citation[] = [];
  for (const m of body.matchAll(/(docs\/salesforce\/)?([\w.-]+?\.md)(?:#([\w-]+))?/g)) {
    const [, full, note, anchor] = m;
    const before = body[(m.index ?? 0) - 1] ?? '';
    if (full) found.push({ file, note, anchor });
    else if (anchor && note !== 'README.md' && notes.includes(note) && !/[\w/.-]/.test(before))
      found.push({ file, note, anchor });
  }
  if (file.startsWith(join('docs', 'salesforce'))) {
    const self = file.slice(join('docs', 'salesforce').length + 1);
    for (const m of body.matchAll(/\]\(#([\w-]+)\)/g))
      found.push({ file, note: self, anchor: m[1] });
  }
  return found;
}

/** What is wrong with a set of citations, given the notes' anchors (empty when all resolve). */
export function unresolved(citations: Citation[], notes: Map<string, Set<string>>): string[] {
  const problems: string[] = [];
  for (const c of citations) {
    const anchors = notes.get(c.note);
    if (!anchors) problems.push(`${c.file}: docs/salesforce/${c.note} does not exist`);
    else if (c.anchor !== undefined && !anchors.has(c.anchor))
      problems.push(
        `${c.file}: docs/salesforce/${c.note}#${c.anchor} is not a heading of that note`,
      );
  }
  return problems;
}

const NOTE_ANCHORS = new Map(
  NOTE_FILES.map((f) => [f, anchorsOf(readFileSync(join(NOTES, f), 'utf8'))]),
);

describe('the Salesforce notes', () => {
  test('exist: an index and one note per API family, plus the access model', () => {
    expect(NOTE_FILES.sort()).toEqual(
      expect.arrayContaining([
        'README.md',
        'access-model.md',
        'crm-rest.md',
        'data-cloud.md',
        'headless-identity.md',
        'pubsub.md',
        'scapi.md',
      ]),
    );
  });

  test('the index links every note, and README.md and ARCHITECTURE.md link the index', () => {
    const index = readFileSync(join(NOTES, 'README.md'), 'utf8');
    for (const note of NOTE_FILES.filter((f) => f !== 'README.md'))
      expect([note, index.includes(`](${note})`)]).toEqual([note, true]);
    for (const doc of ['README.md', 'ARCHITECTURE.md'])
      expect([doc, text(doc).includes('docs/salesforce/README.md')]).toEqual([doc, true]);
  });

  test('every claim in an API note rests on a URL: each section cites at least one', () => {
    const bare: string[] = [];
    for (const note of NOTE_FILES.filter((f) => !['README.md', 'access-model.md'].includes(f))) {
      const sections = readFileSync(join(NOTES, note), 'utf8').split(/^## /m).slice(1);
      for (const s of sections)
        if (!/https:\/\//.test(s)) bare.push(`${note}: ${s.split('\n')[0]}`);
    }
    expect(bare).toEqual([]);
  });
});

describe('citations', () => {
  test('no source file cites a document outside the repository (CHANGELOG history excepted)', () => {
    const hits = FILES.filter((f) => f !== 'CHANGELOG.md').flatMap((f) =>
      outsideCitations(f, text(f)),
    );
    expect(hits).toEqual([]);
  });

  test('every docs/salesforce/<note>.md#<anchor> cited anywhere resolves to a heading', () => {
    const citations = FILES.flatMap((f) => citationsIn(f, text(f)));
    expect(citations.length).toBeGreaterThan(20);
    expect(unresolved(citations, NOTE_ANCHORS)).toEqual([]);
  });

  test('the checker fails on a missing note, a missing anchor, and a moved heading', () => {
    const notes = new Map([
      ['crm-rest.md', anchorsOf('# CRM\n\n## Limits and Sforce-Limit-Info\n')],
    ]);
    expect(
      unresolved(
        citationsIn('x.ts', '// docs/salesforce/crm-rest.md#limits-and-sforce-limit-info'),
        notes,
      ),
    ).toEqual([]);
    expect(unresolved(citationsIn('x.ts', '// docs/salesforce/nope.md#a'), notes)).toEqual([
      'x.ts: docs/salesforce/nope.md does not exist',
    ]);
    expect(
      unresolved(citationsIn('x.ts', '// see docs/salesforce/crm-rest.md#limits.'), notes),
    ).toEqual(['x.ts: docs/salesforce/crm-rest.md#limits is not a heading of that note']);
    const inNote = citationsIn(
      join('docs', 'salesforce', 'crm-rest.md'),
      'see [x](#gone) and [y](crm-rest.md#crm)',
    );
    expect(unresolved(inNote, notes)).toEqual([
      `${join('docs', 'salesforce', 'crm-rest.md')}: docs/salesforce/crm-rest.md#gone is not a heading of that note`,
    ]);
  });

  test('the outside-citation check catches each form, and leaves RFC sections alone', () => {
    const brief = ['PRODUCT', 'md'].join('.');
    const ref = ['reference', '§'].join(' ');
    const cases: Array<[string, boolean]> = [
      [`// Access rule (${brief}): citizens see their own`, true],
      [`/** The real getProducts limit (${ref}3.4). */`, true],
      [`// 403 (see the header in the reference, §1.1/§1.8).`, true],
      [`// init endpoints (reference\n// §4.3–4.5). Their error bodies`, true],
      [`test('answers the §1.10 shape', () => {});`, true],
      [`// see ${['..', 'shared'].join('/')}/design`, true],
      [`// Single use (reference ${'Errata'}).`, true],
      [`// RFC 6749 §4.1.2.1 and §5.2; docs/real-org.md §3`, false],
      [`// (an introspection body; RFC 7662\n// §2.2): times in epoch seconds`, false],
      [`// docs/salesforce/crm-rest.md#errors`, false],
    ];
    for (const [body, cited] of cases)
      expect([body, outsideCitations('x.ts', body).length > 0]).toEqual([body, cited]);
  });

  test('anchors are GitHub heading slugs', () => {
    expect([
      ...anchorsOf('## Limits and Sforce-Limit-Info\n## Shopper Products\n## Errors\n## Errors\n'),
    ]).toEqual(['limits-and-sforce-limit-info', 'shopper-products', 'errors', 'errors-1']);
    expect(slug('commerce-sdk-isomorphic')).toBe('commerce-sdk-isomorphic');
    expect(slug('Trusted system on behalf')).toBe('trusted-system-on-behalf');
  });
});
