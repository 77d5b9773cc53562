// The gateway's configuration: the only place the gateway reads process.env.
import { envReader } from '../lib/env.js';
import { DEFAULT_IDENTITY_ATTRIBUTES, type IdentityAttributeNames } from './principal-resolver.js';
import { principalSecretFromEnv } from '../lib/principal-secret.js';
import {
  trustedDocumentsConfigFromEnv,
  type TrustedDocumentsConfig,
} from './persisted-documents.js';
import { httpTimeouts } from '../lib/http.js';
import { defaultSubgraphUrl, SUBGRAPHS } from '../schema/subgraphs.js';

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
  subgraphTimeoutMs: number;
  /** Keep-alive sockets to each subgraph (a bounded pool; more concurrent fetches wait for one). */
  subgraphMaxSockets: number;
  /**
   * One deadline per client request (REQUEST_DEADLINE_MS, default 8 s: under the 10 s subgraph
   * timeout), sent to every subgraph as `x-c360-deadline`; no subgraph fetch or Salesforce call
   * outlives it.
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
}

function trustProxyFrom(raw: string | undefined): boolean | number | string {
  const v = raw?.trim();
  if (!v || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv): GatewayConfig {
  const e = envReader(env);
  const production = env.NODE_ENV === 'production';
  const principalSecret = principalSecretFromEnv(env);
  return {
    port: e.int('GATEWAY_PORT', e.int('PORT', 4000)),
    host: env.GATEWAY_HOST ?? '127.0.0.1',
    subgraphUrls: Object.fromEntries(
      SUBGRAPHS.map((s) => [s.name, env[s.urlEnv] || defaultSubgraphUrl(s)]),
    ),
    principalSecret,
    identitySiteUrl: env.IDENTITY_SITE_URL ?? 'http://127.0.0.1:4010/identity',
    tokenIntrospection: {
      clientId:
        env.IDENTITY_INTROSPECT_CLIENT_ID ??
        env.CRM_CLIENT_ID ??
        '3MVG9C360IntegrationClientDemoKey',
      clientSecret:
        env.IDENTITY_INTROSPECT_CLIENT_SECRET ?? env.CRM_CLIENT_SECRET ?? 'c360-integration-secret',
    },
    identityAttributes: {
      contactId: e.apiName('IDENTITY_ATTR_CONTACT_ID', DEFAULT_IDENTITY_ATTRIBUTES.contactId),
      unifiedId: e.apiName('IDENTITY_ATTR_UNIFIED_ID', DEFAULT_IDENTITY_ATTRIBUTES.unifiedId),
      commerceCustomerId: e.apiName(
        'IDENTITY_ATTR_COMMERCE_CUSTOMER_ID',
        DEFAULT_IDENTITY_ATTRIBUTES.commerceCustomerId,
      ),
      commerceLogin: e.apiName(
        'IDENTITY_ATTR_COMMERCE_LOGIN',
        DEFAULT_IDENTITY_ATTRIBUTES.commerceLogin,
      ),
      isAgent: e.apiName('IDENTITY_ATTR_IS_AGENT', DEFAULT_IDENTITY_ATTRIBUTES.isAgent),
    },
    agentClientIds: (env.AGENT_CLIENT_IDS ?? '3MVG9C360IntegrationClientDemoKey')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    trustProxy: trustProxyFrom(env.TRUST_PROXY),
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim().replace(/\/+$/, ''))
      .filter(Boolean),
    redisUrl: env.REDIS_URL?.trim() || undefined,
    tokenCacheSize: e.int('TOKEN_CACHE_SIZE', 10_000),
    tokenCacheMaxSeconds: e.int('TOKEN_CACHE_MAX_SECONDS', 60),
    subgraphPrincipalTtlSeconds: e.int('SUBGRAPH_PRINCIPAL_TTL_SECONDS', 5, { min: 1, max: 60 }),
    tokenRefusedCacheSeconds: e.int('TOKEN_REFUSED_CACHE_SECONDS', 300, { min: 1 }),
    tokenValidationsPerMinutePerAddress: e.int('TOKEN_VALIDATIONS_PER_MINUTE_PER_ADDRESS', 30, {
      min: 1,
    }),
    subgraphTimeoutMs: e.int('SUBGRAPH_TIMEOUT_MS', 10_000),
    subgraphMaxSockets: e.int('SUBGRAPH_MAX_SOCKETS', 128, { min: 1 }),
    requestDeadlineMs: e.int(
      'REQUEST_DEADLINE_MS',
      Math.max(1_000, e.int('SUBGRAPH_TIMEOUT_MS', 10_000) - 2_000),
    ),
    httpRequestTimeoutMs: httpTimeouts(env).requestTimeoutMs,
    httpHeadersTimeoutMs: httpTimeouts(env).headersTimeoutMs,
    identityTimeoutMs: e.int('IDENTITY_TIMEOUT_MS', 5_000),
    introspection: env.GRAPHQL_INTROSPECTION ? env.GRAPHQL_INTROSPECTION === 'true' : !production,
    apolloTelemetry: env.APOLLO_TELEMETRY_ENABLED === 'true',
    trustedDocuments: trustedDocumentsConfigFromEnv(env),
    limits: {
      maxDepth: e.int('MAX_QUERY_DEPTH', 12),
      maxAliases: e.int('MAX_QUERY_ALIASES', 15),
      maxTokens: e.int('MAX_QUERY_TOKENS', 2000),
      maxUpstreamCalls: e.int('MAX_UPSTREAM_CALLS', 600),
      upstreamCallsPerMinute: {
        citizen: e.int('UPSTREAM_CALLS_PER_MINUTE_CITIZEN', 300),
        agent: e.int('UPSTREAM_CALLS_PER_MINUTE_AGENT', 3000),
        anonymous: e.int('UPSTREAM_CALLS_PER_MINUTE_ANONYMOUS', 120),
      },
      maxBodyBytes: e.int('MAX_BODY_BYTES', 100_000),
      subscriptionsPerConnection: e.int('SUBSCRIPTIONS_PER_CONNECTION', 20, { min: 1 }),
      subscriptionsPerPrincipal: e.int('SUBSCRIPTIONS_PER_PRINCIPAL', 50, { min: 1 }),
    },
    subscriptionRecheckMs: e.int('SUBSCRIPTION_RECHECK_MS', 30_000, { min: 100 }),
  };
}
