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
  /**
   * SLAS's TSOB service window: a second trusted-system login for one login_id inside it answers
   * 409, so the client never sends one (3 s, the documented window).
   */
  tsobWindowMs: number;
  /**
   * The custom attributes this subgraph writes (the org contract: each must be defined in
   * Business Manager on its system object, reference Errata).
   */
  customAttributes: CommerceCustomAttributes;
  /** Concurrent per-customer SCAPI calls (no batch endpoint exists for baskets/orders). */
  perCustomerConcurrency: number;
  timeoutMs: number;
}

export interface CommerceCustomAttributes {
  /**
   * On Basket — and on Order with the same id, since SCAPI copies basket attributes onto the
   * order: the checkout's idempotency record `{keyHash}.{inputsHash}.{cartHash}` (idempotency.ts).
   */
  checkoutRecord: `c_${string}`;
  /** On ProductItem (ProductLineItem): the addCartItem requests that added to the line. */
  lineRecords: `c_${string}`;
}

/** A SCAPI custom attribute name: the `c_` prefix and a Business Manager attribute id. */
function customAttribute(name: string, v: string | undefined, fallback: `c_${string}`) {
  const value = v ?? fallback;
  if (!/^c_[A-Za-z][A-Za-z0-9_]{0,99}$/.test(value))
    throw new Error(`${name} must be a SCAPI custom attribute name (c_ and an attribute id)`);
  return value as `c_${string}`;
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
    tsobWindowMs: num(env.SCAPI_TSOB_WINDOW_MS, 3_000),
    customAttributes: {
      checkoutRecord: customAttribute(
        'SCAPI_ATTR_CHECKOUT_RECORD',
        env.SCAPI_ATTR_CHECKOUT_RECORD,
        'c_idempotencyKey',
      ),
      lineRecords: customAttribute(
        'SCAPI_ATTR_LINE_RECORDS',
        env.SCAPI_ATTR_LINE_RECORDS,
        'c_idempotencyKey',
      ),
    },
    perCustomerConcurrency: num(env.SCAPI_PER_CUSTOMER_CONCURRENCY, 8),
    timeoutMs: num(env.COMMERCE_UPSTREAM_TIMEOUT_MS ?? env.UPSTREAM_TIMEOUT_MS, 5000),
  };
}
