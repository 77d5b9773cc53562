// Case subgraph resolvers. Access rule (docs/salesforce/access-model.md#who-may-see-what): citizens
// see and act on their own cases only (checked against principal.contactId before any upstream call
// where possible), agents see all, anonymous callers see nothing.
import { connectionFromSlice, emptyConnection, parsePage } from '../../lib/graphql/connection.js';
import type { Resolvers, UserError } from './__generated__/resolvers-types.js';
import { maySeeContact, visibleCase } from './access.js';
import { isoFromSf, priorityFromCrm, statusFromCrm, type CitizenModel } from './mappers.js';
import { createCase } from './mutations/create-case.js';
import { addCaseComment } from './mutations/add-case-comment.js';
import { stripMarker } from './comment-marker.js';
import { sfId } from './ids.js';
import { caseUpdated } from './case-updated.js';

export const resolvers: Resolvers = {
  Query: {
    case: (_root, { id }, ctx) => visibleCase(ctx, id),
  },
  Subscription: {
    caseUpdated: {
      subscribe: (_root, { id }, ctx) => caseUpdated(ctx, id),
    },
  },
  Mutation: {
    createCase: (_root, { input }, ctx) => createCase(ctx, input),
    addCaseComment: (_root, { input }, ctx) => addCaseComment(ctx, input),
  },
  Citizen: {
    // The key is all this subgraph needs; whether its cases are visible is decided in `cases`.
    __resolveReference: (ref): CitizenModel => ({ contactId: ref.contactId }),
    cases: async (citizen, { first, after, status }, ctx) => {
      const page = parsePage({ first, after }, { kind: 'case', default: 10 });
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
      return connectionFromSlice(all.slice(page.offset, page.offset + page.first), {
        kind: 'case',
        offset: page.offset,
        totalCount: all.length,
      });
    },
  },
  Case: {
    __resolveReference: (ref, ctx) => visibleCase(ctx, ref.id),
    id: (c) => c.Id,
    caseNumber: (c) => c.CaseNumber,
    subject: (c) => c.Subject ?? '',
    description: (c) => c.Description,
    status: (c, _args, ctx) => statusFromCrm(ctx.config.casePicklists.status, c.Status),
    priority: (c, _args, ctx) => priorityFromCrm(ctx.config.casePicklists.priority, c.Priority),
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
