// Which transport answers a request on /graphql, from its Accept header as RFC 9110 §12.5.1 reads
// it (q-values, then the order given) and the GraphQL-over-HTTP spec
// (https://graphql.github.io/graphql-over-http/draft/#sec-Accept): queries and mutations get the
// ordinary JSON answer whatever else Accept lists; a subscription streams over SSE (graphql-sse,
// `text/event-stream`) or Apollo's multipart subscription protocol
// (`multipart/mixed;subscriptionSpec=1.0`,
// https://www.apollographql.com/docs/graphos/routing/operations/subscriptions/multipart-protocol),
// whichever the client prefers; a request that prefers `text/event-stream` above everything else
// is graphql-sse's whatever it holds.
import type { IncomingMessage } from 'node:http';

export type StreamTransport = 'sse' | 'multipart';

export const SUPPORTED_TRANSPORTS =
  'GraphQL over WebSocket (graphql-ws) at ws://…/graphql, SSE (POST /graphql with accept: text/event-stream), or multipart HTTP (accept: multipart/mixed;subscriptionSpec=1.0)';

interface MediaRange {
  type: string;
  params: Map<string, string>;
  q: number;
}

/** The media ranges of an Accept header, most preferred first (q, then the order given). */
export function mediaRanges(accept: string | undefined): MediaRange[] {
  if (!accept) return [];
  return accept
    .split(',')
    .map((range, order) => {
      const [type, ...rest] = range.split(';').map((s) => s.trim());
      const params = new Map<string, string>();
      for (const p of rest) {
        const eq = p.indexOf('=');
        if (eq > 0)
          params.set(
            p.slice(0, eq).trim().toLowerCase(),
            p
              .slice(eq + 1)
              .trim()
              .replace(/^"|"$/g, ''),
          );
      }
      const q = Number(params.get('q') ?? '1');
      return { type: type.toLowerCase(), params, q: Number.isFinite(q) ? q : 0, order };
    })
    .filter((r) => r.type && r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
}

const streamOf = (r: MediaRange): StreamTransport | undefined =>
  r.type === 'text/event-stream'
    ? 'sse'
    : r.type === 'multipart/mixed' && r.params.get('subscriptionspec') === '1.0'
      ? 'multipart'
      : undefined;

export interface Negotiated {
  /** `text/event-stream` is the most preferred type: graphql-sse's request, whatever it holds. */
  prefersSse: boolean;
  /** The streaming transport a subscription in this request would get, if Accept lists one. */
  subscription?: StreamTransport;
}

export function negotiate(req: Pick<IncomingMessage, 'headers'>): Negotiated {
  const ranges = mediaRanges(req.headers.accept);
  return {
    prefersSse: ranges[0]?.type === 'text/event-stream',
    subscription: ranges.map(streamOf).find(Boolean),
  };
}
