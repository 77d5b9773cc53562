// The product's Pub/Sub API subscriber (gRPC, Salesforce's published pubsub_api.proto, Avro):
// ONE upstream Subscribe stream per topic for the whole process, fanned out to every listener.
// - Flow control: asks for `batchSize` events and asks again for as many as it has consumed
//   once half the batch is used, so the server never holds events back for long and never
//   sends more than asked (FetchRequest.num_requested, pubsub_api.proto).
// - Replay: remembers the replay id of the last event it handed out (or the latest_replay_id of
//   a keepalive) and, after the stream ends or fails, resubscribes with ReplayPreset CUSTOM
//   from it, so no event committed in between is lost. A durable consumer (consume()) starts from
//   a stored replay id instead (checkpointed elsewhere, e.g. Redis) and is told after each
//   response where a resubscribe would start, to checkpoint it.
// - Replay impossible: a CUSTOM replay id the bus no longer retains (events are kept 72 hours)
//   is refused with INVALID_ARGUMENT and the error code
//   sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted; the stream then says so
//   (onReplayLost) and resubscribes from LATEST at once.
//   https://developer.salesforce.com/docs/platform/pub-sub-api/guide/retry-rpc-calls.html
//   https://developer.salesforce.com/docs/platform/pub-sub-api/guide/event-message-durability.html
// - Backoff: the wait before a resubscribe doubles from retryMs up to maxRetryMs (5 s default),
//   so a recovered stream catches up within seconds.
// - Auth: metadata accesstoken / instanceurl / tenantid from the integration client's core
//   token; on UNAUTHENTICATED the token is dropped from the cache and the next attempt logs in.
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { bitmapFieldNames, parseEventSchema, type EventSchema } from './pubsub-avro.js';
import { PUBSUB_PROTO_PATH } from './pubsub-proto.js';

export interface PubSubSession {
  accessToken: string;
  instanceUrl: string;
}

export interface PubSubSubscriberOptions {
  /** host:port of the Pub/Sub API (api.pubsub.salesforce.com:7443). */
  url: string;
  /** Path of the pubsub_api.proto to load. */
  protoPath: string;
  /** PEM of the CAs to trust (readCa: the system roots and a test certificate); undefined = system. */
  caPem?: Buffer;
  /** Events asked for per FetchRequest (the API's maximum is 100). */
  batchSize?: number;
  /** Wait before resubscribing after a failure (doubles up to maxRetryMs). */
  retryMs?: number;
  /** Longest wait before resubscribing (default 5 s). */
  maxRetryMs?: number;
  session: () => Promise<PubSubSession>;
  /** The session was refused (UNAUTHENTICATED): forget it. */
  invalidate: (accessToken: string) => void;
  log?: (message: string) => void;
}

export interface PubSubEvent {
  topic: string;
  /** ProducerEvent.id: the event's UUID (unique, unlike replay ids across org migrations). */
  id: string;
  replayId: bigint;
  schema: EventSchema;
  payload: Record<string, unknown>;
  /** For change events: the decoded changedFields bitmap (field names). */
  changedFields: string[];
}

type Listener = (event: PubSubEvent) => void;

/** What a consumer of one topic is told besides its events. */
export interface TopicHooks {
  /** The stored replay id was refused (no longer retained): events may be lost; now from LATEST. */
  onReplayLost?: (topic: string) => void;
  /** After each response is handled: where a resubscribe would start (to checkpoint it). */
  onPosition?: (replayId: bigint) => void;
}

/** The Pub/Sub API's error code for a replay id it cannot replay from (invalid or expired). */
export const REPLAY_ID_CORRUPTED =
  'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted';

/** One topic's own stream (consume()): stop() ends it. */
export interface TopicConsumer {
  readonly replayId: bigint | undefined;
  stop(): void;
}

interface FetchResponse {
  events?: Array<{ event: { id: string; schemaId: string; payload: Buffer }; replayId: Buffer }>;
  latestReplayId?: Buffer;
}

