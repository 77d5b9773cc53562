// One change-event hub for every subgraph that follows Salesforce's Pub/Sub API (the case
// subgraph's Case change events and comment platform event, the customer subgraph's citizen
// platform event). A hub turns one or more topics into changes in graph terms (the subgraph's
// `decode`), and hands each change to every subscriber, in the order events arrived:
// - without Redis, the process's own PubSubSubscriber stream per topic, opened once, on first use
//   (the first subscriber or before-delivery listener), replay id in memory;
// - with Redis (`fleet`), the fleet's consumer from the start (lib/salesforce/pubsub-fleet.ts):
//   one replica holds each topic's lease, checkpoints its replay id, and fans out to every replica.
// Before any subscriber gets an event's changes, its before-delivery steps run and are awaited:
// the `beforeDelivery` step (once per event, all its changes) and every `onChange` listener (per
// change, together, bounded by `listenerTimeoutMs`) — where a read cache invalidates, so a
// subscriber that re-reads after its event never reads what the event replaced. A step that fails
// or hangs does not hold delivery back. A lost replay (the stream was away longer than the bus
// keeps events) reaches every subscriber's `lost`.
// https://developer.salesforce.com/docs/platform/pub-sub-api/guide/intro.html
import type { Redis } from 'ioredis';
import { FleetConsumer, type FleetTopicState } from './pubsub-fleet.js';
import type { PubSubEvent, PubSubSubscriber } from './pubsub-subscriber.js';

/** Options of a hub's fleet mode (Redis): lib/salesforce/pubsub-fleet.ts. */
export interface EventHubFleet {
  redis: Redis;
  leaseMs: number;
  log?: (message: string) => void;
}

/** Called for each change before subscribers get it; may return a promise (awaited, bounded). */
export type ChangeListener<Change> = (change: Change) => void | Promise<void>;

/** One subscriber: `change` for each change (as the hub shares it), `lost` for a lost replay. */
export interface EventHubSubscriber<Delivered> {
  change: (change: Delivered) => void;
  lost?: () => void;
}

/** Starts a timer; returns its cancel. Injected by tests (no test waits on a real timeout). */
export type StartTimer = (ms: number, onTimeout: () => void) => () => void;

const realTimer: StartTimer = (ms, onTimeout) => {
  const t = setTimeout(onTimeout, ms);
  t.unref();
  return () => clearTimeout(t);
};

export interface EventHubOptions<Change, Delivered = Change> {
  subscriber: PubSubSubscriber;
  /** The topics the hub follows (one stream each). */
  topics: string[];
  /** The subgraph's changes in one event (none when it names nothing the graph shows). */
  decode: (event: PubSubEvent) => Change[];
  /** With Redis: the fleet's consumer (one replica per topic) instead of the process's streams. */
  fleet?: EventHubFleet;
  /** The fleet's Redis key and channel namespace (its own per subgraph: they share a Redis). */
  namespace?: string;
  /** Runs once per event, before its changes reach anyone; its failure is ignored. */
  beforeDelivery?: (changes: Change[]) => Promise<void>;
  /**
   * The change the `onChange` listeners get for a lost replay, in order with the other changes;
   * subscribers' `lost` is called after them. Without it a lost replay reaches the subscribers'
   * `lost` at once.
   */
  lostChange?: Change;
  /** The change as every subscriber gets it, made once per change (e.g. with a shared read). */
  share?: (change: Change) => Delivered;
  /** Longest wait for the `onChange` listeners before the change is delivered anyway. */
  listenerTimeoutMs?: number;
  /** What the log calls the listeners ("citizen change listeners"). */
  listenerName?: string;
  log?: (message: string) => void;
  startTimer?: StartTimer;
}

export const DEFAULT_LISTENER_TIMEOUT_MS = 5_000;

export class EventHub<Change, Delivered = Change> {
  private readonly subscribers = new Set<EventHubSubscriber<Delivered>>();
  private readonly listeners = new Set<ChangeListener<Change>>();
  private readonly fleet?: FleetConsumer<Change[]>;
  private local = false;
  /** Steps in the chain not yet done. */
  private queued = 0;
  /** Events are handed out one after another, each after its before-delivery steps. */
  private chain: Promise<void> = Promise.resolve();
  /** The fleet's first contention round (the hub is usable before it ends). */
  readonly ready: Promise<void>;
  private readonly log: (message: string) => void;
  private readonly startTimer: StartTimer;

