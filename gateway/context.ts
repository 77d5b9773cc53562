import type { BaseContext } from '@apollo/server';
import type { Response } from 'express';
import type { Principal } from '../lib/principal.js';
import type { UpstreamCost } from '../lib/upstream-cost.js';

export interface GatewayContext extends BaseContext {
  principal: Principal;
  /** Lower-case request headers. */
  headers: Record<string, string | undefined>;
  /** The client asked for the upstream cost report (x-upstream-cost header). */
  wantsCost: boolean;
  cost: UpstreamCost;
  /** The socket's remote address (behind a trusted proxy, configure express's trust proxy). */
  clientAddress?: string;
  /** The HTTP response (for the access log's per-request info). */
  res?: Response;
  /** A subgraph reported that this request ended the session: forget the bearer token. */
  sessionEnded?: boolean;
}
