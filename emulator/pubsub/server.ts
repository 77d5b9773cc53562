// The Pub/Sub API (gRPC service eventbus.v1.PubSub from Salesforce's published pubsub_api.proto,
// vendored beside this file): GetTopic, GetSchema, Subscribe and Publish over TLS — the real
// endpoint (api.pubsub.salesforce.com:7443) is TLS only and the field's client always dials TLS.
// The certificate is the fixed test certificate in test-certs/ (CN localhost, SAN 127.0.0.1).
//
// Subscribe (pubsub_api.proto, FetchRequest / FetchResponse comments):
// - replay_preset and replay_id are read from the first FetchRequest only: LATEST (default)
//   starts at the tip, EARLIEST at the oldest retained event, CUSTOM after the given replay id;
// - every FetchRequest adds num_requested to the client's capacity; the server never sends more
//   events than requested, and reports what is left in pending_num_requested;
// - each response carries latest_replay_id; when there is nothing to send the server still
//   answers an empty batch (keepalive) "within 270 seconds" (keepaliveMs here).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { EmulatorCore } from '../core/emulator-core.js';
import { authenticate, authError, rpcError } from './auth.js';
import { decodeReplayId, encodeReplayId, type EventBus } from './event-bus.js';
import { randomUUID } from 'node:crypto';

const here = () =>
  typeof __dirname !== 'undefined' ? __dirname : dirname(fileURLToPath(import.meta.url));

/**
 * Salesforce's published proto: one vendored copy in the repository, beside the product's
 * subscriber. Read as a file (it is Salesforce's contract, not product code; the build mirrors
 * the layout, scripts/build-server.ts), never imported.
 */
const PUBSUB_PROTO_PATH = join(here(), '../../lib/salesforce/pubsub_api.proto');
/** The emulator's test certificate (tests trust test-certs/cert.pem). */
export const PUBSUB_TEST_CERT_PATH = join(here(), 'test-certs', 'cert.pem');

/** Most events one FetchRequest may ask for (the client library's MAX_EVENT_BATCH_SIZE too). */
const MAX_NUM_REQUESTED = 100;

export interface PubSubServerOptions {
  /** Interval of empty keepalive FetchResponses while a subscriber waits (real API: ≤ 270 s). */
  keepaliveMs?: number;
}

interface FetchRequest {
  topicName?: string;
  replayPreset?: number | string;
  replayId?: Buffer;
  numRequested?: number;
}

