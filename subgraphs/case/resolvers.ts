// Case subgraph resolvers. Access rule (PRODUCT.md): citizens see and act on their own cases
// only (checked against principal.contactId before any upstream call where possible), agents
// see all, anonymous callers see nothing.
import { graphqlError, ErrorCode } from '../../lib/errors.js';
import type { Resolvers, UserError } from './__generated__/resolvers-types.js';
import { maySeeContact, visibleCase } from './access.js';
import { isoFromSf, statusFromCrm, type CitizenModel } from './mappers.js';
import { createCase } from './create-case.js';
import { addCaseComment } from './add-case-comment.js';
import { stripMarker } from './comment-marker.js';
import { sfId } from './ids.js';

const cursorOf = (offset: number) => Buffer.from(`case:${offset}`).toString('base64url');
function offsetOf(cursor: string | null | undefined): number {
  if (!cursor) return 0;
  const m = /^case:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw graphqlError(ErrorCode.BAD_USER_INPUT, 'The after cursor is not valid.');
  return Number(m[1]) + 1;
}

const emptyConnection = () => ({
  edges: [],
  pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  totalCount: 0,
});

export const resolvers: Resolvers = {
  Query: {
    case: (_root, { id }, ctx) => visibleCase(ctx, id),
  },
  Mutation: {
    createCase: (_root, { input }, ctx) => createCase(ctx, input),
    addCaseComment: (_root, { input }, ctx) => addCaseComment(ctx, input),
  },
  Citizen: {
    // The key is all this subgraph needs; whether its cases are visible is decided in `cases`.
    __resolveReference: (ref): CitizenModel => ({ contactId: ref.contactId }),
    cases: async (citizen, { first, after, status }, ctx) => {
      const size = first ?? 10;
      if (size < 0 || size > 100)
        throw graphqlError(ErrorCode.BAD_USER_INPUT, 'first must be between 0 and 100.');
      const start = offsetOf(after);
      // No CRM contact (e.g. the profile lookup upstream failed and the gateway sent a null key): no cases.
      if (!citizen.contactId) return emptyConnection();
      if (!maySeeContact(ctx.principal, citizen.contactId)) return emptyConnection();
      // A key that is not a Contact id names no contact: no cases, and it never reaches SOQL.
      const contactId = sfId('Contact', citizen.contactId);
      if (!contactId) return emptyConnection();
      const all = await ctx.loaders.casesByContact.load({
        contactId,
        statuses: status,
      });
      const page = all.slice(start, start + size);
      const edges = page.map((node, i) => ({ cursor: cursorOf(start + i), node }));
      return {
        edges,
        totalCount: all.length,
        pageInfo: {
          hasNextPage: start + size < all.length,
          hasPreviousPage: start > 0,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      };
    },
  },
  Case: {
    __resolveReference: (ref, ctx) => visibleCase(ctx, ref.id),
    id: (c) => c.Id,
    caseNumber: (c) => c.CaseNumber,
    subject: (c) => c.Subject ?? '',
    description: (c) => c.Description,
    status: (c) => statusFromCrm(c.Status),
    priority: (c) => c.Priority,
    origin: (c) => c.Origin,
    createdAt: (c) => isoFromSf(c.CreatedDate)!,
    updatedAt: (c) => isoFromSf(c.LastModifiedDate),
    citizen: (c) => (c.ContactId ? { contactId: c.ContactId } : null),
    comments: (c, _args, ctx) => ctx.loaders.commentsByCase.load(c.Id),
  },
  CaseComment: {
    id: (c) => c.Id,
    body: (c) => stripMarker(c.CommentBody),
    createdAt: (c) => isoFromSf(c.CreatedDate)!,
  },
};

export type { UserError };
