// Commerce subgraph configuration: the only reader of process.env. Defaults point at the local
// emulator and its demo credentials (duplicated on purpose: the subgraph never imports it).
import { principalSecretFromEnv } from '../../lib/principal-secret.js';
export interface CommerceConfig {
  port: number;
  /** Interface to listen on (0.0.0.0 in containers). */
  host: string;
  principalSecret: string;
  /** Used like commerce-sdk's `proxy`: base + the real SCAPI path (`/shopper/auth/v1/...`). */
  scapiBaseUrl: string;
  organizationId: string;
  siteId: string;
  /** SLAS private client (guest catalogue token and trusted-system-on-behalf-of tokens). */
  clientId: string;
  clientSecret: string;
  /** How many shopper tokens the long-lived cache keeps (LRU). */
  shopperTokenCacheSize: number;
  /** Concurrent per-customer SCAPI calls (no batch endpoint exists for baskets/orders). */
  perCustomerConcurrency: number;
  timeoutMs: number;
}

const num = (v: string | undefined, fallback: number) =>
  v && Number.isFinite(Number(v)) ? Number(v) : fallback;

export function loadCommerceConfig(env: NodeJS.ProcessEnv): CommerceConfig {
  return {
    port: num(env.COMMERCE_PORT, 4003),
    host: env.HOST ?? '127.0.0.1',
    principalSecret: principalSecretFromEnv(env),
    scapiBaseUrl: env.SCAPI_BASE_URL ?? 'http://127.0.0.1:4010/scapi',
    organizationId: env.SCAPI_ORGANIZATION_ID ?? 'f_ecom_zzxy_prd',
    siteId: env.SCAPI_SITE_ID ?? 'CityServices',
    clientId: env.SCAPI_CLIENT_ID ?? '3MVG9C360IntegrationClientDemoKey',
    clientSecret: env.SCAPI_CLIENT_SECRET ?? 'c360-integration-secret',
    shopperTokenCacheSize: num(env.SCAPI_SHOPPER_TOKEN_CACHE_SIZE, 10_000),
    perCustomerConcurrency: num(env.SCAPI_PER_CUSTOMER_CONCURRENCY, 8),
    timeoutMs: num(env.COMMERCE_UPSTREAM_TIMEOUT_MS ?? env.UPSTREAM_TIMEOUT_MS, 5000),
  };
}
