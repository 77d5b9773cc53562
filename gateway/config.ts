// The gateway's configuration: the only place the gateway reads process.env.
import { principalSecretFromEnv } from '../lib/principal-secret.js';
import { defaultSubgraphUrl, SUBGRAPHS } from '../schema/subgraphs.js';

export interface GatewayConfig {
  port: number;
  host: string;
  subgraphUrls: Record<string, string>;
  principalSecret: string;
  /** Headless Identity site: the gateway validates bearer tokens against its userinfo endpoint. */
  identitySiteUrl: string;
  /** The portal's connected app, used to introspect tokens (their expiry bounds the cache). */
  identityClientId: string;
  /** OAuth client ids whose tokens act as agents (integration clients via client credentials). */
  agentClientIds: string[];
  tokenCacheSize: number;
  /** Longest time a validated token is trusted without asking Identity again. */
  tokenCacheMaxSeconds: number;
  subgraphTimeoutMs: number;
  identityTimeoutMs: number;
  introspection: boolean;
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
    maxBodyBytes: number;
  };
}

const int = (env: NodeJS.ProcessEnv, name: string, fallback: number) => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
};

export function loadGatewayConfig(env: NodeJS.ProcessEnv): GatewayConfig {
  const production = env.NODE_ENV === 'production';
  const principalSecret = principalSecretFromEnv(env);
  return {
    port: int(env, 'GATEWAY_PORT', int(env, 'PORT', 4000)),
    host: env.GATEWAY_HOST ?? '127.0.0.1',
    subgraphUrls: Object.fromEntries(
      SUBGRAPHS.map((s) => [s.name, env[s.urlEnv] || defaultSubgraphUrl(s)]),
    ),
    principalSecret,
    identitySiteUrl: env.IDENTITY_SITE_URL ?? 'http://127.0.0.1:4010/identity',
    identityClientId: env.IDENTITY_CLIENT_ID ?? '3MVG9C360CitizenPortalDemoKey',
    agentClientIds: (env.AGENT_CLIENT_IDS ?? '3MVG9C360IntegrationClientDemoKey')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    tokenCacheSize: int(env, 'TOKEN_CACHE_SIZE', 10_000),
    tokenCacheMaxSeconds: int(env, 'TOKEN_CACHE_MAX_SECONDS', 300),
    subgraphTimeoutMs: int(env, 'SUBGRAPH_TIMEOUT_MS', 10_000),
    identityTimeoutMs: int(env, 'IDENTITY_TIMEOUT_MS', 5_000),
    introspection: env.GRAPHQL_INTROSPECTION ? env.GRAPHQL_INTROSPECTION === 'true' : !production,
    apolloTelemetry: env.APOLLO_TELEMETRY_ENABLED === 'true',
    limits: {
      maxDepth: int(env, 'MAX_QUERY_DEPTH', 12),
      maxAliases: int(env, 'MAX_QUERY_ALIASES', 15),
      maxTokens: int(env, 'MAX_QUERY_TOKENS', 2000),
      maxUpstreamCalls: int(env, 'MAX_UPSTREAM_CALLS', 600),
      maxBodyBytes: int(env, 'MAX_BODY_BYTES', 100_000),
    },
  };
}
