// Commerce subgraph configuration: its variables, declared in lib/config/registry.ts (defaults:
// the local emulator and its demo credentials), mapped into the subgraph's typed config.
import { type Env, readEnv, type ServiceEnv, serviceEnv } from '../../lib/env.js';
import { subgraphLimitsFromEnv, type SubgraphLimits } from '../../lib/subgraph-server.js';
export interface CommerceConfig extends ServiceEnv {
  /** This subgraph's own request limits (lib/subgraph-server.ts). */
  requestLimits: SubgraphLimits;
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
  /** How long a keyed write whose outcome is unknown blocks its key (ms). */
  idempotencyUnknownOutcomeMs: number;
  /**
   * The custom attributes this subgraph writes (the org contract: each must be defined in
   * Business Manager on its system object, docs/salesforce/scapi.md#custom-attributes).
   */
  customAttributes: CommerceCustomAttributes;
  /**
   * Concurrent per-customer SCAPI calls of one request (no batch endpoint exists for baskets or
   * orders). Default 100 — one call in flight per member of the largest page (MAX_FIRST), so a
   * page's 2 × 100 calls take 2 waves — sized to what SCAPI documents ("Load Shedding and Rate
   * Limiting", https://developer.salesforce.com/docs/commerce/commerce-api/guide/throttle-rates.html):
   * - its rate limits count requests per tenant per 5- or 60-second window, per API family and
   *   endpoint, and endpoints the page does not list "are no longer rate limited"; no limit bounds
   *   concurrent requests. The bound therefore cannot change how much of a window one request
   *   spends (2 × 100 calls at most, whatever it is), only how the burst is shaped; the listed
   *   60-second limits are in the thousands (e.g. 4,000 GET /orders/* in the checkout family).
   * - SLAS, which mints a cold shopper's trusted-system token inside this bound, allows 24,000
   *   requests per minute per tenant in production (400/s: a cold page's ≤ 100 mints fit in one
   *   second's share) and 500 per minute on non-production instances, where a cold page spends a
   *   fifth of the minute whatever the bound (the token cache keeps them afterwards).
   * - load shedding (503 at 90 % capacity) spares Shopper Baskets and Shopper Orders; an agent's
   *   page is a rare back-office burst next to a storefront's traffic.
   */
  perCustomerConcurrency: number;
  /**
   * The shipping method checkout sets (SCAPI_SHIPPING_METHOD_ID); undefined: the shipment's
   * default applicable method (getShippingMethodsForShipment). Shipping methods are site data.
   */
  shippingMethodId?: string;
  /**
   * The payment method of checkout's card payment when the request names none
   * (SCAPI_PAYMENT_METHOD_ID, default CREDIT_CARD); '': the basket's first applicable method that
   * takes the card's type (getPaymentMethodsForBasket). Payment methods are site data.
   */
  paymentMethodId: string;
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

export function loadCommerceConfig(env: Env): CommerceConfig {
  const e = readEnv(env, 'commerce');
  return {
    ...serviceEnv(e, 'COMMERCE_PORT'),
    requestLimits: subgraphLimitsFromEnv(e),
    scapiBaseUrl: e.get('SCAPI_BASE_URL'),
    organizationId: e.get('SCAPI_ORGANIZATION_ID'),
    siteId: e.get('SCAPI_SITE_ID'),
    clientId: e.get('SCAPI_CLIENT_ID'),
    clientSecret: e.get('SCAPI_CLIENT_SECRET'),
    shopperTokenCacheSize: e.get('SCAPI_SHOPPER_TOKEN_CACHE_SIZE'),
    tsobWindowMs: e.get('SCAPI_TSOB_WINDOW_MS'),
    idempotencyUnknownOutcomeMs: e.get('IDEMPOTENCY_UNKNOWN_OUTCOME_MS'),
    customAttributes: {
      checkoutRecord: e.get('SCAPI_ATTR_CHECKOUT_RECORD'),
      lineRecords: e.get('SCAPI_ATTR_LINE_RECORDS'),
    },
    perCustomerConcurrency: e.get('SCAPI_PER_CUSTOMER_CONCURRENCY'),
    shippingMethodId: e.get('SCAPI_SHIPPING_METHOD_ID'),
    paymentMethodId: e.get('SCAPI_PAYMENT_METHOD_ID'),
    timeoutMs: e.get('COMMERCE_UPSTREAM_TIMEOUT_MS') ?? e.get('UPSTREAM_TIMEOUT_MS'),
  };
}
