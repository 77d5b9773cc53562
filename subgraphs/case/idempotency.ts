// Idempotency keys of the case subgraph's writes. A client key is scoped to the acting
// principal (another citizen's identical key is another request) and bound to the request it
// was first used with: the first request's fingerprint is stored with the record it created,
// a retry with the same fingerprint gets that record back as it is now, a different request
// under the same key gets IDEMPOTENCY_KEY_REUSED and changes nothing.
import { createHash } from 'node:crypto';
import type { Principal } from '../../lib/principal.js';

type Actor = Exclude<Principal, { kind: 'anonymous' }>;

/**
 * Who is acting, as stored in key hashes. A citizen is their Contact id (keeps the stored keys
 * of cases created before this scheme); an agent is `agent:` + user id or client id.
 */
export const actorOf = (p: Actor): string =>
  p.kind === 'citizen' ? p.contactId : `agent:${p.userId ?? p.clientId ?? ''}`;

const sha256 = (...parts: string[]) => createHash('sha256').update(parts.join('\n'));

/** base64url(SHA-256(actor, key)): 43 characters, fits an 80-character external-id field. */
export const scopedKey = (actor: string, key: string) => sha256(actor, key).digest('base64url');

/** The lock key serialising one (operation, principal, client key): never the raw client key. */
export const lockKey = (operation: string, actor: string, key: string) =>
  `case:${operation}:${sha256(operation, actor, key).digest('base64url')}`;

/** SHA-256 of a normalised request (JSON of its fields in a fixed order). */
export const fingerprint = (operation: string, fields: readonly unknown[]) =>
  sha256(operation, JSON.stringify(fields)).digest();
