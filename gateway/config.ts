// The gateway's configuration: its variables, declared in lib/config/registry.ts, mapped into
// the gateway's typed config. The registry validates all of them at once (readEnv) and, in
// production, requires what a real deployment needs (the Identity site, the introspecting app,
// the subgraph URLs, the principal secret) exactly as the subgraphs require theirs.
import { ConfigError, principalSecretFor, readEnv, type Env, type VarName } from '../lib/env.js';
import type { BreakerOptions } from '../lib/resilience.js';
import type { IdentityAttributeNames } from './principal-resolver.js';
import type { TrustedDocumentsConfig } from './persisted-documents.js';
import { httpTimeouts } from '../lib/http.js';
import { SUBGRAPHS } from '../schema/subgraphs.js';

export interface GatewayConfig {
  port: number;
  host: string;
  subgraphUrls: Record<string, string>;
  principalSecret: string;
  /** Headless Identity site: the gateway validates bearer tokens against its userinfo endpoint. */
  identitySiteUrl: string;
  /**
   * The confidential connected app the gateway introspects bearer tokens with (client id and
   * secret; needs "introspect all tokens"). Introspection gives a token's expiry (bounding the
   * cache) and its client id (deciding AGENT_CLIENT_IDS).
   */
  tokenIntrospection: { clientId: string; clientSecret: string };
  /** OAuth client ids whose tokens act as agents (integration clients via client credentials). */
  agentClientIds: string[];
  /** The connected app's custom attribute names (IDENTITY_ATTR_*). */
  identityAttributes: IdentityAttributeNames;
  /**
   * Shared state for several replicas (REDIS_URL): validated tokens and logouts, per-principal
   * call budgets and APQ documents. Unset: all of it in this process.
   */
  redisUrl?: string;
  /** A Redis command not answered in this long fails, and each user falls back (ms). */
  redisCommandTimeoutMs: number;
  tokenCacheSize: number;
  /**
   * Express `trust proxy`: which hops' X-Forwarded-For to believe for the client address (the
   * per-address login limit keys on it). Default false: the socket's address, so a client cannot
   * pick its own address; behind a load balancer set e.g. `loopback, 10.0.0.0/8` or a hop count,
   * or everyone behind the proxy shares one address and one lockout.
   */
  trustProxy: boolean | number | string;
  /**
   * Browser origins allowed to call the graph (CORS), e.g. the portal's dev server. None by
   * default: same-origin only. Credentials are allowed for listed origins; Apollo's CSRF
   * prevention stays on for everyone.
   */
  corsOrigins: string[];
  /** Life of the principal signed for each subgraph fetch (seconds, at most 60). */
  subgraphPrincipalTtlSeconds: number;
  /** Longest time a validated token is trusted without asking Identity again. */
  tokenCacheMaxSeconds: number;
  /** How long a token Identity refused is refused again without asking (the negative cache). */
  tokenRefusedCacheSeconds: number;
  /**
   * Bearer-token validations (userinfo + introspect) one client address may start per minute;
   * their Identity calls are also charged to the address's anonymous call budget.
   */
  tokenValidationsPerMinutePerAddress: number;
  /** One subgraph fetch's timeout (SUBGRAPH_TIMEOUT_MS): below the request deadline. */
  subgraphTimeoutMs: number;
  /** Per-subgraph overrides of subgraphTimeoutMs (SUBGRAPH_TIMEOUTS_MS), each below the deadline. */
  subgraphTimeoutsMs: Record<string, number>;
  /**
   * SUBGRAPH_SLOW_CALL_MS: a fetch still running after this long counts against the subgraph's
   * circuit breaker (0: off). Tests may pass the other breaker options too.
   */
  subgraphBreaker: Partial<BreakerOptions>;
  /** Keep-alive sockets to each subgraph (a bounded pool; more concurrent fetches wait for one). */
  subgraphMaxSockets: number;
  /**
   * One deadline per client request (REQUEST_DEADLINE_MS, default 8 s: above the 5 s subgraph
   * timeout, so one hung subgraph leaves time for a partial answer), sent to every subgraph as
   * `x-c360-deadline`; no subgraph fetch or Salesforce call outlives it.
   */
  requestDeadlineMs: number;
  /** Node HTTP server limits against slow clients (HTTP_REQUEST_TIMEOUT_MS, HTTP_HEADERS_TIMEOUT_MS). */
  httpRequestTimeoutMs: number;
  httpHeadersTimeoutMs: number;
  identityTimeoutMs: number;
  introspection: boolean;
  /** Persisted documents from the codegen manifests; TRUSTED_DOCUMENTS_ONLY refuses any other. */
  trustedDocuments?: TrustedDocumentsConfig;
  /**
   * @apollo/gateway's anonymous usage exporter (cloud-metadata probes at start, an hourly export
   * to Apollo). Off unless the operator opts in with APOLLO_TELEMETRY_ENABLED=true: the product
   * opens connections only to its configured upstreams and subgraphs.
   */
  apolloTelemetry: boolean;
  limits: {
    maxDepth: number;
    maxAliases: number;
    maxTokens: number;
    /** Selections once fragments are expanded (gateway/operation-limits.ts), checked before any walk. */
    maxSelections: number;
    maxFieldsPerSet: number;
    maxDirectives: number;
    /** Estimated Salesforce API calls one operation may cost (gateway/query-cost.ts). */
    maxUpstreamCalls: number;
    /** Estimated Salesforce calls a caller may spend per minute (per user, client, or anonymous address). */
    upstreamCallsPerMinute: { citizen: number; agent: number; anonymous: number };
    maxBodyBytes: number;
    /** Live subscriptions one WebSocket connection, and one principal, may hold at once. */
    subscriptionsPerConnection: number;
    subscriptionsPerPrincipal: number;
  };
  /** How often a live subscription re-checks its token (it also does on every event). */
  subscriptionRecheckMs: number;
  /** Cache-Control max-age of an anonymous GET of the public catalogue (cache-control.ts); 0: none. */
  catalogueMaxAgeSeconds: number;
  /** Bearer token GET /metrics requires; unset: /metrics answers loopback clients only. */
  metricsToken?: string;
  /** The MCP server at /mcp (gateway/mcp): the trusted operations marked for agents, as tools. */
  mcp: McpConfig;
  /** Bounds on subscription connections (gateway/subscriptions). */
  subscriptions: {
    /** Open WebSocket, SSE and multipart connections one client address may hold. */
    maxConnectionsPerAddress: number;
    /** A WebSocket holding no subscription this long is closed (4408). */
    idleTimeoutMs: number;
    /** A WebSocket that has not sent connection_init this long is closed (4408). */
    connectionInitWaitMs: number;
    /** Heartbeat parts of a multipart HTTP subscription (Apollo's protocol: every 5 s). */
    heartbeatMs: number;
  };
}

