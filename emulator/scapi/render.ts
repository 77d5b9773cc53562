// Wire shapes of the Shopper APIs (docs/salesforce/scapi.md#shopper-products to
// scapi.md#shopper-customers): camelCase, numbers for money, ISO-8601 UTC timestamps with
// milliseconds. Only fields a real org sends.
import type { CitizenIdentity } from '../world.js';
import type { CatalogEntry } from './catalog.js';
import { addressOf, iso, totals, type StoredBasket, type StoredOrder } from './store.js';

export function renderProduct(p: CatalogEntry) {
  return {
    id: p.id,
    name: p.name,
    shortDescription: p.description,
    longDescription: `<p>${p.description}</p>`,
    currency: 'USD',
    price: p.price,
    pricePerUnit: p.price,
    type: { item: true },
    inventory: {
      id: 'inventory_m',
      ats: 999999,
      orderable: true,
      backorderable: false,
      preorderable: false,
      stockLevel: 999999,
    },
    primaryCategoryId: p.categoryId,
    minOrderQuantity: 1,
    stepQuantity: 1,
    unit: '',
    c_agencyCategory: p.categoryId,
  };
}

export function renderBasket(b: StoredBasket, products: Map<string, CatalogEntry>) {
  const t = totals(b, products);
  const productItems = b.items.map((it) => {
    const p = products.get(it.productId);
    const unit = p?.price ?? 0;
    const price = Math.round(unit * it.quantity * 100) / 100;
    return {
      adjustedTax: 0,
      basePrice: unit,
      bonusProductLineItem: false,
      gift: false,
      itemId: it.itemId,
      itemText: p?.name ?? it.productId,
      price,
      priceAfterItemDiscount: price,
      priceAfterOrderDiscount: price,
      productId: it.productId,
      productName: p?.name ?? it.productId,
      quantity: it.quantity,
      shipmentId: 'me',
      tax: 0,
      taxBasis: price,
      taxClassId: 'exempt',
      taxRate: 0,
      ...it.custom,
    };
  });
  return {
    adjustedMerchandizeTotalTax: 0,
    adjustedShippingTotalTax: 0,
    agentBasket: false,
    basketId: b.basketId,
    billingAddress: b.billingAddress,
    channelType: 'storefront',
    creationDate: iso(b.creationDate),
    currency: 'USD',
    customerInfo: {
      customerId: b.customerId,
      ...(b.customerNo ? { customerNo: b.customerNo } : {}),
      ...(b.email ? { email: b.email } : {}),
      ...(b.customerName ? { customerName: b.customerName } : {}),
    },
    lastModified: iso(b.lastModified),
    merchandizeTotalTax: 0,
    orderTotal: t.orderTotal,
    paymentInstruments: b.payments.map((p) => ({
      ...p,
      paymentCard: p.paymentCard ? { creditCardExpired: false, ...p.paymentCard } : undefined,
    })),
    productItems,
    productSubTotal: t.productSubTotal,
    productTotal: t.productTotal,
    shipments: [
      {
        adjustedMerchandizeTotalTax: 0,
        adjustedShippingTotalTax: 0,
        gift: false,
        merchandizeTotalTax: 0,
        productSubTotal: t.productSubTotal,
        productTotal: t.productTotal,
        shipmentId: 'me',
        shipmentTotal: t.orderTotal,
        shippingAddress: b.shippingAddress,
        shippingMethod: {
          id: t.shipping.id,
          name: t.shipping.name,
          description: t.shipping.description,
          price: t.shipping.price,
        },
        shippingStatus: 'not_shipped',
        shippingTotal: t.shippingTotal,
        shippingTotalTax: 0,
        taxTotal: t.taxTotal,
      },
    ],
    shippingItems: [
      {
        itemId: `sh${b.basketId.slice(2, 12)}`,
        itemText: 'Shipping',
        price: t.shippingTotal,
        priceAfterItemDiscount: t.shippingTotal,
        shipmentId: 'me',
        tax: 0,
        taxBasis: t.shippingTotal,
        taxClassId: 'exempt',
        taxRate: 0,
      },
    ],
    shippingTotal: t.shippingTotal,
    shippingTotalTax: 0,
    taxation: 'gross',
    taxTotal: t.taxTotal,
    ...b.custom,
  };
}

export function renderOrder(o: StoredOrder, products: Map<string, CatalogEntry>, siteId: string) {
  const { basketId: _omit, ...rest } = renderBasket(o.basket, products);
  // The basket's own custom attributes are replaced by those the order carries.
  const fields: Record<string, unknown> = rest;
  for (const k of Object.keys(o.basket.custom)) delete fields[k];
  return {
    ...rest,
    ...o.custom,
    confirmationStatus: o.confirmationStatus,
    createdBy: 'Customer',
    creationDate: iso(o.creationDate),
    customerName: o.basket.customerName,
    exportStatus: o.exportStatus,
    guest: !o.basket.customerNo,
    lastModified: iso(o.creationDate),
    orderNo: o.orderNo,
    orderToken: o.orderToken,
    paymentStatus: o.paymentStatus,
    shippingStatus: o.shippingStatus,
    siteId,
    status: o.status,
    taxRoundedAtGroup: false,
  };
}

export function renderCustomer(c: CitizenIdentity, now: Date) {
  return {
    addresses: [{ addressId: 'home', preferred: true, ...addressOf(c) }],
    authType: 'registered',
    birthday: c.birthDate,
    creationDate: iso(c.createdAt),
    customerId: c.commerceCustomerId,
    customerNo: c.customerNo,
    email: c.email,
    enabled: true,
    firstName: c.firstName,
    lastLoginTime: iso(now),
    lastModified: iso(c.createdAt),
    lastName: c.lastName,
    login: c.email,
    paymentInstruments: [],
    phoneHome: c.phone,
  };
}
