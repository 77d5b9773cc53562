// The org's event bus: per topic, the retained events in publish order, each with a replay id.
// Replay ids are opaque bytes to a client (ConsumerEvent.replay_id); here they are one counter
// for the whole bus encoded as 8 bytes big-endian, so they only grow and a stored one can be
// replayed from (ReplayPreset CUSTOM = "start the subscription after" it, pubsub_api.proto).
// Salesforce retains events for 72 hours (then purges them); the emulator drops events older
// than that by its clock, and keeps at most the newest `retention` per topic. A replay id after
// which an event was purged can no longer be replayed from: Subscribe refuses it (server.ts).
// https://developer.salesforce.com/docs/platform/pub-sub-api/guide/event-message-durability.html
import { randomUUID } from 'node:crypto';
import type { TopicSchema } from './schemas.js';

export interface BusEvent {
  replayId: bigint;
  /** ProducerEvent.id: the event's UUID. */
  id: string;
  payload: Buffer;
  /** When it was published (the emulator clock): purged 72 hours later. */
  publishedAt: number;
}

/** How long the bus retains an event (platform events and change events: 72 hours). */
export const RETENTION_MS = 72 * 3600 * 1000;

export interface Topic {
  name: string;
  schema: TopicSchema;
  /** Platform events may be published by clients; change events only by the platform. */
  canPublish: boolean;
  events: BusEvent[];
  /** The newest replay id purged from this topic (0n: none). */
  purgedThrough: bigint;
}

export const encodeReplayId = (id: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(id);
  return b;
};

/** undefined when the bytes are not one of ours (the API answers "replayid.corrupted"). */
export const decodeReplayId = (b: Buffer | Uint8Array | undefined): bigint | undefined =>
  b && b.length === 8 ? Buffer.from(b).readBigUInt64BE() : undefined;

export class EventBus {
  private readonly topics = new Map<string, Topic>();
  private readonly listeners = new Map<string, Set<() => void>>();
  private last = 0n;

  constructor(
    private readonly retention = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  define(name: string, schema: TopicSchema, canPublish: boolean): void {
    this.topics.set(name, { name, schema, canPublish, events: [], purgedThrough: 0n });
  }

  /** The topic, its events older than 72 hours purged. */
  topic(name: string): Topic | undefined {
    const t = this.topics.get(name);
    if (t)
      this.purge(
        t,
        t.events.findIndex((e) => e.publishedAt > this.now() - RETENTION_MS),
      );
    return t;
  }

  /** Drops the events before index `keep` (-1: all of them). */
  private purge(t: Topic, keep: number) {
    const n = keep < 0 ? t.events.length : keep;
    if (n === 0) return;
    t.purgedThrough = t.events[n - 1].replayId;
    t.events.splice(0, n);
  }

  /**
   * Can a subscription start after `replayId`? Not when an event after it was purged (or it is
   * not a replay id of this bus): the API answers replayid.corrupted.
   */
  canReplayFrom(topicName: string, replayId: bigint): boolean {
    const t = this.topic(topicName);
    return !!t && replayId <= this.last && replayId >= t.purgedThrough;
  }

  schemaById(id: string): TopicSchema | undefined {
    for (const t of this.topics.values()) if (t.schema.id === id) return t.schema;
    return undefined;
  }

  /** The newest replay id on the bus (what LATEST starts after). */
  get latestReplayId(): bigint {
    return this.last;
  }

  publish(topicName: string, value: unknown): BusEvent {
    const t = this.topics.get(topicName);
    if (!t) throw new Error(`unknown topic ${topicName}`);
    const event = {
      replayId: ++this.last,
      id: randomUUID(),
      payload: t.schema.type.toBuffer(value),
      publishedAt: this.now(),
    };
    t.events.push(event);
    if (t.events.length > this.retention) this.purge(t, t.events.length - this.retention);
    for (const l of this.listeners.get(topicName) ?? []) l();
    return event;
  }

  /** Events of a topic after a replay id, oldest first. */
  after(topicName: string, replayId: bigint, max: number): BusEvent[] {
    const events = this.topic(topicName)?.events ?? [];
    const out: BusEvent[] = [];
    for (const e of events) {
      if (e.replayId <= replayId) continue;
      out.push(e);
      if (out.length >= max) break;
    }
    return out;
  }

  /** The replay id just before the oldest retained event (EARLIEST starts after it). */
  earliest(topicName: string): bigint {
    const first = this.topic(topicName)?.events[0];
    return first ? first.replayId - 1n : this.last;
  }

  /** Calls `listener` after each publish to a topic; returns the unsubscribe. */
  watch(topicName: string, listener: () => void): () => void {
    let set = this.listeners.get(topicName);
    if (!set) this.listeners.set(topicName, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }
}