/** The 15-character org id is the part of a core access token before "!" (as the field's client reads it). */
export const tenantIdOf = (accessToken: string) => accessToken.split('!')[0];

const replayBytes = (id: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(id);
  return b;
};

type PubSubStub = grpc.Client & {
  GetTopic: (
    req: object,
    md: grpc.Metadata,
    options: grpc.CallOptions,
    cb: (e: grpc.ServiceError | null, r: { schemaId: string }) => void,
  ) => void;
  GetSchema: (
    req: object,
    md: grpc.Metadata,
    cb: (e: grpc.ServiceError | null, r: { schemaJson: string; schemaId: string }) => void,
  ) => void;
  Subscribe: (md: grpc.Metadata) => grpc.ClientDuplexStream<object, FetchResponse>;
};

class TopicStream {
  private listeners = new Set<Listener>();
  readonly lostListeners = new Set<(topic: string) => void>();
  private call?: grpc.ClientDuplexStream<object, FetchResponse>;
  private lastReplayId?: bigint;
  private outstanding = 0;
  private stopped = false;
  private retry?: NodeJS.Timeout;
  private failures = 0;
  private lastFailure?: string;

  constructor(
    private readonly topic: string,
    private readonly owner: PubSubSubscriber,
    private readonly hooks: TopicHooks = {},
    startAfter?: bigint,
  ) {
    this.lastReplayId = startAfter;
  }

  add(l: Listener): () => void {
    this.listeners.add(l);
    if (this.listeners.size === 1 && !this.call) void this.open();
    return () => this.listeners.delete(l);
  }

  /**
   * Why the stream cannot connect — FAILING_ATTEMPTS attempts in a row failed without one
   * answer (a refused certificate, an unknown host, a refused login) — or null while it works,
   * has listeners no more, or has just started.
   */
  health(): string | null {
    if (!this.listeners.size || this.failures < FAILING_ATTEMPTS) return null;
    return `Pub/Sub API stream ${this.topic} cannot connect (${this.failures} attempts failed; last: ${this.lastFailure})`;
  }

