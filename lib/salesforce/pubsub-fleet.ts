// Durable live updates for a fleet of replicas on one Redis: per topic ONE replica consumes the
// Pub/Sub API (a lease in Redis, lib/redis/lease.ts), every replica gets each event (a Redis
// pub/sub channel), and the replay id is checkpointed in Redis, so a consumer that dies is
// replaced by another (or itself, restarted) that resumes after the last event it handed out.
//
// - Start: every replica contends for each topic's lease, every third of PUBSUB_LEASE_MS. The
//   holder reads the topic's checkpoint and subscribes with ReplayPreset CUSTOM after it (LATEST
//   when there is none): "A subscriber can store a replay ID value and use it on resubscription
//   to retrieve events that are within the retention window."
//   https://developer.salesforce.com/docs/platform/pub-sub-api/guide/event-message-durability.html
// - Each event: published on the channel AND checkpointed in one Redis script that first checks
//   the lease is still this holding's (fenced): a holder that lost its lease (paused, cut off)
//   can neither publish nor move the checkpoint. Keepalives checkpoint their latest_replay_id.
// - Exactly once: a new holder replays from the checkpoint, so an event may be published twice
//   (never when the script ran; only if a stale stream raced); every replica drops an event id
//   it already handed out (ProducerEvent.id, the event's UUID).
// - Replay impossible (the stored id is older than the 72-hour retention: the API answers
//   replayid.corrupted): every replica is told (`lost`) and the consumer goes on from LATEST.
//   https://developer.salesforce.com/docs/platform/pub-sub-api/guide/retry-rpc-calls.html
// - Redis errors or a lost lease stop the stream; the next contention round starts again from
//   the checkpoint (a holder that still holds it keeps it).
// Without Redis there is none of this: each process consumes on its own and remembers its replay
// id in memory (PubSubSubscriber.subscribe), so a restart loses what changed while it was down.
import type { Redis } from 'ioredis';
import { RedisLease } from '../redis/lease.js';
import type { PubSubEvent, PubSubSubscriber, TopicConsumer } from './pubsub-subscriber.js';

/** What the fleet hands every replica for an event. */
export interface FleetMessage<B> {
  topic: string;
  /** The event's UUID. */
  id: string;
  replayId: string;
  body: B;
}

export interface FleetConsumerOptions<B> {
  redis: Redis;
  subscriber: PubSubSubscriber;
  topics: string[];
  leaseMs: number;
  /** The part of an event every replica needs (JSON). */
  toBody: (e: PubSubEvent) => B;
  onMessage: (m: FleetMessage<B>) => void;
  /** Replay was impossible: events of `topic` may have been lost. */
  onLost: (topic: string) => void;
  /** Channel and key names share this prefix (default 'pubsub'). */
  namespace?: string;
  log?: (message: string) => void;
}

/** On the channel: `at` is when the event happened in Salesforce (epoch ms), when it says. */
type Wire<B> = ({ type: 'event'; at?: number } & FleetMessage<B>) | { type: 'lost'; topic: string };

/** One topic as this replica sees it (the metrics and /readyz report it). */
export interface FleetTopicState {
  topic: string;
  /** holder: this replica consumes the topic for the fleet; follower: it is fed through Redis. */
  role: 'holder' | 'follower';
  /** The holder's last checkpointed replay id, and how long ago it wrote it (ms); null: none yet. */
  checkpoint: { replayId: string; ageMs: number } | null;
  /**
   * The last event this replica received: from its commit in Salesforce (ChangeEventHeader
   * commitTimestamp, or a platform event's CreatedDate) to its arrival here (ms); null: none yet.
   */
  lagMs: number | null;
}

/** When the event happened, as its payload says (change events and platform events). */
function eventTime(e: PubSubEvent): number | undefined {
  const header = e.payload.ChangeEventHeader as { commitTimestamp?: unknown } | undefined;
  const raw = header?.commitTimestamp ?? e.payload.CreatedDate;
  const at = typeof raw === 'bigint' ? Number(raw) : typeof raw === 'number' ? raw : Number.NaN;
  return Number.isFinite(at) && at > 0 ? at : undefined;
}

/** Most event ids remembered to drop a replayed duplicate. */
const SEEN = 10_000;

class TopicLease<B> {
  readonly lease: RedisLease;
  private consumer?: TopicConsumer;
  private queue: Promise<void> = Promise.resolve();
  /** Bumped on every start/stop: queued work of an older stream is dropped. */
  private generation = 0;
  private busy = false;

  constructor(
    private readonly fleet: FleetConsumer<B>,
    private readonly topic: string,
  ) {
    this.lease = new RedisLease(fleet.o.redis, `${fleet.namespace}:${topic}`, fleet.o.leaseMs);
  }

  /** Beside the lease in one hash slot (its hash tag), as the fenced script touches both. */
  get checkpointKey() {
    return `${this.fleet.namespace}:replay:{${this.lease.name}}`;
  }

