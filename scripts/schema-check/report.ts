// The Markdown report of a schema check (CI attaches it to the pull request).
import type { SchemaCheckResult } from './run.js';
import { OPERATION_DIRS } from './usage.js';

const LABEL = { BREAKING: 'breaking', DANGEROUS: 'dangerous', NON_BREAKING: 'safe' } as const;
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderReport(r: SchemaCheckResult): string {
  const out: string[] = ['# Schema check', ''];
  out.push(`**Result: ${r.exitCode ? 'FAIL' : 'PASS'}** · base: \`${r.baseLabel}\``, '');
  for (const w of r.baseWarnings) out.push(`> ${w}`, '');

  if (r.compositionErrors.length) {
    out.push('## Composition errors', '');
    for (const e of r.compositionErrors) out.push(`- \`${e.code}\`: ${cell(e.message)}`);
    out.push('');
    return out.join('\n');
  }

  out.push('## Changes to the API schema', '');
  if (!r.changes.length) out.push('No changes.', '');
  else {
    out.push('| Level | Coordinate | Change | Status |', '| --- | --- | --- | --- |');
    for (const c of r.changes) {
      const status =
        c.level === 'NON_BREAKING'
          ? ''
          : c.usedBy.length
            ? `${c.blocking ? '❌ ' : '⚠️ '}used by ${c.usedBy.map((o) => `\`${o}\``).join(', ')}`
            : c.acknowledged
              ? `✅ acknowledged: ${cell(c.acknowledged)}`
              : c.level === 'BREAKING'
                ? '❌ not acknowledged'
                : 'not used by any operation';
      out.push(`| ${LABEL[c.level]} | \`${c.coordinate}\` | ${cell(c.message)} | ${status} |`);
    }
    out.push('');
  }

  out.push('## Operations', '');
  if (!r.invalidOperations.length)
    out.push(
      `All operations in ${OPERATION_DIRS.map((d) => `\`${d}\``).join(' and ')} validate against the new API schema.`,
      '',
    );
  else {
    for (const op of r.invalidOperations)
      out.push(`- ❌ \`${op.operation}\`: ${op.errors.map(cell).join('; ')}`);
    out.push('');
  }
  if (r.staleAcknowledgements.length) {
    out.push('## Stale acknowledgements', '');
    out.push('These entries match no breaking change any more and can be removed:', '');
    for (const c of r.staleAcknowledgements) out.push(`- \`${c}\``);
    out.push('');
  }
  if (r.changes.some((c) => c.blocking && !c.usedBy.length)) {
    out.push(
      'To ship an unused breaking change on purpose, add `{ "coordinate": "Type.field", "reason": "…" }` ' +
        'to `schema/acknowledged-breaking-changes.json`.',
      '',
    );
  }
  return out.join('\n');
}