  /** Where a resubscribe would start (the last event handed out or keepalive seen). */
  get replayId(): bigint | undefined {
    return this.lastReplayId;
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retry);
    this.call?.cancel();
  }

  private async open() {
    if (this.stopped) return;
    const o = this.owner.options;
    let session: PubSubSession;
    try {
      session = await o.session();
    } catch (err) {
      return this.reopenLater(`login failed: ${(err as Error).message}`);
    }
    const md = this.owner.metadata(session);
    const call = this.owner.stub.Subscribe(md);
    this.call = call;
    const batch = Math.min(o.batchSize ?? 100, 100);
    this.outstanding = batch;
    call.write(
      this.lastReplayId === undefined
        ? { topicName: this.topic, replayPreset: 0, numRequested: batch }
        : {
            topicName: this.topic,
            replayPreset: 2,
            replayId: replayBytes(this.lastReplayId),
            numRequested: batch,
          },
    );
    call.on('data', (res: FetchResponse) => {
      this.failures = 0;
      void this.handle(res, md).catch((err) =>
        o.log?.(`pubsub ${this.topic}: ${(err as Error).message}`),
      );
    });
    const custom = this.lastReplayId !== undefined;
    call.on('error', (err: grpc.ServiceError) => {
      if (this.call !== call) return;
      this.call = undefined;
      if (err.code === grpc.status.UNAUTHENTICATED) o.invalidate(session.accessToken);
      if (
        custom &&
        err.code === grpc.status.INVALID_ARGUMENT &&
        err.metadata?.get('error-code')[0] === REPLAY_ID_CORRUPTED
      ) {
        o.log?.(`pubsub ${this.topic}: replay id ${this.lastReplayId} refused; from LATEST`);
        this.lastReplayId = undefined;
        this.failures = 0;
        this.hooks.onReplayLost?.(this.topic);
        for (const l of this.lostListeners) l(this.topic);
        return void this.open();
      }
      if (err.code !== grpc.status.CANCELLED || !this.stopped)
        this.reopenLater(`${grpc.status[err.code]}: ${err.details}`);
    });
    call.on('end', () => {
      if (this.call !== call) return;
      this.call = undefined;
      this.reopenLater('stream ended');
    });
  }

  // Events of one response are handed out in order; responses are decoded one after another.
  private queue: Promise<void> = Promise.resolve();
  private handle(res: FetchResponse, md: grpc.Metadata): Promise<void> {
    this.queue = this.queue.then(async () => {
      const events = res.events ?? [];
      for (const e of events) {
        const schema = await this.owner.schema(e.event.schemaId, md);
        const payload = schema.decode(e.event.payload);
        const header = payload.ChangeEventHeader as Record<string, unknown> | undefined;
        const event: PubSubEvent = {
          topic: this.topic,
          id: e.event.id,
          replayId: Buffer.from(e.replayId).readBigUInt64BE(),
          schema,
          payload,
          changedFields: header ? bitmapFieldNames(schema.fieldNames, header.changedFields) : [],
        };
        this.lastReplayId = event.replayId;
        for (const l of this.listeners) l(event);
      }
      if (!events.length && res.latestReplayId?.length === 8)
        this.lastReplayId = Buffer.from(res.latestReplayId).readBigUInt64BE();
      if (this.lastReplayId !== undefined) this.hooks.onPosition?.(this.lastReplayId);
      this.outstanding -= events.length;
      const batch = Math.min(this.owner.options.batchSize ?? 100, 100);
      if (this.call && this.outstanding <= batch / 2) {
        this.call.write({ numRequested: batch - this.outstanding });
        this.outstanding = batch;
      }
    });
    return this.queue;
  }

  private reopenLater(reason: string) {
    if (this.stopped) return;
    const base = this.owner.options.retryMs ?? 500;
    this.lastFailure = reason;
    const max = this.owner.options.maxRetryMs ?? 5_000;
    const wait = Math.min(max, base * 2 ** Math.min(this.failures++, 6));
    this.owner.options.log?.(`pubsub ${this.topic}: ${reason}; resubscribing in ${wait} ms`);
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.open(), wait);
    this.retry.unref();
  }
}

export class PubSubSubscriber {
  readonly stub: PubSubStub;
  private readonly topics = new Map<string, TopicStream>();
  private readonly schemas = new Map<string, Promise<EventSchema>>();

  constructor(readonly options: PubSubSubscriberOptions) {
    const pkg = protoLoader.loadSync(options.protoPath, {});
    const proto = grpc.loadPackageDefinition(pkg) as unknown as {
      eventbus: { v1: { PubSub: new (url: string, c: grpc.ChannelCredentials) => PubSubStub } };
    };
    this.stub = new proto.eventbus.v1.PubSub(
      options.url,
      grpc.credentials.createSsl(options.caPem ?? null),
    );
  }

  metadata(s: PubSubSession): grpc.Metadata {
    const md = new grpc.Metadata();
    md.set('accesstoken', s.accessToken);
    md.set('instanceurl', s.instanceUrl);
    md.set('tenantid', tenantIdOf(s.accessToken));
    return md;
  }

  /**
   * Readiness: null while every stream with listeners works (or has not failed
   * FAILING_ATTEMPTS times in a row), else why one cannot connect. Streams open with the first
   * subscription; without one there is nothing to report.
   */
  health(): string | null {
    for (const t of this.topics.values()) {
      const reason = t.health();
      if (reason) return reason;
    }
    return null;
  }