export function createPubSubService(
  core: () => EmulatorCore,
  bus: EventBus,
  options: PubSubServerOptions = {},
) {
  const keepaliveMs = options.keepaliveMs ?? 270_000;
  const pkg = protoLoader.loadSync(PUBSUB_PROTO_PATH, {});
  const proto = grpc.loadPackageDefinition(pkg) as unknown as {
    eventbus: { v1: { PubSub: { service: grpc.ServiceDefinition } } };
  };
  const topicNotFound = (name: string) =>
    // Code and error-code not confirmed against a real org.
    rpcError(
      grpc.status.NOT_FOUND,
      'sfdc.platform.eventbus.grpc.service.topic.not.found',
      `Topic not found: ${name}.`,
    );
  const rpcId = () => randomUUID();

  const impl: grpc.UntypedServiceImplementation = {
    GetTopic(
      call: grpc.ServerUnaryCall<{ topicName: string }, unknown>,
      cb: grpc.sendUnaryData<unknown>,
    ) {
      if (!authenticate(core(), call.metadata)) return cb(authError());
      const t = bus.topic(call.request.topicName);
      if (!t) return cb(topicNotFound(call.request.topicName));
      cb(null, {
        topicName: t.name,
        tenantGuid: core().world.orgId,
        canPublish: t.canPublish,
        canSubscribe: true,
        schemaId: t.schema.id,
        rpcId: rpcId(),
      });
    },
    GetSchema(
      call: grpc.ServerUnaryCall<{ schemaId: string }, unknown>,
      cb: grpc.sendUnaryData<unknown>,
    ) {
      if (!authenticate(core(), call.metadata)) return cb(authError());
      const s = bus.schemaById(call.request.schemaId);
      if (!s)
        return cb(
          // Code and error-code not confirmed against a real org.
          rpcError(
            grpc.status.NOT_FOUND,
            'sfdc.platform.eventbus.grpc.schema.not.found',
            `Schema not found: ${call.request.schemaId}.`,
          ),
        );
      cb(null, { schemaJson: s.json, schemaId: s.id, rpcId: rpcId() });
    },
    Subscribe(call: grpc.ServerDuplexStream<FetchRequest, unknown>) {
      if (!authenticate(core(), call.metadata)) {
        call.emit('error', authError());
        return;
      }
      let topic: string | undefined;
      let cursor = 0n;
      let pending = 0;
      let closed = false;
      let unwatch = () => {};
      const id = rpcId();
      const send = (events: ReturnType<EventBus['after']>) => {
        const last = events.at(-1)?.replayId ?? bus.latestReplayId;
        call.write({
          events: events.map((e) => ({
            event: {
              id: e.id,
              schemaId: bus.topic(topic!)!.schema.id,
              payload: e.payload,
              headers: [],
            },
            replayId: encodeReplayId(e.replayId),
          })),
          latestReplayId: encodeReplayId(events.length ? last : bus.latestReplayId),
          rpcId: id,
          pendingNumRequested: pending,
        });
      };
      const drain = () => {
        if (closed || !topic || pending <= 0) return;
        const events = bus.after(topic, cursor, Math.min(pending, MAX_NUM_REQUESTED));
        if (!events.length) return;
        cursor = events.at(-1)!.replayId;
        pending -= events.length;
        send(events);
      };
      const keepalive = setInterval(() => {
        if (!closed && topic) send([]);
      }, keepaliveMs);
      keepalive.unref();
      const close = () => {
        closed = true;
        clearInterval(keepalive);
        unwatch();
      };
      call.on('data', (req: FetchRequest) => {
        if (closed) return;
        // The session may have ended since the stream opened (expired, revoked).
        if (!authenticate(core(), call.metadata)) {
          close();
          call.emit('error', authError());
          return;
        }
        if (!topic) {
          const name = req.topicName ?? '';
          if (!bus.topic(name)) {
            close();
            call.emit('error', topicNotFound(name));
            return;
          }
          const preset = req.replayPreset ?? 0;
          if (preset === 2 || preset === 'CUSTOM') {
            const from = decodeReplayId(req.replayId);
            // An id after which events were purged (older than the 72-hour retention) is
            // refused like a corrupted one: "One possible cause is that it's an old Replay ID
            // outside the 72-hour retention period."
            // https://developer.salesforce.com/docs/platform/pub-sub-api/guide/retry-rpc-calls.html
            if (from === undefined || !bus.canReplayFrom(name, from)) {
              close();
              call.emit(
                'error',
                rpcError(
                  grpc.status.INVALID_ARGUMENT,
                  'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted',
                  'The Replay ID validation failed. Ensure that the Replay ID is valid.',
                ),
              );
              return;
            }
            cursor = from;
          } else if (preset === 1 || preset === 'EARLIEST') cursor = bus.earliest(name);
          else cursor = bus.latestReplayId;
          topic = name;
          unwatch = bus.watch(name, drain);
        }
        pending += Math.max(0, Math.min(req.numRequested ?? 0, MAX_NUM_REQUESTED));
        drain();
      });
      call.on('end', () => {
        close();
        call.end();
      });
      call.on('cancelled', close);
      call.on('error', close);
    },
    Publish(call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) {
      if (!authenticate(core(), call.metadata)) return cb(authError());
      cb(
        rpcError(
          grpc.status.UNIMPLEMENTED,
          'sfdc.platform.eventbus.grpc.service.unavailable',
          'Publish is not emulated.',
        ),
      );
    },
  };
  return { definition: proto.eventbus.v1.PubSub.service, impl };
}

export interface PubSubServer {
  port: number;
  /** Drops every open stream (UNAVAILABLE to clients), as a connection loss would; then serves again. */
  dropStreams(): Promise<void>;
  close(): Promise<void>;
}

export async function startPubSubServer(
  core: () => EmulatorCore,
  bus: EventBus,
  listen: { port: number; host: string },
  options: PubSubServerOptions = {},
): Promise<PubSubServer> {
  const { definition, impl } = createPubSubService(core, bus, options);
  let server = new grpc.Server();
  server.addService(definition, impl);
  const credentials = grpc.ServerCredentials.createSsl(null, [
    {
      cert_chain: readFileSync(PUBSUB_TEST_CERT_PATH),
      private_key: readFileSync(join(here(), 'test-certs', 'key.pem')),
    },
  ]);
  const bind = (port: number) =>
    new Promise<number>((resolve, reject) =>
      server.bindAsync(`${listen.host}:${port}`, credentials, (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
  const port = await bind(listen.port);
  return {
    port,
    async dropStreams() {
      // Restart on the same port: every open call ends with UNAVAILABLE, new calls reconnect.
      server.forceShutdown();
      server = new grpc.Server();
      server.addService(definition, impl);
      await bind(port);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        setTimeout(() => server.forceShutdown(), 1000).unref();
      }),
  };
}
