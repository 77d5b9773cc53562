// The org check's checklist as text: one line per check (✓ passed, ✗ failed with what is missing
// and how to fix it, – not checked because a check it needs failed), then what only a person
// can verify, then the totals.
import { AREAS, type OrgCheckReport } from './checks.js';

const MARK = { pass: '✓', fail: '✗', skip: '–' } as const;

export function formatReport(report: OrgCheckReport): string {
  const lines: string[] = ['Salesforce org check (read-only; docs/real-org.md explains each item)'];
  for (const area of AREAS) {
    const results = report.results.filter((r) => r.area === area);
    if (!results.length) continue;
    lines.push('', area);
    for (const r of results) {
      lines.push(`  ${MARK[r.status]} ${r.title}${r.detail ? ` — ${r.detail}` : ''}`);
      if (r.status === 'fail' && r.fix) lines.push(`      fix: ${r.fix}`);
    }
  }
  if (report.manual.length) {
    lines.push('', 'Not checkable read-only — verify by hand (docs/real-org.md):');
    for (const m of report.manual) lines.push(`  • ${m.area}: ${m.text}`);
  }
  const count = (s: 'pass' | 'fail' | 'skip') =>
    report.results.filter((r) => r.status === s).length;
  lines.push(
    '',
    `${count('pass')} passed, ${count('fail')} failed, ${count('skip')} not checked — ${report.ok ? 'the org meets the contract' : 'the org does NOT meet the contract'}`,
  );
  return lines.join('\n');
}
