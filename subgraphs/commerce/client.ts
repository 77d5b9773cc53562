// The only code in the Commerce subgraph that speaks HTTP to Salesforce: SLAS and the SCAPI
// Shopper APIs, at their real paths below SCAPI_BASE_URL (used like commerce-sdk's `proxy`).
//
// Why a thin client instead of commerce-sdk-isomorphic at runtime: its ESM build is broken under
// Node ESM ("require is not defined in ES module scope"), it drags in react/react-dom as peers,
// and we need our own timeouts, cost metering and typed UpstreamError on every call (callUpstream).
// The SDK is still the referee: the emulator's conformance tests drive it unmodified.
import { UpstreamError } from '../../lib/errors.js';
import {
  callUpstream,
  joinUrl,
  type UpstreamRequest,
  type UpstreamTransport,
} from '../../lib/upstream-http.js';
import { withReauth } from '../../lib/salesforce/reauth.js';
import type { CommerceConfig } from './config.js';
import { scapiId } from './ids.js';
import type {
  ScapiAddress,
  ScapiBasket,
  ScapiShippingMethodResult,
  ScapiPaymentMethodResult,
  ScapiCustomer,
  ScapiOrder,
  ScapiPage,
  ScapiProduct,
  ScapiProductSearchResult,
  SlasTokenResponse,
} from './upstream-types.js';
import { TOKEN_REFRESH_SKEW_MS } from '../../lib/salesforce/token-cache.js';
import type { CachedToken, SlasTokenCache } from './token-cache.js';

/** The real getProducts limit (docs/salesforce/scapi.md#shopper-products). */
export const MAX_PRODUCT_IDS = 24;
/** The real getCustomerOrders page limit (docs/salesforce/scapi.md#shopper-customers). */
export const MAX_ORDERS_PAGE = 50;

const GUEST_KEY = '\u0000guest';

/**
 * The SLAS scopes the commerce subgraph's calls need (Authorization Scopes Catalog): the catalogue
 * (getProducts, productSearch), the shopper's customer record, baskets and orders, basket and
 * order writes (cart, checkout), and trusted system on behalf of (a client scope). A `.rw` scope
 * also reads; `sfcc.shopper-standard` includes all but the last.
 * https://developer.salesforce.com/docs/commerce/commerce-api/guide/auth-z-scope-catalog.html
 */
export const SLAS_SCOPES = [
  'sfcc.shopper-products',
  'sfcc.shopper-product-search',
  'sfcc.shopper-myaccount',
  'sfcc.shopper-myaccount.baskets',
  'sfcc.shopper-myaccount.orders',
  'sfcc.shopper-baskets-orders.rw',
  'sfcc.ts_ext_on_behalf_of',
] as const;

/** The scopes `sfcc.shopper-standard` includes that SLAS_SCOPES names (Standard Shopper Scope). */
const IN_SHOPPER_STANDARD = new Set<string>(
  SLAS_SCOPES.filter((s) => s !== 'sfcc.ts_ext_on_behalf_of'),
);

/**
 * The SLAS_SCOPES `granted` lacks (a `.rw` scope covers its read-only one).
 * https://developer.salesforce.com/docs/commerce/commerce-api/guide/standard-shopper-scope.html
 */
