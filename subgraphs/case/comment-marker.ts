// Idempotent comments. CaseComment cannot carry custom fields in Salesforce, so the
// idempotency key cannot be stored in a field of its own. Instead a short, deterministic
// marker derived from (case, actor, key) is appended to CommentBody as zero-width characters:
// invisible in the Salesforce console, in emails and in any renderer, stripped by this
// subgraph on read, and findable by reading the case's comments before creating one.
// Limitation: two concurrent first attempts with the same key can both create (no lock).
import { createHash } from 'node:crypto';

const START = '\u2063'; // INVISIBLE SEPARATOR
const DIGITS = ['\u200B', '\u200C', '\u200D', '\u2060']; // base-4 digits, all zero-width
const MARKER_RE = /\u2063(?:\u200B|\u200C|\u200D|\u2060)+$/;

/** The invisible marker for one logical comment (64 bits of SHA-256, base 4). */
export function commentMarker(caseId: string, actor: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(`${caseId}\n${actor}\n${idempotencyKey}`).digest();
  let out = START;
  for (const byte of digest.subarray(0, 8))
    for (let shift = 6; shift >= 0; shift -= 2) out += DIGITS[(byte >> shift) & 3];
  return out;
}

export const hasMarker = (body: string | null | undefined, marker: string) =>
  !!body && body.endsWith(marker);

/** The comment text a person wrote, without the marker. */
export const stripMarker = (body: string | null | undefined) => (body ?? '').replace(MARKER_RE, '');
