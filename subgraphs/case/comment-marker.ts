// Idempotent comments. CaseComment cannot carry custom fields in Salesforce, so the
// idempotency key cannot be stored in a field of its own. Instead a short, deterministic
// marker is appended to CommentBody as zero-width characters: invisible in the Salesforce
// console, in emails and in any renderer, stripped by this subgraph on read.
//
// Marker = START, then 32 base-4 digits of the KEY TAG (64 bits of SHA-256(actor, client key)),
// then 32 digits of the REQUEST TAG (64 bits of SHA-256 of the normalised comment text). The
// key tag finds the comment a key made, on whichever case (CommentBody is filterable, so SOQL
// `CommentBody LIKE '%{START}{key tag}%'` works; CaseComment object reference, CommentBody:
// "Create, Filter, Nillable, Sort, Update"). The request tag tells a retry (same text, same
// case: answer the comment) from a reused key (IDEMPOTENCY_KEY_REUSED).
import { createHash } from 'node:crypto';

const START = '\u2063'; // INVISIBLE SEPARATOR
const DIGITS = ['\u200B', '\u200C', '\u200D', '\u2060']; // base-4 digits, all zero-width
const TAG_DIGITS = 32;
const MARKER_RE = /\u2063(?:\u200B|\u200C|\u200D|\u2060)+$/;

function tag(...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('\n')).digest();
  let out = '';
  for (const byte of digest.subarray(0, TAG_DIGITS / 4))
    for (let shift = 6; shift >= 0; shift -= 2) out += DIGITS[(byte >> shift) & 3];
  return out;
}

/** START + the key tag: what a comment made under this (actor, key) contains. */
export const keyTag = (actor: string, idempotencyKey: string) =>
  START + tag('comment-key/v2', actor, idempotencyKey);

/** The full invisible marker for one comment request. */
export const commentMarker = (actor: string, idempotencyKey: string, body: string) =>
  keyTag(actor, idempotencyKey) + tag('comment-body/v2', body);

/** Length of every marker (for the body length limit). */
export const MARKER_LENGTH = 1 + 2 * TAG_DIGITS;

/** The marker a stored comment ends with, or null. */
export function markerOf(body: string | null | undefined): string | null {
  const m = MARKER_RE.exec(body ?? '');
  return m ? m[0] : null;
}

/** The comment text a person wrote, without the marker. */
export const stripMarker = (body: string | null | undefined) => (body ?? '').replace(MARKER_RE, '');
