// Subscription.caseUpdated: the hub's changes, filtered to what this principal may see, exactly
// as Query.case decides (access.ts): each event's case is read fresh from CRM (new DataLoaders
// per event, so `case { … }` is the case after the change) and dropped when not visible.
import { GraphQLError } from 'graphql';
import { maySeeContact } from './access.js';
import type { CaseChange } from './case-events.js';
import type { Context } from './context.js';
import { sfId } from './ids.js';
import { createLoaders } from './loaders.js';
import type { CaseModel } from './mappers.js';

export interface CaseEventModel {
  kind: CaseChange['kind'];
  changedFields: string[];
  case: CaseModel | null;
}

/** Most changes held for one slow subscriber before the oldest are dropped. */
const MAX_QUEUED = 1000;

export function caseUpdated(
  ctx: Context,
  id: string | null | undefined,
): AsyncIterableIterator<{ caseUpdated: CaseEventModel }> {
  if (ctx.principal.kind === 'anonymous')
    throw new GraphQLError('Sign in to follow cases.', {
      extensions: { code: 'UNAUTHENTICATED' },
    });
  const only = id === undefined || id === null ? undefined : sfId('Case', id);
  const queue: CaseChange[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  const off = ctx.caseEvents.listen((c) => {
    if (id != null && c.caseId !== only) return;
    queue.push(c);
    if (queue.length > MAX_QUEUED) queue.shift();
    wake?.();
  });
  const finish = () => {
    done = true;
    off();
    wake?.();
  };

  /** The event as this principal may see it, or null when they may not. */
  const visible = async (c: CaseChange): Promise<CaseEventModel | null> => {
    const agent = ctx.principal.kind === 'agent';
    if (c.kind === 'DELETED') return agent ? { kind: c.kind, changedFields: [], case: null } : null;
    if (c.kind === 'COMMENT_ADDED' && !c.published) return null;
    // Fresh loaders: this event's reads, and the Case field resolvers after it, see the change.
    ctx.loaders = createLoaders(ctx.crm);
    const found = await ctx.loaders.caseById.load(c.caseId);
    if (!found || !maySeeContact(ctx.principal, found.ContactId)) return null;
    return { kind: c.kind, changedFields: c.changedFields, case: found };
  };

  const iterator: AsyncIterableIterator<{ caseUpdated: CaseEventModel }> = {
    async next() {
      for (;;) {
        if (done) return { done: true, value: undefined };
        const c = queue.shift();
        if (!c) {
          await new Promise<void>((r) => (wake = r));
          wake = undefined;
          continue;
        }
        const event = await visible(c);
        if (event) return { done: false, value: { caseUpdated: event } };
      }
    },
    async return() {
      finish();
      return { done: true, value: undefined };
    },
    async throw(err) {
      finish();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
