// How the gateway talks to a subgraph: a signed principal instead of anything the client claims,
// an explicit allow-list of forwarded headers, a timeout per fetch, and the upstream cost each
// subgraph reports folded into the request's total.
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { PRINCIPAL_HEADER, signPrincipal } from '../lib/principal.js';
import { UPSTREAM_COST_HEADER, type UpstreamCostReport } from '../lib/upstream-cost.js';
import { SESSION_ENDED_EXTENSION } from '../lib/subgraph-server.js';
import { injectTraceHeaders } from '../lib/observability/tracing.js';
import type { GatewayContext } from './context.js';

/** Client headers a subgraph may see. Everything else (including any principal header) is dropped. */
export const FORWARDED_HEADERS = [
  'authorization',
  'x-correlation-id',
  'x-request-id',
  'accept-language',
] as const;

export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly principalSecret: string,
    timeoutMs: number,
  ) {
    super({
      url,
      fetcher: ((input: string, init: RequestInit) =>
        fetch(input, {
          ...init,
          signal: AbortSignal.timeout(timeoutMs),
        })) as unknown as RemoteGraphQLDataSource['fetcher'],
    });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const headers = request.http?.headers;
    if (!headers || !context?.principal) return;
    for (const name of FORWARDED_HEADERS) {
      const value = context.headers[name];
      if (value) headers.set(name, value);
    }
    // Signed once per request (every fetch of the plan reuses it), with the end client's address
    // as this gateway saw it inside the signature: a subgraph trusts no unsigned header.
    context.signedPrincipal ??= signPrincipal(context.principal, this.principalSecret, {
      clientAddress: context.clientAddress,
    });
    headers.set(PRINCIPAL_HEADER, context.signedPrincipal);
    // Always asked: the access log and metrics count every request's Salesforce calls; the
    // client sees the report only when it asked (upstreamCostPlugin).
    headers.set(UPSTREAM_COST_HEADER, '1');
    // The trace continues in the subgraph (the active span is @apollo/gateway's gateway.fetch).
    injectTraceHeaders((k, v) => headers.set(k, v));
  }

  override didReceiveResponse({
    response,
    context,
  }: {
    response: GatewayGraphQLResponse;
    context: GatewayContext;
  }) {
    const report = response.extensions?.upstreamCost as UpstreamCostReport | undefined;
    if (report) {
      context.cost?.merge(report);
      delete response.extensions!.upstreamCost;
    }
    // The session subgraph ended this request's session (logout, however it was written).
    if (response.extensions?.[SESSION_ENDED_EXTENSION]) {
      context.sessionEnded = true;
      delete response.extensions[SESSION_ENDED_EXTENSION];
    }
    return response;
  }
}
