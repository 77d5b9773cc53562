// The Commerce side of the world: products, registered customers, baskets and orders.
// Customers are indexed on first use (two Maps); their historic orders and active basket are
// materialised lazily, on the first call that needs them, from a per-customer PRNG — so seeding
// costs nothing for any world size and every machine sees the same data.
import type { EmulatorCore } from '../core/emulator-core.js';
import { createRandom, isoDateTime } from '../ids.js';
import type { CitizenIdentity } from '../world.js';
import {
  CATALOG,
  PAYMENT_METHODS,
  SHIPPING_METHODS,
  type CatalogEntry,
  type PaymentMethod,
  type ShippingMethod,
} from './catalog.js';

export interface OrderAddress {
  id?: string;
  firstName?: string;
  lastName?: string;
  fullName?: string;
  address1?: string;
  address2?: string;
  city?: string;
  postalCode?: string;
  stateCode?: string;
  countryCode?: string;
  phone?: string;
  [key: string]: unknown;
}

/**
 * The SCAPI documents whose custom attributes (c_*) the emulated org declares. In Business
 * Manager these are attributes of the system objects Basket, ProductLineItem and Order.
 */
export type CustomAttributeObject = 'Basket' | 'ProductItem' | 'Order';

/**
 * The org contract's custom attributes: what the demo org declares in Business Manager. The
 * product writes `c_idempotencyKey` on the basket (SCAPI copies it onto the order) and on
 * product items (subgraphs/commerce/config.ts). Change with ScapiStore.declareCustomAttributes.
 */
export const DEFAULT_CUSTOM_ATTRIBUTES: Readonly<Record<CustomAttributeObject, readonly string[]>> =
  {
    Basket: ['c_idempotencyKey'],
    ProductItem: ['c_idempotencyKey'],
    Order: ['c_idempotencyKey'],
  };

export interface StoredItem {
  itemId: string;
  productId: string;
  quantity: number;
  /** Custom attributes (c_*) sent with the item. */
  custom?: Record<string, unknown>;
}

export interface StoredPayment {
  paymentInstrumentId: string;
  paymentMethodId: string;
  amount?: number;
  paymentCard?: Record<string, unknown>;
}

export interface StoredBasket {
  basketId: string;
  customerId: string;
  customerNo?: string;
  email?: string;
  customerName?: string;
  creationDate: Date;
  lastModified: Date;
  items: StoredItem[];
  shippingAddress?: OrderAddress;
  shippingMethodId: string;
  billingAddress?: OrderAddress;
  payments: StoredPayment[];
  /** Custom attributes (c_*), copied onto the order. */
  custom: Record<string, unknown>;
}

export interface StoredOrder {
  orderNo: string;
  basket: StoredBasket;
  status: string;
  paymentStatus: string;
  confirmationStatus: string;
  exportStatus: string;
  shippingStatus: string;
  creationDate: Date;
  orderToken: string;
  /** Custom attributes copied from the basket: those declared on Order too. */
  custom: Record<string, unknown>;
}

interface CustomerState {
  orders: StoredOrder[]; // newest first
  basketId?: string;
}

export class ScapiStore {
  readonly products = new Map<string, CatalogEntry>(CATALOG.map((p) => [p.id, p]));
  private byCustomerIdIndex?: Map<string, CitizenIdentity>;
  private byLoginIndex?: Map<string, CitizenIdentity>;
  private readonly state = new Map<string, CustomerState>();
  readonly baskets = new Map<string, StoredBasket>();
  readonly orders = new Map<string, StoredOrder>();
  private seq = 0;
  private orderSeq: number;
  /** Declared custom attributes per document (the org's Business Manager configuration). */
  readonly customAttributes: Record<CustomAttributeObject, Set<string>> = {
    Basket: new Set(DEFAULT_CUSTOM_ATTRIBUTES.Basket),
    ProductItem: new Set(DEFAULT_CUSTOM_ATTRIBUTES.ProductItem),
    Order: new Set(DEFAULT_CUSTOM_ATTRIBUTES.Order),
  };