  get consuming() {
    return !!this.consumer;
  }

  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      if (this.consumer) {
        if (!(await this.lease.renew())) this.halt('lease lost');
      } else if (await this.lease.acquire()) await this.start();
    } catch (err) {
      this.halt(`redis: ${(err as Error).message}`);
    } finally {
      this.busy = false;
    }
  }

  private async start() {
    if (this.fleet.isClosed) return this.lease.release();
    const stored = await this.fleet.o.redis.get(this.checkpointKey);
    const gen = ++this.generation;
    const run = (work: () => Promise<void>, replayId = '') => {
      if (replayId) this.queued = replayId;
      this.queue = this.queue
        .then(() => (gen === this.generation ? work() : undefined))
        .catch((err: Error) => {
          if (gen === this.generation) this.halt(`redis: ${err.message}`);
        });
    };
    this.fleet.o.log?.(
      `pubsub ${this.topic}: consuming for the fleet from ${stored ? `replay id ${stored}` : 'LATEST'}`,
    );
    this.consumer = this.fleet.o.subscriber.consume(
      this.topic,
      (e) =>
        run(
          () =>
            this.write(
              {
                type: 'event',
                topic: this.topic,
                id: e.id,
                replayId: String(e.replayId),
                at: eventTime(e),
                body: this.fleet.o.toBody(e),
              },
              String(e.replayId),
              gen,
            ),
          String(e.replayId),
        ),
      {
        startAfter: stored ? BigInt(stored) : undefined,
        onReplayLost: () => run(() => this.write({ type: 'lost', topic: this.topic }, '', gen)),
        // A keepalive's position (after events it is theirs, already checkpointed).
        onPosition: (id) => {
          if (String(id) !== this.queued)
            run(() => this.write(undefined, String(id), gen), String(id));
        },
      },
    );
  }

  private async write(message: Wire<B> | undefined, replayId: string, gen: number) {
    const ok = await this.lease.fenced(
      this.fleet.channel,
      message ? JSON.stringify(message) : '',
      this.checkpointKey,
      replayId,
    );
    if (!ok && gen === this.generation) this.halt('lease lost');
    else if (ok && replayId) this.checkpointed = { replayId, at: Date.now() };
  }
  /** The last replay id this holding checkpointed, and when. */
  checkpointed: { replayId: string; at: number } | undefined;
  /** The last event received on the channel: when it happened and when it arrived. */
  lastEvent: { at: number; receivedAt: number } | undefined;
  /** The replay id last queued to be checkpointed. */
  private queued = '';

  /** Stops the stream (the lease stays as it is: renewed, lost or expiring). */
  halt(reason: string) {
    if (!this.consumer) return;
    this.checkpointed = undefined;
    this.fleet.o.log?.(`pubsub ${this.topic}: stopped consuming (${reason})`);
    this.generation++;
    this.consumer.stop();
    this.consumer = undefined;
  }

  async close(): Promise<void> {
    this.halt('closing');
    await this.queue;
    await this.lease.release();
  }
}

export class FleetConsumer<B> {
  readonly namespace: string;
  readonly channel: string;
  private readonly leases: TopicLease<B>[];
  private readonly listener: Redis;
  private readonly seen = new Set<string>();
  private timer?: NodeJS.Timeout;
  private closed = false;

  get isClosed() {
    return this.closed;
  }

  constructor(readonly o: FleetConsumerOptions<B>) {
    this.namespace = o.namespace ?? 'pubsub';
    // Channels are not keys: ioredis does not prefix them, so the deployment's prefix is added here.
    this.channel = `${o.redis.options.keyPrefix ?? ''}${this.namespace}:events`;
    this.leases = o.topics.map((t) => new TopicLease(this, t));
    // A connection in subscriber mode can do nothing else: its own.
    this.listener = o.redis.duplicate();
    this.listener.on('message', (_channel: string, raw: string) => this.receive(raw));
  }

  /**
   * Every third of the lease time: listens on the channel (until that worked: Redis may be down
   * at start, and a client without an offline queue refuses commands until it is connected),
   * then contends for each topic's lease. Resolves after the first round.
   */
  async start(): Promise<void> {
    const round = async () => {
      if (!this.subscribed)
        try {
          await this.listener.subscribe(this.channel);
          this.subscribed = true;
        } catch (err) {
          this.o.log?.(`pubsub: not listening to the fleet yet: ${(err as Error).message}`);
          return;
        }
      await Promise.all(this.leases.map((l) => l.tick()));
    };
    const every = Math.max(10, Math.floor(this.o.leaseMs / 3));
    this.timer = setInterval(() => void round(), every);
    this.timer.unref();
    await round();
  }
  private subscribed = false;

  /** Topics this replica consumes now. */
  consuming(): string[] {
    return this.o.topics.filter((_t, i) => this.leases[i].consuming);
  }

  /** Each topic as this replica sees it now: holder or follower, checkpoint age, lag. */
  state(now = Date.now()): FleetTopicState[] {
    return this.leases.map((l, i) => ({
      topic: this.o.topics[i],
      role: l.consuming ? 'holder' : 'follower',
      checkpoint:
        l.consuming && l.checkpointed
          ? { replayId: l.checkpointed.replayId, ageMs: now - l.checkpointed.at }
          : null,
      lagMs: l.lastEvent ? l.lastEvent.receivedAt - l.lastEvent.at : null,
    }));
  }

  private receive(raw: string) {
    if (this.closed) return;
    let m: Wire<B>;
    try {
      m = JSON.parse(raw) as Wire<B>;
    } catch {
      return;
    }
    if (m.type === 'lost') return this.o.onLost(m.topic);
    const lease = this.leases[this.o.topics.indexOf(m.topic)];
    if (lease && m.at !== undefined) lease.lastEvent = { at: m.at, receivedAt: Date.now() };
    if (this.seen.has(m.id)) return;
    this.seen.add(m.id);
    if (this.seen.size > SEEN) this.seen.delete(this.seen.values().next().value!);
    this.o.onMessage({ topic: m.topic, id: m.id, replayId: m.replayId, body: m.body });
  }

  /** Stops consuming and gives the leases back (so another replica takes over at once). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    for (const l of this.leases)
      await l
        .close()
        .catch((err: Error) => this.o.log?.(`pubsub: lease not released: ${err.message}`));
    await this.listener.quit().catch(() => this.listener.disconnect());
  }
}
