// Subscription.citizenUpdated: the hub's citizen changes (citizen-events.ts), for whom this
// principal may follow, decided ONCE when subscribing by the rule Query.citizen applies
// (lib/principal.ts maySeeCitizen): a citizen follows only themselves (their unified id), an
// agent any citizen or, without `id`, every citizen; anonymous callers none. A refused
// subscription is an error (FORBIDDEN / UNAUTHENTICATED) before any event. Each event's
// `citizen` is the changed citizen by id; its fields resolve as Query.citizen's do (the gateway
// asks for them per event through the graph).
import { ErrorCode, graphqlError } from '../../lib/errors.js';
import { changeSubscription } from '../../lib/graphql/change-subscription.js';
import { maySeeCitizen } from '../../lib/principal.js';
import type { CitizenChange } from './citizen-events.js';
import type { Context } from './context.js';
import type { CitizenModel } from './mappers.js';

export interface CitizenEventModel {
  kind: Exclude<CitizenChange['kind'], 'REPLAY_LOST'>;
  changedFields: string[];
  changedAt: string | null;
  citizen: CitizenModel;
}

export function citizenUpdated(
  ctx: Context,
  id: string | null | undefined,
): AsyncIterableIterator<{ citizenUpdated: CitizenEventModel }> {
  const p = ctx.principal;
  if (p.kind === 'anonymous')
    throw graphqlError(ErrorCode.UNAUTHENTICATED, 'Sign in to follow a citizen profile.');
  // A citizen without `id` follows themselves; an agent without it, every citizen.
  const only = id ?? (p.kind === 'citizen' ? p.unifiedId : undefined) ?? undefined;
  if (p.kind !== 'agent' && !(only && maySeeCitizen(p, { unifiedId: only })))
    throw graphqlError(ErrorCode.FORBIDDEN, 'You may follow only your own citizen profile.');

  return changeSubscription<CitizenEventModel | Error, { citizenUpdated: CitizenEventModel }>(
    (push) =>
      ctx.citizenEvents.listen(
        (c) => {
          if (!c.unifiedId || c.kind === 'REPLAY_LOST' || (only && c.unifiedId !== only)) return;
          push({
            kind: c.kind,
            changedFields: c.changedFields,
            changedAt: c.changedAt,
            citizen: { id: c.unifiedId },
          });
        },
        () =>
          // The stream was away longer than Salesforce keeps events (72 hours): re-read.
          push(
            graphqlError(
              ErrorCode.UPSTREAM_UNAVAILABLE,
              'Some citizen changes could not be replayed from Salesforce: re-read the profiles you follow.',
              { reread: true },
            ),
          ),
      ),
    // An error as the field's value: this event's error, the subscription goes on.
    (item) => ({ citizenUpdated: item as CitizenEventModel }),
  );
}