  /**
   * The site's shipping methods (Business Manager → Merchant Tools → Ordering → Shipping Methods):
   * the ids applicable to a shipment, and the site's default. Site data, not a constant: tests
   * change them (setShippingMethods) to play a site whose methods differ.
   */
  private shipping = {
    applicable: SHIPPING_METHODS.map((m) => m.id) as string[],
    defaultId: SHIPPING_METHODS[0].id,
  };

  /**
   * The site's active payment methods (ids of PAYMENT_METHODS): what getPaymentMethodsForBasket
   * answers and the only ids a payment instrument may name. Site data: tests change it.
   */
  private payment: string[] = PAYMENT_METHODS.map((m) => m.id);

  /**
   * Whether the site's cartridge places the orders Shopper Orders creates: a
   * dw.ocapi.shop.order.afterPOST hook that authorizes the payment and calls OrderMgr.placeOrder
   * (CREATED → NEW), then confirms the order and marks it ready for export, as SFRA's placeOrder
   * does. Without one (SCAPI alone, and this emulator's default) the order stays `created`:
   * "created in the system but not yet placed" (Orders API, order status).
   * https://developer.salesforce.com/docs/commerce/commerce-api/guide/hook-method-details.html
   * https://developer.salesforce.com/docs/commerce/commerce-api/references/orders?meta=updateOrderStatus
   * https://salesforcecommercecloud.github.io/b2c-dev-doc/docs/current/pipeletapi/html/api/pipelet.PlaceOrder.html
   */
  placesOrders = false;

  constructor(readonly core: EmulatorCore) {
    // Historic order numbers are index*3+k+1; new ones follow after the last possible historic one.
    this.orderSeq = core.world.citizens.length * 3 + 1;
  }

  /** Customer indexes, built on first use so that seeding itself costs nothing. */
  private get byCustomerId(): Map<string, CitizenIdentity> {
    if (!this.byCustomerIdIndex) {
      this.byCustomerIdIndex = new Map();
      for (const c of this.core.world.citizens) this.byCustomerIdIndex.set(c.commerceCustomerId, c);
    }
    return this.byCustomerIdIndex;
  }

  private get byLogin(): Map<string, CitizenIdentity> {
    if (!this.byLoginIndex) {
      this.byLoginIndex = new Map();
      for (const c of this.core.world.citizens) this.byLoginIndex.set(c.email.toLowerCase(), c);
    }
    return this.byLoginIndex;
  }

  /** Replaces the site's applicable shipping methods (ids of SHIPPING_METHODS) and its default. */
  setShippingMethods(applicable: readonly string[], defaultId: string): void {
    this.shipping = { applicable: [...applicable], defaultId };
  }

  /** The shipping methods applicable to a shipment (every shipment here: one site-wide list). */
  applicableShippingMethods(): ShippingMethod[] {
    return SHIPPING_METHODS.filter((m) => this.shipping.applicable.includes(m.id));
  }

  /** Replaces the site's active payment methods (ids of PAYMENT_METHODS). */
  setPaymentMethods(ids: readonly string[]): void {
    this.payment = [...ids];
  }

  /** The payment methods applicable to a basket (here: the site's active ones). */
  applicablePaymentMethods(): PaymentMethod[] {
    return PAYMENT_METHODS.filter((m) => this.payment.includes(m.id));
  }

  get defaultShippingMethodId(): string {
    return this.shipping.defaultId;
  }

  /** Replaces the custom attributes the org declares on one document. */
  declareCustomAttributes(object: CustomAttributeObject, names: readonly string[]): void {
    this.customAttributes[object] = new Set(names);
  }

  /** The first c_* key of `value` that is not declared on `object`, if any. */
  undeclaredAttribute(object: CustomAttributeObject, value: unknown): string | undefined {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    return Object.keys(value).find(
      (k) => k.startsWith('c_') && !this.customAttributes[object].has(k),
    );
  }

  citizenByLogin(login: string): CitizenIdentity | undefined {
    return this.byLogin.get(login.toLowerCase());
  }

