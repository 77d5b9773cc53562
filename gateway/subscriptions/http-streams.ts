// The HTTP side of the streaming transports: request bodies read under the POST byte limit
// (MAX_BODY_BYTES) before anything is parsed, refusals as GraphQL JSON, and Apollo's multipart
// subscription protocol (https://www.apollographql.com/docs/graphos/routing/operations/subscriptions/multipart-protocol):
// `multipart/mixed;boundary="graphql";subscriptionSpec=1.0`, each part
// `content-type: application/json`, a heartbeat part `{}` every few seconds, each event as
// `{"payload": <ExecutionResult>}`, a fatal error as `{"payload": null, "errors": [...]}`, and
// the closing boundary `--graphql--` when the subscription ends.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExecutionResult, GraphQLError } from 'graphql';
import type { Schedule } from './limits.js';

export type BodyRead = { ok: true; text: string } | { ok: false; status: 413; message: string };

const tooLarge = (limit: number): BodyRead => ({
  ok: false,
  status: 413,
  message: `The request body is larger than the limit of ${limit} bytes (MAX_BODY_BYTES).`,
});

/**
 * The request body as text, or a 413 once it exceeds `limit` bytes: a declared Content-Length
 * above the limit is refused before a byte of the body is read, and a chunked body stops being
 * read at the first chunk past the limit. Nothing is buffered beyond limit + one chunk.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(tooLarge(limit));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (r: BodyRead) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      resolve(r);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        return done(tooLarge(limit));
      }
      chunks.push(chunk);
    };
    const onEnd = () => done({ ok: true, text: Buffer.concat(chunks).toString('utf8') });
    const onError = () => done({ ok: true, text: '' });
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
  });
}

/** A GraphQLError as clients see it: message and extensions (without the HTTP hints). */
export function formatted(e: GraphQLError) {
  const { http: _http, ...extensions } = e.extensions ?? {};
  return {
    message: e.message,
    ...(e.path ? { path: e.path } : {}),
    ...(Object.keys(extensions).length ? { extensions } : {}),
  };
}

/**
 * Answers `{errors}` with `status`. A request whose body was not read to its end (a 413) closes
 * its connection rather than read the rest: Node would otherwise drain it to keep the socket.
 */
export function sendErrors(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  errors: Array<ReturnType<typeof formatted>>,
  headers: Record<string, string> = {},
) {
  const unread = !req.complete;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    ...(unread ? { connection: 'close' } : {}),
    ...headers,
  });
  res.end(JSON.stringify({ errors }), () => {
    if (unread) req.socket.destroy();
  });
}

export const MULTIPART_SUBSCRIPTION_TYPE =
  'multipart/mixed;boundary="graphql";subscriptionSpec=1.0';
const PART_HEAD = 'content-type: application/json; charset=utf-8\r\n\r\n';

/**
 * Streams a subscription's results as multipart parts until it ends or the client goes away.
 * Each part is written whole and closed by the boundary at once, so a client reads an event as
 * soon as it is written; heartbeats every `heartbeatMs` keep proxies from timing the stream out.
 */
export async function streamMultipart(
  res: ServerResponse,
  results: AsyncIterableIterator<ExecutionResult>,
  o: { heartbeatMs: number; schedule: Schedule },
) {
  res.writeHead(200, {
    'content-type': MULTIPART_SUBSCRIPTION_TYPE,
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  const part = (body: unknown) => res.write(`\r\n${PART_HEAD}${JSON.stringify(body)}\r\n--graphql`);
  res.write('\r\n--graphql');
  part({}); // the first heartbeat: the client knows at once that the stream is open
  let cancelBeat = () => {};
  const beat = () => {
    cancelBeat = o.schedule(o.heartbeatMs, () => {
      part({});
      beat();
    });
  };
  beat();
  let closed = false;
  const onClose = () => {
    closed = true;
    void results.return?.();
  };
  res.once('close', onClose);
  try {
    for (;;) {
      const r = await results.next();
      if (r.done || closed) break;
      const errors = r.value.errors?.map((e) => formatted(e as GraphQLError));
      // A result without data ends the subscription (its token expired, the feed failed): the
      // protocol's transport-level error, which clients surface as the subscription's error.
      if (r.value.data === undefined && errors) part({ payload: null, errors });
      else part({ payload: { ...r.value, ...(errors ? { errors } : {}) } });
    }
  } finally {
    cancelBeat();
    res.off('close', onClose);
    // (Ended already when the process is going away: gateway/subscriptions close().)
    if (!closed && !res.writableEnded) res.end('--\r\n');
  }
}