export function missingSlasScopes(granted: readonly string[]): string[] {
  const have = new Set(granted);
  return SLAS_SCOPES.filter(
    (s) =>
      !have.has(s) &&
      !have.has(`${s}.rw`) &&
      !(have.has('sfcc.shopper-standard') && IN_SHOPPER_STANDARD.has(s)),
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Query = Record<string, string | number | boolean | undefined>;

export interface PaymentInstrumentRequest {
  paymentMethodId: string;
  amount: number;
  paymentCard: {
    cardType: string;
    holder: string;
    maskedNumber: string;
    expirationMonth: number;
    expirationYear: number;
  };
}

/**
 * SLAS answered a trusted-system token for another customer than the one asked for: the login
 * does not belong to that customer id. Nothing was read; callers answer "no data".
 */
export class ShopperMismatchError extends Error {
  override readonly name = 'ShopperMismatchError';
  constructor() {
    super('The shopper login belongs to another customer.');
  }
}

/**
 * SLAS refused trusted system on behalf of the login: B2C Commerce has no registered customer
 * with it ("If the shopper does not exist, SLAS returns an HTTP 400", invalid_request). A citizen
 * who registered through Headless Identity has none until the site creates one (docs/real-org.md,
 * Site prerequisites).
 * https://developer.salesforce.com/docs/commerce/commerce-api/guide/slas-trusted-system.html
 */
export class ShopperNotFoundError extends Error {
  override readonly name = 'ShopperNotFoundError';
  constructor() {
    super('B2C Commerce has no registered customer with this shopper login.');
  }
}

export class ScapiClient {
  constructor(
    private readonly config: CommerceConfig,
    private readonly tokens: SlasTokenCache,
    private readonly transport: UpstreamTransport,
  ) {}

  private url(
    api: string,
    path: string,
    query: Query = {},
    siteParam: 'siteId' | 'none' = 'siteId',
  ): string {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.set(k, String(v));
    if (siteParam === 'siteId') qs.set('siteId', this.config.siteId);
    const q = qs.toString();
    return joinUrl(
      this.config.scapiBaseUrl,
      `/${api}/v1/organizations/${encodeURIComponent(this.config.organizationId)}${path}${q ? `?${q}` : ''}`,
    );
  }

  private basic(): string {
    return `Basic ${Buffer.from(`${this.config.clientId}:${this.config.clientSecret}`).toString('base64')}`;
  }

  private toCached(t: SlasTokenResponse, previous?: CachedToken): CachedToken {
    const now = this.tokens.now();
    // A private client keeps its refresh token on refresh; a public one gets a new one (rotation).
    const refreshToken = t.refresh_token || previous?.refreshToken;
    return {
      accessToken: t.access_token,
      customerId: t.customer_id,
      expiresAt: now + t.expires_in * 1000,
      refreshToken,
      refreshExpiresAt:
        t.refresh_token && typeof t.refresh_token_expires_in === 'number'
          ? now + t.refresh_token_expires_in * 1000
          : previous?.refreshExpiresAt,
      usid: t.usid || previous?.usid,
    };
  }

  /**
   * The scopes SLAS gave this client: the `scp` claim of its guest access token (a JWT). Null
   * when the token is not a JWT carrying `scp`.
   */
  async grantedScopes(): Promise<string[] | null> {
    const { accessToken } = await this.tokens.get(GUEST_KEY, () => this.fetchGuestToken());
    try {
      const claims = JSON.parse(
        Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8'),
      ) as { scp?: string | string[] };
      if (Array.isArray(claims.scp)) return claims.scp.map(String);
      return typeof claims.scp === 'string' ? claims.scp.split(/\s+/).filter(Boolean) : null;
    } catch {
      return null;
    }
  }

  /** Readiness: SLAS accepts this private client's credentials (one guest-token request). */
  async checkCredentials(): Promise<void> {
    // Through the cache: a guest token SLAS issued still proves the credentials, and the probe
    // then costs the first catalogue read nothing.
    await this.tokens.get(GUEST_KEY, () => this.fetchGuestToken());
  }

  /** POST /shopper/auth/v1/organizations/{org}/oauth2/token (grant_type=client_credentials): private-client guest token. */
  private async fetchGuestToken(): Promise<CachedToken> {
    const res = await callUpstream<SlasTokenResponse>(
      {
        family: 'scapi',
        method: 'POST',
        url: this.url('shopper/auth', '/oauth2/token', {}, 'none'),
        headers: { authorization: this.basic() },
        form: { grant_type: 'client_credentials', channel_id: this.config.siteId },
        timeoutMs: this.config.timeoutMs,
      },
      this.transport,
    );
    return this.toCached(res.body);
  }

  /**
   * POST /shopper/auth/v1/organizations/{org}/oauth2/trusted-system/token: trusted system on behalf
   * of a shopper login, passing the usid of the shopper's session when there is one.
   */
  private async fetchShopperToken(login: string, usid?: string): Promise<CachedToken> {
    const res = await callUpstream<SlasTokenResponse>(
      {
        family: 'scapi',
        method: 'POST',
        url: this.url('shopper/auth', '/oauth2/trusted-system/token', {}, 'none'),
        headers: { authorization: this.basic() },
        form: {
          grant_type: 'client_credentials',
          hint: 'ts_ext_on_behalf_of',
          login_id: login,
          idp_origin: 'ecom',
          channel_id: this.config.siteId,
          usid,
        },
        timeoutMs: this.config.timeoutMs,
      },
      this.transport,
    );
    return this.toCached(res.body);
  }

  /** POST /shopper/auth/v1/organizations/{org}/oauth2/token (grant_type=refresh_token, private client). */
  private async refreshShopperToken(previous: CachedToken): Promise<CachedToken> {
    const res = await callUpstream<SlasTokenResponse>(
      {
        family: 'scapi',
        method: 'POST',
        url: this.url('shopper/auth', '/oauth2/token', {}, 'none'),
        headers: { authorization: this.basic() },
        form: {
          grant_type: 'refresh_token',
          refresh_token: previous.refreshToken,
          channel_id: this.config.siteId,
        },
        // A private client's refresh token is not rotated, so a lost answer may be asked again.
        idempotent: true,
        timeoutMs: this.config.timeoutMs,
      },
      this.transport,
    );
    return this.toCached(res.body, previous);
  }

  /**
   * A new token for the shopper `login` (the cache runs one of these per login at a time):
   * by the refresh token while it lives; else a TSOB login, never two for one login inside
   * SLAS's window — a login too soon waits for the window to pass, and a 409 (another replica
   * logged this shopper in) waits a window and tries once more.
   */
  private async renewShopperToken(login: string, previous?: CachedToken): Promise<CachedToken> {
    if (
      previous?.refreshToken &&
      (previous.refreshExpiresAt ?? Infinity) - TOKEN_REFRESH_SKEW_MS > this.tokens.now()
    ) {
      try {
        return await this.refreshShopperToken(previous);
      } catch (err) {
        // A refresh token SLAS no longer knows (revoked, expired): log in again, same usid.
        if (!(err instanceof UpstreamError && (err.status === 400 || err.status === 401)))
          throw err;
      }
    }
    const key = login.toLowerCase();
    for (let attempt = 0; ; attempt++) {
      const wait = this.tokens.loginWait(key, this.config.tsobWindowMs);
      if (wait > 0) await sleep(wait);
      this.tokens.noteLogin(key);
      try {
        return await this.fetchShopperToken(login, previous?.usid);
      } catch (err) {
        if (attempt === 0 && err instanceof UpstreamError && err.status === 409) continue;
        // Every other field of the request is ours and fixed: invalid_request is the login.
        if (
          err instanceof UpstreamError &&
          err.status === 400 &&
          err.upstreamCode === 'invalid_request'
        )
          throw new ShopperNotFoundError();
        throw err;
      } finally {
        // SLAS counts the login when it receives it, somewhere before its answer: a window from
        // the answer is clear of it (a window from the send can end a few ms too early → 409).
        this.tokens.noteLogin(key);
      }
    }
  }

  /**
   * Runs a call with a cached token; on 401 drops the token, re-authenticates once and retries.
   * With `customerId`, the token must be that customer's (else ShopperMismatchError, no call).
   */
  private async withToken<T>(
    key: string,
    fetchToken: (previous: CachedToken | undefined) => Promise<CachedToken>,
    req: Omit<UpstreamRequest, 'family' | 'timeoutMs'>,
    customerId?: string,
  ) {
    return withReauth(
      {
        token: () => this.tokens.get(key, fetchToken),
        invalidate: (token) => this.tokens.invalidate(key, token.accessToken),
      },
      (token) => {
        if (customerId !== undefined && token.customerId !== customerId)
          throw new ShopperMismatchError();
        return callUpstream<T>(
          {
            ...req,
            family: 'scapi',
            timeoutMs: this.config.timeoutMs,
            headers: { ...req.headers, authorization: `Bearer ${token.accessToken}` },
          },
          this.transport,
        );
      },
    );
  }

  private asGuest<T>(req: Omit<UpstreamRequest, 'family' | 'timeoutMs'>) {
    return this.withToken<T>(GUEST_KEY, () => this.fetchGuestToken(), req);
  }

  /** A call as the shopper `login`; with `customerId`, only if the login is that customer's. */
  private asShopper<T>(
    login: string,
    req: Omit<UpstreamRequest, 'family' | 'timeoutMs'>,
    customerId?: string,
  ) {
    const key = login.toLowerCase();
    return this.withToken<T>(
      key,
      (previous) => this.renewShopperToken(login, previous),
      req,
      customerId,
    );
  }

  /** GET /product/shopper-products/v1/organizations/{org}/products?ids= (≤ 24 ids; unknown ids are dropped). */
  async getProducts(ids: readonly string[]): Promise<ScapiProduct[]> {
    if (ids.length > MAX_PRODUCT_IDS)
      throw new Error(`getProducts takes at most ${MAX_PRODUCT_IDS} ids`);
    // Validated ids carry no `,` or `%`, so comma-joining needs no double encoding
    // (docs/salesforce/scapi.md#urls-and-encoding).
    for (const id of ids) scapiId('productId', id);
    const res = await this.asGuest<{ data?: ScapiProduct[] }>({
      method: 'GET',
      url: this.url('product/shopper-products', '/products', { ids: ids.join(',') }),
    });
    return res.body.data ?? [];
  }

  /**
   * GET /search/shopper-search/v1/organizations/{org}/product-search?q=&limit= (Shopper Search
   * productSearch: q at most 50 characters, limit 1–200), as the guest shopper.
   * https://developer.salesforce.com/docs/commerce/commerce-api/references/shopper-search?meta=productSearch
   */
  async searchProducts(q: string, limit: number): Promise<ScapiProductSearchResult> {
    const res = await this.asGuest<ScapiProductSearchResult>({
      method: 'GET',
      url: this.url('search/shopper-search', '/product-search', { q: q || undefined, limit }),
    });
    return res.body;
  }

  /** GET /customer/shopper-customers/v1/organizations/{org}/customers/{customerId}. */
  async getCustomer(login: string, customerId: string): Promise<ScapiCustomer> {
    scapiId('customerId', customerId);
    const res = await this.asShopper<ScapiCustomer>(
      login,
      {
        method: 'GET',
        url: this.url('customer/shopper-customers', `/customers/${encodeURIComponent(customerId)}`),
      },
      customerId,
    );
    return res.body;
  }

  /** GET /customer/shopper-customers/v1/organizations/{org}/customers/{customerId}/baskets. */
  async getCustomerBaskets(login: string, customerId: string): Promise<ScapiBasket[]> {
    scapiId('customerId', customerId);
    const res = await this.asShopper<{ baskets?: ScapiBasket[] }>(
      login,
      {
        method: 'GET',
        url: this.url(
          'customer/shopper-customers',
          `/customers/${encodeURIComponent(customerId)}/baskets`,
        ),
      },
      customerId,
    );
    return res.body.baskets ?? [];
  }

  /** GET /customer/shopper-customers/v1/organizations/{org}/customers/{customerId}/orders?limit&offset (limit ≤ 50). */
  async getCustomerOrders(
    login: string,
    customerId: string,
    limit: number,
    offset: number,
  ): Promise<ScapiPage<ScapiOrder>> {
    scapiId('customerId', customerId);
    const res = await this.asShopper<ScapiPage<ScapiOrder>>(
      login,
      {
        method: 'GET',
        url: this.url(
          'customer/shopper-customers',
          `/customers/${encodeURIComponent(customerId)}/orders`,
          { limit: Math.min(limit, MAX_ORDERS_PAGE), offset },
        ),
      },
      customerId,
    );
    return res.body;
  }

  private basketPath(basketId: string, rest = '') {
    return `/baskets/${encodeURIComponent(scapiId('basketId', basketId))}${rest}`;
  }

  private itemPath(basketId: string, itemId: string) {
    return this.basketPath(basketId, `/items/${encodeURIComponent(scapiId('itemId', itemId))}`);
  }

  private paymentPath(basketId: string, paymentInstrumentId: string) {
    const id = scapiId('paymentInstrumentId', paymentInstrumentId);
    return this.basketPath(basketId, `/payment-instruments/${encodeURIComponent(id)}`);
  }

  private basketCall(
    login: string,
    method: string,
    path: string,
    json?: unknown,
    query?: Query,
  ): Promise<ScapiBasket> {
    return this.asShopper<ScapiBasket>(login, {
      method,
      url: this.url('checkout/shopper-baskets', path, query),
      json,
    }).then((r) => r.body);
  }

  /** POST /checkout/shopper-baskets/v1/organizations/{org}/baskets. */
  createBasket(login: string): Promise<ScapiBasket> {
    return this.basketCall(login, 'POST', '/baskets', {});
  }

  /** PATCH /checkout/shopper-baskets/v1/organizations/{org}/baskets/{basketId} (custom c_ attributes). */
  updateBasket(
    login: string,
    basketId: string,
    body: Record<`c_${string}`, unknown>,
  ): Promise<ScapiBasket> {
    return this.basketCall(login, 'PATCH', this.basketPath(basketId), body);
  }

  /** POST /checkout/shopper-baskets/v1/organizations/{org}/baskets/{basketId}/items. */
  addItemToBasket(
    login: string,
    basketId: string,
    items: Array<{ productId: string; quantity: number; [custom: `c_${string}`]: unknown }>,
  ): Promise<ScapiBasket> {
    for (const it of items) scapiId('productId', it.productId);
    return this.basketCall(login, 'POST', this.basketPath(basketId, '/items'), items);
  }

  /** PATCH /checkout/shopper-baskets/v1/organizations/{org}/baskets/{basketId}/items/{itemId}. */
  updateItemInBasket(
    login: string,
    basketId: string,
    itemId: string,
    quantity: number,
  ): Promise<ScapiBasket> {
    return this.basketCall(login, 'PATCH', this.itemPath(basketId, itemId), { quantity });
  }

  /** DELETE /checkout/shopper-baskets/v1/organizations/{org}/baskets/{basketId}/items/{itemId}. */
  removeItemFromBasket(login: string, basketId: string, itemId: string): Promise<ScapiBasket> {
    return this.basketCall(login, 'DELETE', this.itemPath(basketId, itemId));
  }

  /** PUT /checkout/shopper-baskets/v1/organizations/{org}/baskets/{basketId}/shipments/me/shipping-address. */
  updateShippingAddressForShipment(
    login: string,
    basketId: string,
    address: ScapiAddress,
  ): Promise<ScapiBasket> {
    return this.basketCall(
      login,
      'PUT',
      this.basketPath(basketId, '/shipments/me/shipping-address'),
      address,
    );
  }

  /**
   * GET /checkout/shopper-baskets/v1/organizations/{org}/baskets/{basketId}/shipments/me/shipping-methods
   * (getShippingMethodsForShipment): the methods applicable to the shipment and the site's default.
   * https://developer.salesforce.com/docs/commerce/commerce-api/references/shopper-baskets?meta=getShippingMethodsForShipment
   */
  async getShippingMethodsForShipment(
    login: string,
    basketId: string,
  ): Promise<ScapiShippingMethodResult> {
    const res = await this.asShopper<ScapiShippingMethodResult>(login, {
      method: 'GET',
      url: this.url(
        'checkout/shopper-baskets',
        this.basketPath(basketId, '/shipments/me/shipping-methods'),
      ),
    });
    return res.body;
  }

  /**
   * GET /checkout/shopper-baskets/v1/organizations/{org}/baskets/{basketId}/payment-methods
   * (getPaymentMethodsForBasket): the payment methods applicable to the basket.
   * https://developer.salesforce.com/docs/commerce/commerce-api/references/shopper-baskets?meta=getPaymentMethodsForBasket
   */
  async getPaymentMethodsForBasket(
    login: string,
    basketId: string,
  ): Promise<ScapiPaymentMethodResult> {
    const res = await this.asShopper<ScapiPaymentMethodResult>(login, {
      method: 'GET',
      url: this.url('checkout/shopper-baskets', this.basketPath(basketId, '/payment-methods')),
    });
    return res.body;
  }

  /**
   * The payment methods the site offers a guest's basket (npm run org:check): POST /baskets as
   * the private client's guest, getPaymentMethodsForBasket, DELETE the basket — the one write
   * org:check makes, a guest basket it removes. A guest's open basket left by an earlier probe
   * (400 customer-baskets-quota-exceeded names it) is used and removed instead.
   */
  async guestPaymentMethods(): Promise<ScapiPaymentMethodResult> {
    const created = await this.asGuest<ScapiBasket & { basketIds?: string[] }>({
      method: 'POST',
      url: this.url('checkout/shopper-baskets', '/baskets'),
      json: {},
      accept: [400],
    });
    const basketId = created.status === 200 ? created.body.basketId : created.body.basketIds?.[0];
    if (!basketId)
      throw new UpstreamError(
        'scapi',
        created.status,
        (created.body as { type?: string }).type?.split('/').at(-1),
        'a guest basket could not be created',
      );
    try {
      const res = await this.asGuest<ScapiPaymentMethodResult>({
        method: 'GET',
        url: this.url('checkout/shopper-baskets', this.basketPath(basketId, '/payment-methods')),
      });
      return res.body;
    } finally {
      await this.asGuest<unknown>({
        method: 'DELETE',
        url: this.url('checkout/shopper-baskets', this.basketPath(basketId)),
      }).catch(() => undefined);
    }
  }

  /** PUT /checkout/shopper-baskets/v1/organizations/{org}/baskets/{basketId}/shipments/me/shipping-method. */
  updateShippingMethodForShipment(
    login: string,
    basketId: string,
    shippingMethodId: string,
  ): Promise<ScapiBasket> {
    return this.basketCall(
      login,
      'PUT',
      this.basketPath(basketId, '/shipments/me/shipping-method'),
      { id: shippingMethodId },
    );
  }

  /** PUT /checkout/shopper-baskets/v1/organizations/{org}/baskets/{basketId}/billing-address. */
  updateBillingAddressForBasket(
    login: string,
    basketId: string,
    address: ScapiAddress,
  ): Promise<ScapiBasket> {
    return this.basketCall(login, 'PUT', this.basketPath(basketId, '/billing-address'), address);
  }

  /** POST /checkout/shopper-baskets/v1/organizations/{org}/baskets/{basketId}/payment-instruments. */
  addPaymentInstrumentToBasket(
    login: string,
    basketId: string,
    payment: PaymentInstrumentRequest,
  ): Promise<ScapiBasket> {
    return this.basketCall(
      login,
      'POST',
      this.basketPath(basketId, '/payment-instruments'),
      payment,
    );
  }

  /** PATCH /checkout/shopper-baskets/v1/organizations/{org}/baskets/{basketId}/payment-instruments/{paymentInstrumentId}. */
  updatePaymentInstrumentInBasket(
    login: string,
    basketId: string,
    paymentInstrumentId: string,
    payment: PaymentInstrumentRequest,
  ): Promise<ScapiBasket> {
    return this.basketCall(
      login,
      'PATCH',
      this.paymentPath(basketId, paymentInstrumentId),
      payment,
    );
  }

  /** DELETE /checkout/shopper-baskets/v1/organizations/{org}/baskets/{basketId}/payment-instruments/{paymentInstrumentId} (→ 200 Basket). */
  removePaymentInstrumentFromBasket(
    login: string,
    basketId: string,
    paymentInstrumentId: string,
  ): Promise<ScapiBasket> {
    return this.basketCall(login, 'DELETE', this.paymentPath(basketId, paymentInstrumentId));
  }

  /** POST /checkout/shopper-orders/v1/organizations/{org}/orders {basketId}. */
  async createOrder(login: string, basketId: string): Promise<ScapiOrder> {
    scapiId('basketId', basketId);
    const res = await this.asShopper<ScapiOrder>(login, {
      method: 'POST',
      url: this.url('checkout/shopper-orders', '/orders'),
      json: { basketId },
    });
    return res.body;
  }

  /** GET /checkout/shopper-orders/v1/organizations/{org}/orders/{orderNo}; null when not found. */
  async getOrder(login: string, orderNo: string): Promise<ScapiOrder | null> {
    scapiId('orderNo', orderNo);
    const res = await this.asShopper<ScapiOrder>(login, {
      method: 'GET',
      url: this.url('checkout/shopper-orders', `/orders/${encodeURIComponent(orderNo)}`),
      accept: [404],
    });
    return res.status === 404 ? null : res.body;
  }
}