  citizenById(customerId: string): CitizenIdentity | undefined {
    return this.byCustomerId.get(customerId);
  }

  newId(prefix: string): string {
    const n = (++this.seq).toString(36);
    return prefix + createRandom(this.seq * 7919).letters(24 - n.length) + n;
  }

  /** Customer state, materialising the seeded orders and basket of a registered customer. */
  customerState(customerId: string): CustomerState {
    let s = this.state.get(customerId);
    if (s) return s;
    s = { orders: [] };
    this.state.set(customerId, s);
    const citizen = this.byCustomerId.get(customerId);
    if (citizen) this.materialise(citizen, s);
    return s;
  }

  private materialise(c: CitizenIdentity, s: CustomerState) {
    const rnd = createRandom(this.core.world.seed * 1_000_003 + c.index);
    const now = this.core.world.now.getTime();
    const orderCount = rnd.int(0, 3);
    for (let k = orderCount - 1; k >= 0; k--) {
      const created = new Date(now - (k * 90 + rnd.int(1, 80)) * 86_400_000);
      const basket = this.blankBasket(c, `bh${c.commerceCustomerId.slice(2)}${k}`, created);
      basket.items = this.randomItems(rnd);
      basket.shippingAddress = addressOf(c);
      basket.billingAddress = addressOf(c);
      basket.payments = [
        {
          paymentInstrumentId: `pi${c.index}x${k}`,
          paymentMethodId: 'CREDIT_CARD',
          paymentCard: card(c),
        },
      ];
      const order: StoredOrder = {
        orderNo: String(c.index * 3 + k + 1).padStart(8, '0'),
        basket,
        status: k === 0 && rnd.chance(0.3) ? 'new' : 'completed',
        paymentStatus: 'paid',
        confirmationStatus: 'confirmed',
        exportStatus: 'exported',
        shippingStatus: 'shipped',
        creationDate: created,
        orderToken: rnd.letters(32),
        custom: {},
      };
      order.basket.payments[0].amount = totals(order.basket).orderTotal;
      s.orders.unshift(order);
      this.orders.set(order.orderNo, order);
    }
    s.orders.sort((a, b) => b.creationDate.getTime() - a.creationDate.getTime());
    if (rnd.chance(0.5)) {
      const basket = this.blankBasket(
        c,
        `bc${c.commerceCustomerId.slice(2)}`,
        new Date(now - rnd.int(1, 20) * 86_400_000),
      );
      basket.items = this.randomItems(rnd);
      this.baskets.set(basket.basketId, basket);
      s.basketId = basket.basketId;
    }
  }

  private randomItems(rnd: ReturnType<typeof createRandom>): StoredItem[] {
    const items: StoredItem[] = [];
    const n = rnd.int(1, 3);
    for (let i = 0; i < n; i++) {
      const p = CATALOG[rnd.int(0, CATALOG.length - 1)];
      if (items.some((it) => it.productId === p.id)) continue;
      items.push({ itemId: `it${rnd.letters(24)}`, productId: p.id, quantity: rnd.int(1, 2) });
    }
    return items;
  }

  blankBasket(
    c: CitizenIdentity | undefined,
    basketId: string,
    created: Date,
    guestCustomerId?: string,
  ): StoredBasket {
    return {
      basketId,
      customerId: c?.commerceCustomerId ?? guestCustomerId ?? '',
      customerNo: c?.customerNo,
      email: c?.email,
      customerName: c ? `${c.firstName} ${c.lastName}` : undefined,
      creationDate: created,
      lastModified: created,
      items: [],
      shippingMethodId: this.shipping.defaultId,
      payments: [],
      custom: {},
    };
  }

  /** Looks a basket up, materialising its owner if the id is a seeded one. */
  basket(basketId: string): StoredBasket | undefined {
    if (!this.baskets.has(basketId) && basketId.startsWith('bc'))
      this.customerState(`ab${basketId.slice(2)}`);
    return this.baskets.get(basketId);
  }

