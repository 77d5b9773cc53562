// Citizen changes as the Pub/Sub API delivers them. Data Cloud has no change feed for unified
// profiles: the org's Data Cloud-Triggered Flow (or a Data Action with a Salesforce Platform Event
// target) publishes a platform event (PUBSUB_CITIZEN_TOPIC, default Citizen_Profile_Changed__e)
// for each profile or insight change, and this hub consumes it with the SAME hub as the case
// subgraph (lib/salesforce/event-hub.ts): one PubSubSubscriber stream per process, or, with Redis, the
// fleet's consumer (one replica holds the lease, checkpoints the replay id, fans out to all).
// https://help.salesforce.com/s/articleView?id=sf.c360_a_data_cloud_triggered_flow.htm
// https://help.salesforce.com/s/articleView?id=sf.c360_a_data_actions.htm
//
// Before any subscriber gets a change, every `onCitizenChanged` listener is called and awaited
// (bounded): a read cache invalidates the citizen there, so a subscriber that re-reads the
// citizen after its event never reads what the event replaced.
import { EventHub, type EventHubFleet } from '../../lib/salesforce/event-hub.js';
import type { PubSubEvent, PubSubSubscriber } from '../../lib/salesforce/pubsub-subscriber.js';

export type CitizenChangeKind = 'PROFILE_CHANGED' | 'INSIGHT_CHANGED' | 'REPLAY_LOST';

export interface CitizenChange {
  kind: CitizenChangeKind;
  /** The unified individual id; null for REPLAY_LOST (anything may have changed). */
  unifiedId: string | null;
  /** Graph field names of Citizen that changed (firstName, insights, …). */
  changedFields: string[];
  /** When the change was made (ISO 8601), as the event says; null when it does not. */
  changedAt: string | null;
}

/** Called for each change before subscribers get it; may return a promise (awaited, bounded). */
export type CitizenChangeListener = (change: CitizenChange) => void | Promise<void>;

/** Longest wait for the `onCitizenChanged` listeners before the change is delivered anyway. */
export const LISTENER_TIMEOUT_MS = 5_000;

/** Data Cloud field names (unified individual, the calculated insight) → Citizen fields. */
const GRAPH_FIELD: Record<string, string[]> = {
  ssot__FirstName__c: ['firstName', 'displayName'],
  ssot__LastName__c: ['lastName', 'displayName'],
  LifetimeValue__c: ['insights'],
  EngagementScore__c: ['insights'],
  BenefitEligibility__c: ['insights'],
};

const text = (v: unknown): string | null =>
  typeof v === 'string' && v
    ? v
    : v && typeof v === 'object' && 'string' in v
      ? text((v as { string: unknown }).string)
      : null;

const epoch = (v: unknown): number | null =>
  typeof v === 'number' || typeof v === 'bigint'
    ? Number(v)
    : v && typeof v === 'object' && 'long' in v
      ? epoch((v as { long: unknown }).long)
      : null;

/** The graph's change in one platform event (none when it names no citizen). */
export function toCitizenChanges(e: PubSubEvent): CitizenChange[] {
  const unifiedId = text(e.payload.UnifiedIndividualId__c);
  if (!unifiedId) return [];
  const type = text(e.payload.ChangeType__c)?.toLowerCase();
  const kind: CitizenChangeKind = type === 'insight' ? 'INSIGHT_CHANGED' : 'PROFILE_CHANGED';
  const fields = (text(e.payload.ChangedFields__c) ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const changedFields = [...new Set(fields.flatMap((f) => GRAPH_FIELD[f] ?? []))];
  const at = epoch(e.payload.ChangedAt__c) ?? epoch(e.payload.CreatedDate);
  return [
    {
      kind,
      unifiedId,
      changedFields: changedFields.length
        ? changedFields
        : kind === 'INSIGHT_CHANGED'
          ? ['insights']
          : [],
      changedAt: at === null ? null : new Date(at).toISOString(),
    },
  ];
}

export type CitizenEventFleet = EventHubFleet;

/**
 * The process's citizen changes: the generic hub (lib/salesforce/event-hub.ts) over the citizen
 * platform event. Without Redis its own Pub/Sub stream (opened with the first subscriber or
 * listener, replay id in memory); with Redis the fleet's consumer from the start.
 */
export class CitizenEventHub extends EventHub<CitizenChange> {
  constructor(
    subscriber: PubSubSubscriber,
    topic: string,
    fleet?: CitizenEventFleet,
    log: (message: string) => void = () => undefined,
  ) {
    super({
      subscriber,
      topics: [topic],
      decode: (e) => toCitizenChanges(e),
      fleet,
      // Its own channel: the case subgraph's fleet shares the Redis.
      namespace: 'pubsub:customer',
      lostChange: { kind: 'REPLAY_LOST', unifiedId: null, changedFields: [], changedAt: null },
      listenerTimeoutMs: LISTENER_TIMEOUT_MS,
      listenerName: 'citizen change listeners',
      log,
    });
  }

  /**
   * Calls `listener` for each change BEFORE any subscriber gets it (awaited, at most
   * LISTENER_TIMEOUT_MS), and with kind REPLAY_LOST (unifiedId null) when changes could not be
   * replayed. Returns the unsubscribe. Where a read cache invalidates.
   */
  onCitizenChanged(listener: CitizenChangeListener): () => void {
    return this.onChange(listener);
  }
}
