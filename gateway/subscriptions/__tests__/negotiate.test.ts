// Which transport a request's Accept asks for: the most preferred streaming type by q-value, then
// by the order given; `text/event-stream` on top makes the request graphql-sse's whatever it is.
import { negotiate } from '../negotiate.js';

const of = (accept?: string) => negotiate({ headers: accept === undefined ? {} : { accept } });

test.each([
  // [Accept, prefersSse, transport for a subscription]
  [undefined, false, undefined],
  ['*/*', false, undefined],
  ['application/json', false, undefined],
  ['text/event-stream', true, 'sse'],
  // urql: queries, then subscriptions
  [
    'application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed',
    false,
    'sse',
  ],
  ['text/event-stream, multipart/mixed', true, 'sse'],
  // Apollo Client 4's subscription Accept
  [
    'multipart/mixed;boundary=graphql;subscriptionSpec=1.0,application/graphql-response+json,application/json;q=0.9',
    false,
    'multipart',
  ],
  ['multipart/mixed;subscriptionSpec="1.0", text/event-stream', false, 'multipart'],
  ['text/event-stream;q=0.5, multipart/mixed;subscriptionSpec=1.0;q=0.9', false, 'multipart'],
  ['text/event-stream;q=0.5, application/json', false, 'sse'],
  ['text/event-stream;q=0, application/json', false, undefined],
  // @defer's multipart is not a subscription transport
  ['multipart/mixed;deferSpec=20220824, application/json', false, undefined],
] as const)('Accept %p: prefers SSE %p, a subscription streams over %p', (accept, sse, sub) => {
  expect(of(accept)).toEqual({ prefersSse: sse, subscription: sub });
});
