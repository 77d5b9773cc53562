// Subscription.caseUpdated: the hub's changes, filtered to what this principal may see, exactly
// as Query.case decides (access.ts): each event's case is read from CRM after the change — once
// per event for all subscriptions (case-events.ts) — and dropped when not visible. Each event
// gets fresh loaders primed with that record, so `case { … }` is the case after the change.
// A change whose case cannot be read is an error event (its code and caseId in extensions), and
// changes that could not be replayed (lost upstream) one error telling the subscriber to re-read.
import { GraphQLError } from 'graphql';
import { ErrorCode, graphqlError, UpstreamError } from '../../lib/errors.js';
import { changeSubscription } from '../../lib/graphql/change-subscription.js';
import { maySeeContact } from './access.js';
import type { CaseChange, SharedCaseChange } from './case-events.js';
import type { Context } from './context.js';
import { sfId } from './ids.js';
import { createLoaders } from './loaders.js';
import type { CaseModel } from './mappers.js';

export interface CaseEventModel {
  kind: CaseChange['kind'];
  changedFields: string[];
  case: CaseModel | null;
}

export function caseUpdated(
  ctx: Context,
  id: string | null | undefined,
): AsyncIterableIterator<{ caseUpdated: CaseEventModel }> {
  if (ctx.principal.kind === 'anonymous')
    throw new GraphQLError('Sign in to follow cases.', {
      extensions: { code: 'UNAUTHENTICATED' },
    });
  const only = id === undefined || id === null ? undefined : sfId('Case', id);
  /** The event as this principal may see it, or null when they may not. */
  const visible = async (c: SharedCaseChange): Promise<CaseEventModel | GraphQLError | null> => {
    const agent = ctx.principal.kind === 'agent';
    if (c.kind === 'DELETED') return agent ? { kind: c.kind, changedFields: [], case: null } : null;
    if (c.kind === 'COMMENT_ADDED' && !c.published) return null;
    // An overflow event: Salesforce could not say which cases changed. A subscription to one
    // case gets it re-read; one to every case is told to re-read (case null).
    if (c.kind === 'GAP_OVERFLOW' && !only) return { kind: c.kind, changedFields: [], case: null };
    const caseId = c.kind === 'GAP_OVERFLOW' ? only! : c.caseId!;
    let found: CaseModel | null;
    try {
      found = await c.readCase(ctx.crm, caseId);
    } catch (err) {
      // The case could not be read after the change (Salesforce unavailable, after the client's
      // retries): the subscriber is told which case changed, as an error, not left unaware.
      const code = err instanceof UpstreamError ? err.code : ErrorCode.UPSTREAM_UNAVAILABLE;
      return graphqlError(code, `Case ${caseId} changed, but it could not be read: re-read it.`, {
        caseId,
        kind: c.kind,
        ...(err instanceof UpstreamError ? { upstream: err.family } : {}),
      });
    }
    if (!found || !maySeeContact(ctx.principal, found.ContactId)) return null;
    // Fresh loaders: the Case field resolvers after this event see the change.
    ctx.loaders = createLoaders(ctx.crm, ctx.config.casePicklists.status);
    ctx.loaders.caseById.prime(caseId, found);
    return { kind: c.kind, changedFields: c.changedFields, case: found };
  };

  // Changes, and errors to hand out in their place (a lost replay).
  return changeSubscription<SharedCaseChange | GraphQLError, { caseUpdated: CaseEventModel }>(
    (push) =>
      ctx.caseEvents.listen(
        (c) => {
          // An overflow names no case: every subscription re-reads what it follows.
          if (id != null && c.kind !== 'GAP_OVERFLOW' && c.caseId !== only) return;
          push(c);
        },
        () =>
          // The stream was away longer than Salesforce keeps events (72 hours): what changed in
          // between is unknown. Said once, as an error, to every subscription; re-read what you follow.
          push(
            graphqlError(
              ErrorCode.UPSTREAM_UNAVAILABLE,
              'Some case changes could not be replayed from Salesforce: re-read the cases you follow.',
              { reread: true },
            ),
          ),
      ),
    async (c) => {
      // An error as the field's value: graphql-js reports it as this event's error (data
      // null, the error's code in extensions) and the subscription goes on.
      const event = c instanceof GraphQLError ? c : await visible(c);
      return event ? { caseUpdated: event as CaseEventModel } : null;
    },
  );
}