  /**
   * GetTopic (read-only): the topic's info — rejects with the gRPC error when the topic does not
   * exist or the user may not see it (org:check's probe).
   * https://developer.salesforce.com/docs/platform/pub-sub-api/references/methods/gettopic-rpc.html
   */
  getTopic(
    topic: string,
    session: PubSubSession,
    timeoutMs = 10_000,
  ): Promise<{ topicName: string; schemaId: string; canSubscribe: boolean }> {
    return new Promise((resolve, reject) =>
      this.stub.GetTopic(
        { topicName: topic },
        this.metadata(session),
        { deadline: Date.now() + timeoutMs },
        (err, r) => (err ? reject(err) : resolve(r as never)),
      ),
    );
  }

  /**
   * Listens to a topic; the first listener opens the process's one stream for it. `onReplayLost`:
   * the stream could not replay what it missed (see the header) and goes on from LATEST.
   */
  subscribe(topic: string, listener: Listener, onReplayLost?: (topic: string) => void): () => void {
    let t = this.topics.get(topic);
    if (!t) this.topics.set(topic, (t = new TopicStream(topic, this)));
    if (onReplayLost) t.lostListeners.add(onReplayLost);
    const off = t.add(listener);
    return () => {
      off();
      if (onReplayLost) t.lostListeners.delete(onReplayLost);
    };
  }

  /**
   * A stream of its own for one topic (not shared with subscribe()): from after `startAfter`
   * (ReplayPreset CUSTOM) or LATEST, until stop(). For a durable consumer that checkpoints.
   */
  consume(
    topic: string,
    listener: Listener,
    o: TopicHooks & { startAfter?: bigint } = {},
  ): TopicConsumer {
    const t = new TopicStream(topic, this, o, o.startAfter);
    this.consumers.add(t);
    t.add(listener); // opens the stream
    return {
      get replayId() {
        return t.replayId;
      },
      stop: () => {
        t.stop();
        this.consumers.delete(t);
      },
    };
  }
  private readonly consumers = new Set<TopicStream>();

  /** The schema of an event (GetSchema, cached by id). */
  schema(id: string, md: grpc.Metadata): Promise<EventSchema> {
    let s = this.schemas.get(id);
    if (!s) {
      s = new Promise<EventSchema>((resolve, reject) =>
        this.stub.GetSchema({ schemaId: id }, md, (err, r) =>
          err ? reject(err) : resolve(parseEventSchema(r.schemaId || id, r.schemaJson)),
        ),
      );
      s.catch(() => this.schemas.delete(id));
      this.schemas.set(id, s);
    }
    return s;
  }

  close(): void {
    for (const t of [...this.topics.values(), ...this.consumers]) t.stop();
    this.topics.clear();
    this.consumers.clear();
    this.stub.close();
  }
}

/** Consecutive failed attempts after which a stream counts as unable to connect (readiness). */
export const FAILING_ATTEMPTS = 2;

/**
 * The CAs a PUBSUB_CA_FILE-style setting trusts: the system roots AND the file's (a test
 * certificate), so the same setting works against the emulator and a real endpoint; undefined
 * without a file (the system roots alone).
 */
export const readCa = (path: string | undefined) =>
  path ? Buffer.from(`${rootCertificates.join('\n')}\n${readFileSync(path, 'utf8')}`) : undefined;

/** The Pub/Sub settings every subscribing service reads from its configuration (PUBSUB_*). */
export interface PubSubConnection {
  url: string;
  caFile?: string;
  batchSize: number;
  retryMs: number;
  maxRetryMs: number;
}

/**
 * A service's one subscriber (the case and customer subgraphs): the proto beside this module, the
 * configured endpoint, CAs and backoff, and the integration user's token.
 */
export function pubSubSubscriberFor(
  c: PubSubConnection,
  auth: Pick<PubSubSubscriberOptions, 'session' | 'invalidate'>,
  log: (message: string) => void,
): PubSubSubscriber {
  return new PubSubSubscriber({
    url: c.url,
    protoPath: PUBSUB_PROTO_PATH,
    caPem: readCa(c.caFile),
    batchSize: c.batchSize,
    retryMs: c.retryMs,
    maxRetryMs: c.maxRetryMs,
    ...auth,
    log,
  });
}
