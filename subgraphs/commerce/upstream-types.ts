// The SCAPI and SLAS wire shapes this subgraph reads (docs/salesforce/scapi.md#slas to
// scapi.md#shopper-customers), the subset it uses. Field names are the real ones; everything
// not listed here is ignored. mappers.ts names the models the resolvers work on.
export interface SlasTokenResponse {
  access_token: string;
  refresh_token: string;
  refresh_token_expires_in?: number;
  expires_in: number;
  customer_id: string;
  usid: string;
}

export interface ScapiProduct {
  id: string;
  name?: string;
  shortDescription?: string;
  longDescription?: string;
  price?: number;
  currency?: string;
}

/** Shopper Search productSearch's ProductSearchResult (the parts we read). */
export interface ScapiProductSearchResult {
  hits?: Array<{ productId: string; productName?: string }>;
  total: number;
}

export interface ScapiProductItem {
  itemId: string;
  productId: string;
  productName?: string;
  quantity: number;
  price?: number;
  basePrice?: number;
  /** Custom attributes, e.g. the addCartItem requests that added to this line (config.customAttributes). */
  [custom: `c_${string}`]: unknown;
}

export interface ScapiPaymentInstrument {
  paymentInstrumentId: string;
  paymentMethodId?: string;
  amount?: number;
  paymentCard?: {
    cardType?: string;
    holder?: string;
    maskedNumber?: string;
    expirationMonth?: number;
    expirationYear?: number;
  };
}

export interface ScapiAddress {
  firstName?: string;
  lastName?: string;
  address1?: string;
  city?: string;
  postalCode?: string;
  stateCode?: string;
  countryCode?: string;
  phone?: string;
}

export interface ScapiBasket {
  basketId: string;
  currency?: string;
  customerInfo?: { customerId?: string; email?: string };
  productItems?: ScapiProductItem[];
  productTotal?: number | null;
  orderTotal?: number | null;
  billingAddress?: ScapiAddress;
  paymentInstruments?: ScapiPaymentInstrument[];
  shipments?: Array<{ shipmentId: string; shippingMethod?: { id?: string } }>;
  [custom: `c_${string}`]: unknown;
}

export interface ScapiOrder {
  orderNo: string;
  status: string;
  paymentStatus?: string;
  creationDate: string;
  currency?: string;
  orderTotal?: number;
  customerInfo?: { customerId?: string };
  productItems?: ScapiProductItem[];
  [custom: `c_${string}`]: unknown;
}

export interface ScapiCustomer {
  customerId: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  addresses?: Array<ScapiAddress & { preferred?: boolean }>;
}

export interface ScapiPage<T> {
  limit: number;
  offset: number;
  total: number;
  data?: T[];
}

/**
 * Shopper Baskets getShippingMethodsForShipment's ShippingMethodResult.
 * https://developer.salesforce.com/docs/commerce/commerce-api/references/shopper-baskets?meta=getShippingMethodsForShipment
 */
/** Shopper Baskets PaymentMethodResult (getPaymentMethodsForBasket). */
export interface ScapiPaymentMethodResult {
  applicablePaymentMethods?: Array<{
    id: string;
    name?: string;
    cards?: Array<{ cardType: string; name?: string }>;
    paymentProcessorId?: string;
  }>;
}

export interface ScapiShippingMethodResult {
  applicableShippingMethods?: Array<{ id: string; name?: string; price?: number }>;
  defaultShippingMethodId?: string;
}
