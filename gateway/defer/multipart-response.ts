// The HTTP side of @defer: Apollo Server answers a deferred query with its initial payload as a
// normal single result (its pipeline, plugins and formatError applied); when the executor has
// left later parts for that response, this layer writes Apollo's answer as the first part of a
// multipart/mixed body and streams the rest as they come.
//
// Wire format (deferSpec=20220824, the one Apollo Client and GraphiQL read), verified against
// Apollo Server 5's own incremental writer (node_modules/@apollo/server/dist/esm/runHttpQuery.js,
// writeMultipartBody: each part `content-type: application/json; charset=utf-8`, the first
// preceded by CRLF, the last boundary closed with `--`), Apollo Router's defer docs
// (apollographql.com/docs/router/executing-operations/defer-support: boundary "graphql") and
// Apollo Client's Defer20220824Handler (initial {data, errors?, hasNext}, then
// {incremental: [{data, path, label?, errors?}], hasNext}, the last with hasNext false).
import type { NextFunction, Request, Response } from 'express';
import type { GraphQLError } from 'graphql';
import type { SubsequentPayload } from './deferred-execution.js';

export const MULTIPART_CONTENT_TYPE = 'multipart/mixed; boundary="graphql"; deferSpec=20220824';
const PART_HEAD = 'content-type: application/json; charset=utf-8\r\n\r\n';

/** Whether the Accept header takes multipart/mixed (with deferSpec=20220824 or no spec). */
export function acceptsMultipart(accept: string | null | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((range) => {
    const [type, ...params] = range.split(';').map((s) => s.trim().toLowerCase());
    if (type !== 'multipart/mixed') return false;
    const spec = params.find((p) => p.startsWith('deferspec='));
    return !spec || spec === 'deferspec=20220824';
  });
}

interface Pending {
  parts: AsyncIterable<SubsequentPayload>;
  formatError: (e: GraphQLError) => unknown;
  /** Called after the last part: its extensions (e.g. the upstream cost report). */
  finish?: () => Record<string, unknown> | undefined;
}

const pending = new WeakMap<Response, Pending>();

/** Marks `res` to be answered in parts: Apollo's answer first, then `parts`. */
export function respondInParts(
  res: Response,
  parts: AsyncIterable<SubsequentPayload>,
  formatError: Pending['formatError'],
  finish?: Pending['finish'],
) {
  pending.set(res, { parts, formatError, finish });
}

async function writeParts(res: Response, body: string, p: Pending) {
  res.setHeader('content-type', MULTIPART_CONTENT_TYPE);
  res.removeHeader('content-length');
  res.setHeader('cache-control', 'no-store');
  const initial = { ...(JSON.parse(body) as Record<string, unknown>), hasNext: true };
  res.write(`\r\n--graphql\r\n${PART_HEAD}${JSON.stringify(initial)}\r\n--graphql\r\n`);
  let closed = false;
  res.once('close', () => (closed = true));
  try {
    for await (const payload of p.parts) {
      if (closed) return;
      const incremental = payload.incremental.map((item) => ({
        ...item,
        ...(item.errors ? { errors: item.errors.map(p.formatError) } : {}),
      }));
      const extensions = payload.hasNext ? undefined : p.finish?.();
      // The last payload may carry nothing (a deferred fragment under a null parent is not sent).
      const json = JSON.stringify({
        ...(incremental.length ? { incremental } : {}),
        hasNext: payload.hasNext,
        extensions,
      });
      res.write(`${PART_HEAD}${json}\r\n--graphql${payload.hasNext ? '' : '--'}\r\n`);
    }
  } finally {
    res.end();
  }
}

/** Express middleware before Apollo's: turns a marked response's JSON answer into multipart. */
export function multipartResponses() {
  return (req: Request, res: Response, next: NextFunction) => {
    // Apollo Server negotiates a JSON answer (406 without one); a client taking only multipart
    // takes a JSON first part, so let Apollo answer and wrap its answer.
    const accept = req.headers.accept;
    if (acceptsMultipart(accept) && !/application\/(graphql-response\+)?json|\*\/\*/i.test(accept!))
      req.headers.accept = `${accept}, application/json`;
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      const p = pending.get(res);
      if (!p || typeof body !== 'string') return send(body);
      pending.delete(res);
      void writeParts(res, body, p);
      return res;
    };
    next();
  };
}