  order(orderNo: string): StoredOrder | undefined {
    if (!this.orders.has(orderNo) && /^\d{1,12}$/.test(orderNo)) {
      const n = Number(orderNo) - 1;
      const c = this.core.world.citizens[Math.floor(n / 3)];
      if (c) this.customerState(c.commerceCustomerId);
    }
    return this.orders.get(orderNo);
  }

  openBasketOf(customerId: string): StoredBasket | undefined {
    const id = this.customerState(customerId).basketId;
    return id ? this.baskets.get(id) : undefined;
  }

  createBasket(customerId: string, guest: boolean): StoredBasket {
    const s = this.customerState(customerId);
    const c = guest ? undefined : this.byCustomerId.get(customerId);
    const basket = this.blankBasket(c, this.newId('bn'), new Date(), customerId);
    this.baskets.set(basket.basketId, basket);
    s.basketId = basket.basketId;
    return basket;
  }

  deleteBasket(basket: StoredBasket) {
    this.baskets.delete(basket.basketId);
    const s = this.customerState(basket.customerId);
    if (s.basketId === basket.basketId) s.basketId = undefined;
  }

  placeOrder(basket: StoredBasket): StoredOrder {
    const orderNo = String(this.orderSeq++).padStart(8, '0');
    const order: StoredOrder = {
      orderNo,
      basket,
      status: this.placesOrders ? 'new' : 'created',
      paymentStatus: 'not_paid',
      confirmationStatus: this.placesOrders ? 'confirmed' : 'not_confirmed',
      exportStatus: this.placesOrders ? 'ready' : 'not_exported',
      shippingStatus: 'not_shipped',
      creationDate: new Date(),
      orderToken: createRandom(this.orderSeq).letters(32),
      // The order gets the basket's custom attributes that Order declares too (UNCONFIRMED:
      // B2C Commerce copies basket attributes to the order by attribute id; an attribute that
      // exists only on Basket has nowhere to go).
      custom: Object.fromEntries(
        Object.entries(basket.custom).filter(([k]) => this.customAttributes.Order.has(k)),
      ),
    };
    this.deleteBasket(basket);
    this.orders.set(orderNo, order);
    this.customerState(basket.customerId).orders.unshift(order);
    return order;
  }

  ordersOf(customerId: string): StoredOrder[] {
    return this.customerState(customerId).orders;
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function totals(b: StoredBasket, products = new Map(CATALOG.map((p) => [p.id, p]))) {
  const productSubTotal = round2(
    b.items.reduce((sum, it) => sum + (products.get(it.productId)?.price ?? 0) * it.quantity, 0),
  );
  const shipping = SHIPPING_METHODS.find((m) => m.id === b.shippingMethodId) ?? SHIPPING_METHODS[0];
  const shippingTotal = b.items.length ? shipping.price : 0;
  // Government fees carry no sales tax; the fields are still calculated and sent.
  const taxTotal = 0;
  return {
    productSubTotal,
    productTotal: productSubTotal,
    shippingTotal,
    taxTotal,
    orderTotal: round2(productSubTotal + shippingTotal + taxTotal),
    shipping,
  };
}

export function addressOf(c: CitizenIdentity): OrderAddress {
  return {
    firstName: c.firstName,
    lastName: c.lastName,
    fullName: `${c.firstName} ${c.lastName}`,
    address1: c.street,
    city: c.city,
    postalCode: c.postalCode,
    stateCode: c.stateCode,
    countryCode: c.countryCode,
    phone: c.phone,
  };
}

function card(c: CitizenIdentity) {
  return {
    cardType: 'Visa',
    maskedNumber: '************1111',
    holder: `${c.firstName} ${c.lastName}`,
    expirationMonth: 12,
    expirationYear: 2030,
  };
}

export const iso = isoDateTime;

export function setScapiStore(core: EmulatorCore, store: ScapiStore) {
  core.families.scapi = store;
}

export function scapiStore(core: EmulatorCore): ScapiStore {
  return (core.families.scapi ??= new ScapiStore(core));
}
