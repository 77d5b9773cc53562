// Salesforce record ids from untrusted input (GraphQL arguments, entity representations).
// Every id this subgraph puts into a CRM URL path, a request body or SOQL passes through here
// first: 15 characters (case-sensitive) or 18 (15 + the case-safe suffix, which must match),
// base-62 only, and the key prefix of the expected object (Case 500, Contact 003, CaseComment
// 00a; docs/salesforce/crm-rest.md#records-and-ids). Anything else (`..`, `/`, `%2F`, `?`, `,`,
// quotes, blanks) is not an id and never reaches the org.
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

export const KEY_PREFIX = { Case: '500', Contact: '003', CaseComment: '00a' } as const;
export type IdType = keyof typeof KEY_PREFIX;

function caseSafeSuffix(id15: string): string {
  let out = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    out += SUFFIX[bits];
  }
  return out;
}

/** The 18-character form of a 15/18-character id of `type`, or null when it is not one. */
export function sfId(type: IdType, value: unknown): string | null {
  if (typeof value !== 'string' || !/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(value)) return null;
  if (!value.startsWith(KEY_PREFIX[type])) return null;
  const id15 = value.slice(0, 15);
  const id18 = id15 + caseSafeSuffix(id15);
  if (value.length === 18 && value.slice(15).toUpperCase() !== id18.slice(15)) return null;
  return id18;
}

/** A value as one URL path segment (ids are validated first; this is the second belt). */
export const pathSegment = (value: string) => encodeURIComponent(value);