  constructor(private readonly o: EventHubOptions<Change, Delivered>) {
    this.log = o.log ?? (() => undefined);
    this.startTimer = o.startTimer ?? realTimer;
    const fleet = o.fleet;
    if (fleet) {
      this.fleet = new FleetConsumer<Change[]>({
        redis: fleet.redis,
        subscriber: o.subscriber,
        topics: o.topics,
        leaseMs: fleet.leaseMs,
        ...(o.namespace ? { namespace: o.namespace } : {}),
        toBody: (e) => o.decode(e),
        onMessage: (m) => this.dispatch(m.body),
        onLost: () => this.lost(),
        log: fleet.log,
      });
      this.ready = this.fleet.start().catch((err: Error) => {
        fleet.log?.(`pubsub: the fleet consumer did not start: ${err.message}`);
      });
    } else this.ready = Promise.resolve();
  }

  /**
   * Calls `listener` for each change BEFORE any subscriber gets it (awaited, at most
   * listenerTimeoutMs), and with `lostChange` when changes could not be replayed. Returns the
   * unsubscribe.
   */
  onChange(listener: ChangeListener<Change>): () => void {
    this.listeners.add(listener);
    this.open();
    return () => this.listeners.delete(listener);
  }

  /**
   * Calls `change` for each change (after the before-delivery steps), and `lost` when changes
   * could not be replayed (the stream was away longer than the bus retains events); returns the
   * unsubscribe.
   */
  listen(change: (c: Delivered) => void, lost?: () => void): () => void {
    const entry = { change, lost };
    this.subscribers.add(entry);
    this.open();
    return () => this.subscribers.delete(entry);
  }

  /** The fleet consumer's state per topic (holder or follower, checkpoint age, lag); none without Redis. */
  fleetState(): FleetTopicState[] {
    return this.fleet?.state() ?? [];
  }

  /** Topics this replica consumes for the fleet now (none without Redis). */
  consuming(): string[] {
    return this.fleet?.consuming() ?? [];
  }

  /** The process's own streams, one per topic, from the first subscriber or listener on (without Redis). */
  private open() {
    if (this.fleet || this.local) return;
    this.local = true;
    for (const t of this.o.topics)
      this.o.subscriber.subscribe(
        t,
        (e) => this.dispatch(this.o.decode(e)),
        () => this.lost(),
      );
  }

  private lost() {
    const lostChange = this.o.lostChange;
    if (lostChange === undefined) {
      for (const s of [...this.subscribers]) s.lost?.();
      return;
    }
    this.enqueue(async () => {
      await this.notify(lostChange);
      for (const s of [...this.subscribers]) s.lost?.();
    });
  }

  /** One event's changes, after its before-delivery steps, in the order events arrived. */
  private dispatch(changes: Change[]) {
    const before = this.o.beforeDelivery;
    if (before)
      this.enqueue(async () => {
        try {
          await before(changes);
        } catch {
          // Must not throw; if it does, the changes are delivered anyway.
        }
        await this.deliverAll(changes);
      });
    // Nothing to wait for and nothing ahead of it: delivered at once (the case hub without a cache).
    else if (this.o.lostChange === undefined && !this.listeners.size && !this.queued)
      for (const c of changes) this.deliver(c);
    else for (const c of changes) this.enqueue(() => this.deliverAll([c]));
  }

  /** Runs `step` after every step before it (one failing holds nothing back). */
  private enqueue(step: () => Promise<void>) {
    this.queued++;
    this.chain = this.chain
      .then(step)
      .catch((err: Error) => this.log(`change delivery failed: ${err.message}`))
      .finally(() => void this.queued--);
  }

  /** Changes after the beforeDelivery step: each after its listeners, if there are any. */
  private async deliverAll(changes: Change[]) {
    for (const c of changes) {
      if (this.listeners.size) await this.notify(c);
      this.deliver(c);
    }
  }

  /** One change, shared by every subscriber. */
  private deliver(change: Change) {
    const shared = this.o.share ? this.o.share(change) : (change as unknown as Delivered);
    for (const s of [...this.subscribers]) s.change(shared);
  }

  /** Every listener, awaited together; one that fails or hangs does not hold delivery back. */
  private async notify(change: Change) {
    if (!this.listeners.size) return;
    const ms = this.o.listenerTimeoutMs ?? DEFAULT_LISTENER_TIMEOUT_MS;
    const name = this.o.listenerName ?? 'change listeners';
    let cancel: (() => void) | undefined;
    const bounded = new Promise<void>((resolve) => {
      cancel = this.startTimer(ms, () => {
        this.log(`${name} still running after ${ms} ms`);
        resolve();
      });
    });
    const all = Promise.all(
      [...this.listeners].map(async (l) => {
        try {
          await l(change);
        } catch (err) {
          this.log(`a ${name.replace(/s$/, '')} failed: ${(err as Error).message}`);
        }
      }),
    ).then(() => undefined);
    await Promise.race([all, bounded]);
    cancel?.();
  }

  async close(): Promise<void> {
    await this.ready;
    await this.fleet?.close();
    this.o.subscriber.close();
  }
}