export interface McpConfig {
  /** MCP_ENABLED (default true): serve /mcp and its protected-resource metadata. */
  enabled: boolean;
  /**
   * The token's audience (MCP_CLIENT_IDS): the connected apps whose access tokens may call /mcp.
   * Salesforce access tokens carry no `aud`; introspection's `client_id` names the app the token
   * was issued to, and it must be one of these.
   */
  clientIds: string[];
  /**
   * The public URL of /mcp (MCP_RESOURCE_URL), the `resource` of its RFC 9728 metadata. Unset:
   * built from the request's protocol and Host (fine on loopback; set it behind a proxy).
   */
  resourceUrl?: string;
  /**
   * Estimated Salesforce calls an MCP client may spend per minute for one person or agent
   * (MCP_UPSTREAM_CALLS_PER_MINUTE_CITIZEN / _AGENT), on top of the interactive budget.
   */
  callsPerMinute: { citizen: number; agent: number };
  /** Largest tool-call `arguments`, as JSON bytes (MCP_MAX_ARGUMENT_BYTES). */
  maxArgumentBytes: number;
}

export function loadGatewayConfig(env: Env): GatewayConfig {
  const e = readEnv(env, 'gateway');
  const host = e.get('GATEWAY_HOST');
  const subgraphTimeoutMs = e.get('SUBGRAPH_TIMEOUT_MS');
  const requestDeadlineMs = e.get('REQUEST_DEADLINE_MS');
  const slowCallMs = e.get('SUBGRAPH_SLOW_CALL_MS');
  // Validated at start: a subgraph fetch that could take the whole deadline leaves no time to
  // answer what the other subgraphs gave (the partial answer).
  if (subgraphTimeoutMs >= requestDeadlineMs)
    throw new ConfigError(
      'SUBGRAPH_TIMEOUT_MS',
      `SUBGRAPH_TIMEOUT_MS (${subgraphTimeoutMs}) must be below REQUEST_DEADLINE_MS (${requestDeadlineMs}).`,
      ['SUBGRAPH_TIMEOUT_MS', 'REQUEST_DEADLINE_MS'],
    );
  if (slowCallMs >= subgraphTimeoutMs)
    throw new ConfigError(
      'SUBGRAPH_SLOW_CALL_MS',
      `SUBGRAPH_SLOW_CALL_MS (${slowCallMs}) must be below SUBGRAPH_TIMEOUT_MS (${subgraphTimeoutMs}); 0 turns it off.`,
      ['SUBGRAPH_SLOW_CALL_MS', 'SUBGRAPH_TIMEOUT_MS'],
    );
  // Each override obeys the same two rules as the default timeout.
  const subgraphTimeoutsMs = e.get('SUBGRAPH_TIMEOUTS_MS');
  for (const [name, ms] of Object.entries(subgraphTimeoutsMs)) {
    if (ms >= requestDeadlineMs)
      throw new ConfigError(
        'SUBGRAPH_TIMEOUTS_MS',
        `SUBGRAPH_TIMEOUTS_MS: ${name} (${ms}) must be below REQUEST_DEADLINE_MS (${requestDeadlineMs}).`,
        ['SUBGRAPH_TIMEOUTS_MS', 'REQUEST_DEADLINE_MS'],
      );
    if (slowCallMs >= ms)
      throw new ConfigError(
        'SUBGRAPH_TIMEOUTS_MS',
        `SUBGRAPH_TIMEOUTS_MS: ${name} (${ms}) must be above SUBGRAPH_SLOW_CALL_MS (${slowCallMs}).`,
        ['SUBGRAPH_TIMEOUTS_MS', 'SUBGRAPH_SLOW_CALL_MS'],
      );
  }
  const timeouts = httpTimeouts(env);
  return {
    port: e.get('GATEWAY_PORT') ?? e.get('PORT'),
    host,
    subgraphUrls: Object.fromEntries(
      SUBGRAPHS.map((s) => [s.name, e.get(s.urlEnv as VarName) as string]),
    ),
    principalSecret: principalSecretFor(e, host, 'GATEWAY_HOST'),
    identitySiteUrl: e.get('IDENTITY_SITE_URL'),
    tokenIntrospection: {
      clientId: e.get('IDENTITY_INTROSPECT_CLIENT_ID'),
      clientSecret: e.get('IDENTITY_INTROSPECT_CLIENT_SECRET'),
    },
    identityAttributes: {
      contactId: e.get('IDENTITY_ATTR_CONTACT_ID'),
      unifiedId: e.get('IDENTITY_ATTR_UNIFIED_ID'),
      commerceCustomerId: e.get('IDENTITY_ATTR_COMMERCE_CUSTOMER_ID'),
      commerceLogin: e.get('IDENTITY_ATTR_COMMERCE_LOGIN'),
      isAgent: e.get('IDENTITY_ATTR_IS_AGENT'),
    },
    agentClientIds: e.get('AGENT_CLIENT_IDS'),
    trustProxy: e.get('TRUST_PROXY'),
    corsOrigins: e.get('CORS_ORIGINS'),
    redisUrl: e.get('REDIS_URL'),
    redisCommandTimeoutMs: e.get('REDIS_COMMAND_TIMEOUT_MS'),
    tokenCacheSize: e.get('TOKEN_CACHE_SIZE'),
    tokenCacheMaxSeconds: e.get('TOKEN_CACHE_MAX_SECONDS'),
    subgraphPrincipalTtlSeconds: e.get('SUBGRAPH_PRINCIPAL_TTL_SECONDS'),
    tokenRefusedCacheSeconds: e.get('TOKEN_REFUSED_CACHE_SECONDS'),
    tokenValidationsPerMinutePerAddress: e.get('TOKEN_VALIDATIONS_PER_MINUTE_PER_ADDRESS'),
    subgraphTimeoutMs,
    subgraphTimeoutsMs,
    subgraphBreaker: { slowCallMs },
    subgraphMaxSockets: e.get('SUBGRAPH_MAX_SOCKETS'),
    requestDeadlineMs,
    httpRequestTimeoutMs: timeouts.requestTimeoutMs,
    httpHeadersTimeoutMs: timeouts.headersTimeoutMs,
    identityTimeoutMs: e.get('IDENTITY_TIMEOUT_MS'),
    introspection: e.get('GRAPHQL_INTROSPECTION'),
    apolloTelemetry: e.get('APOLLO_TELEMETRY_ENABLED'),
    trustedDocuments: {
      only: e.get('TRUSTED_DOCUMENTS_ONLY'),
      manifestPaths: e.get('PERSISTED_DOCUMENTS_PATHS'),
    },
    metricsToken: e.get('METRICS_TOKEN'),
    limits: {
      maxDepth: e.get('MAX_QUERY_DEPTH'),
      maxAliases: e.get('MAX_QUERY_ALIASES'),
      maxTokens: e.get('MAX_QUERY_TOKENS'),
      maxSelections: e.get('MAX_QUERY_SELECTIONS'),
      maxFieldsPerSet: e.get('MAX_QUERY_FIELDS_PER_SET'),
      maxDirectives: 50,
      maxUpstreamCalls: e.get('MAX_UPSTREAM_CALLS'),
      upstreamCallsPerMinute: {
        citizen: e.get('UPSTREAM_CALLS_PER_MINUTE_CITIZEN'),
        agent: e.get('UPSTREAM_CALLS_PER_MINUTE_AGENT'),
        anonymous: e.get('UPSTREAM_CALLS_PER_MINUTE_ANONYMOUS'),
      },
      maxBodyBytes: e.get('MAX_BODY_BYTES'),
      subscriptionsPerConnection: e.get('SUBSCRIPTIONS_PER_CONNECTION'),
      subscriptionsPerPrincipal: e.get('SUBSCRIPTIONS_PER_PRINCIPAL'),
    },
    subscriptionRecheckMs: e.get('SUBSCRIPTION_RECHECK_MS'),
    catalogueMaxAgeSeconds: e.get('CATALOGUE_CACHE_MAX_AGE_SECONDS'),
    mcp: {
      enabled: e.get('MCP_ENABLED'),
      clientIds: e.get('MCP_CLIENT_IDS'),
      resourceUrl: e.get('MCP_RESOURCE_URL'),
      callsPerMinute: {
        citizen: e.get('MCP_UPSTREAM_CALLS_PER_MINUTE_CITIZEN'),
        agent: e.get('MCP_UPSTREAM_CALLS_PER_MINUTE_AGENT'),
      },
      maxArgumentBytes: e.get('MCP_MAX_ARGUMENT_BYTES'),
    },
    subscriptions: {
      maxConnectionsPerAddress: e.get('SUBSCRIPTION_MAX_CONNECTIONS_PER_ADDRESS'),
      idleTimeoutMs: e.get('SUBSCRIPTION_IDLE_TIMEOUT_MS'),
      connectionInitWaitMs: e.get('SUBSCRIPTION_INIT_TIMEOUT_MS'),
      heartbeatMs: 5_000,
    },
  };
}
