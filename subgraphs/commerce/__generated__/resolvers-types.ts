import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { CitizenModel, ProductModel, ProductSearchModel, CartModel, LineItemModel, OrderModel } from '../mappers.js';
import type { Context } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** ISO-8601 date and time in UTC, e.g. 2026-03-04T17:21:09.000Z. A string in JSON (codegen: `string`). */
  DateTime: { input: string; output: string; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type AddCartItemInput = {
  /** Client-chosen key (8–80 characters); a retry with the same key adds the item once. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  productId: Scalars['ID']['input'];
  quantity?: Scalars['Int']['input'];
};

export type AddressInput = {
  address1: Scalars['String']['input'];
  city: Scalars['String']['input'];
  countryCode: Scalars['String']['input'];
  firstName: Scalars['String']['input'];
  lastName: Scalars['String']['input'];
  postalCode: Scalars['String']['input'];
  stateCode?: InputMaybe<Scalars['String']['input']>;
};

export type Cart = {
  __typename?: 'Cart';
  id: Scalars['ID']['output'];
  itemCount: Scalars['Int']['output'];
  items: Array<CartItem>;
  orderTotal: Maybe<Money>;
  productTotal: Maybe<Money>;
};

export type CartItem = {
  __typename?: 'CartItem';
  id: Scalars['ID']['output'];
  /** Line price (unit price × quantity). */
  price: Maybe<Money>;
  product: Maybe<Product>;
  quantity: Scalars['Int']['output'];
};

export type CartPayload = {
  __typename?: 'CartPayload';
  cart: Maybe<Cart>;
  userErrors: Array<UserError>;
};

export type CheckoutInput = {
  /** Billing address; defaults to the citizen's address on file. */
  billingAddress?: InputMaybe<AddressInput>;
  /** Client-chosen key (8–80 characters); a retry with the same key returns the same order. */
  idempotencyKey: Scalars['String']['input'];
  payment: PaymentInput;
};

export type CheckoutPayload = {
  __typename?: 'CheckoutPayload';
  order: Maybe<Order>;
  userErrors: Array<UserError>;
};

export type Citizen = {
  __typename?: 'Citizen';
  /** The citizen's active cart, or null when there is none. */
  cart: Maybe<Cart>;
  commerceCustomerId: Scalars['ID']['output'];
  /** Shopper login, provided by the Customer subgraph; SLAS needs it to act for the shopper. */
  commerceLogin: Maybe<Scalars['String']['output']>;
  /** The citizen's orders, newest first; at most 100 per page. Null (with an error at this path) when commerce cannot answer. */
  orders: Maybe<OrderConnection>;
};


export type CitizenOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/**
 * The closed set of `extensions.code` values of GraphQL errors this graph answers (besides Apollo's
 * request-level codes GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, BAD_REQUEST,
 * PERSISTED_QUERY_NOT_FOUND, OPERATION_RESOLUTION_FAILURE). No field has this type: errors carry
 * the code as a string; the enum documents the set and gives codegen a typed union.
 */
export type ErrorCode =
  /** An argument is invalid (e.g. a malformed id); it was not sent to Salesforce. */
  | 'BAD_USER_INPUT'
  /** The operation would cost more Salesforce calls than one request may (HTTP 400). */
  | 'COST_LIMIT_EXCEEDED'
  /** The caller may not do this. */
  | 'FORBIDDEN'
  /** An earlier request with this idempotency key is in flight, or its outcome is not known yet (it timed out after reaching Salesforce). Retryable: send the same request with the same key again after `extensions.retryAfterSeconds`; nothing was written by this attempt. */
  | 'IDEMPOTENCY_KEY_IN_USE'
  /** Unexpected error (details are logged, never sent). */
  | 'INTERNAL_SERVER_ERROR'
  /** The gateway runs trusted documents only: send a persisted document id (HTTP 400). */
  | 'PERSISTED_QUERY_REQUIRED'
  /** Too many calls for this caller, or Salesforce is limiting requests; see `extensions.retryAfterSeconds`. */
  | 'RATE_LIMITED'
  /** No valid bearer token: sign in again or call `refreshSession` (HTTP 401). */
  | 'UNAUTHENTICATED'
  /** A Salesforce service did not answer in time. */
  | 'UPSTREAM_TIMEOUT'
  /** A Salesforce service is unavailable; the rest of the answer may still be there (partial data). */
  | 'UPSTREAM_UNAVAILABLE';

/** An amount of money: `amount` is a decimal string (never a float, to keep cents exact), `currencyCode` ISO 4217. */
export type Money = {
  __typename?: 'Money';
  amount: Scalars['String']['output'];
  currencyCode: Scalars['String']['output'];
};

/**
 * Writes of the Customer 360 graph. Expected business failures are data: every payload has
 * `userErrors { code field message }`, `code` being one of `UserErrorCode`. `createCase`,
 * `addCaseComment`, `addCartItem` and `checkout` take an `idempotencyKey`: a retry with the same
 * key and input returns the same record, never a second one.
 */
export type Mutation = {
  __typename?: 'Mutation';
  /** Cart mutations act for the signed-in citizen. Adds a product to their active cart (creating the cart when there is none). */
  addCartItem: CartPayload;
  /** Turns the active cart into an order. Retrying with the same idempotencyKey returns the same order. */
  checkout: CheckoutPayload;
  removeCartItem: CartPayload;
  /** Changes the quantity of a cart line; quantity 0 removes it. */
  updateCartItem: CartPayload;
};


/**
 * Writes of the Customer 360 graph. Expected business failures are data: every payload has
 * `userErrors { code field message }`, `code` being one of `UserErrorCode`. `createCase`,
 * `addCaseComment`, `addCartItem` and `checkout` take an `idempotencyKey`: a retry with the same
 * key and input returns the same record, never a second one.
 */
export type MutationAddCartItemArgs = {
  input: AddCartItemInput;
};


/**
 * Writes of the Customer 360 graph. Expected business failures are data: every payload has
 * `userErrors { code field message }`, `code` being one of `UserErrorCode`. `createCase`,
 * `addCaseComment`, `addCartItem` and `checkout` take an `idempotencyKey`: a retry with the same
 * key and input returns the same record, never a second one.
 */
export type MutationCheckoutArgs = {
  input: CheckoutInput;
};


/**
 * Writes of the Customer 360 graph. Expected business failures are data: every payload has
 * `userErrors { code field message }`, `code` being one of `UserErrorCode`. `createCase`,
 * `addCaseComment`, `addCartItem` and `checkout` take an `idempotencyKey`: a retry with the same
 * key and input returns the same record, never a second one.
 */
export type MutationRemoveCartItemArgs = {
  input: RemoveCartItemInput;
};


/**
 * Writes of the Customer 360 graph. Expected business failures are data: every payload has
 * `userErrors { code field message }`, `code` being one of `UserErrorCode`. `createCase`,
 * `addCaseComment`, `addCartItem` and `checkout` take an `idempotencyKey`: a retry with the same
 * key and input returns the same record, never a second one.
 */
export type MutationUpdateCartItemArgs = {
  input: UpdateCartItemInput;
};

export type Order = {
  __typename?: 'Order';
  createdAt: Scalars['DateTime']['output'];
  items: Array<OrderItem>;
  orderNo: Scalars['ID']['output'];
  paymentStatus: Maybe<Scalars['String']['output']>;
  /** Whether the shop has placed the order. false while it is only created: the shop's order hook or order management places it (docs/real-org.md, Site prerequisites). */
  placed: Scalars['Boolean']['output'];
  /** B2C Commerce's order status: created (received, not yet placed), new (placed), open, completed, cancelled, replaced or failed. */
  status: Scalars['String']['output'];
  total: Money;
};

export type OrderConnection = {
  __typename?: 'OrderConnection';
  edges: Array<OrderEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type OrderEdge = {
  __typename?: 'OrderEdge';
  cursor: Scalars['String']['output'];
  node: Order;
};

export type OrderItem = {
  __typename?: 'OrderItem';
  id: Scalars['ID']['output'];
  price: Maybe<Money>;
  product: Maybe<Product>;
  quantity: Scalars['Int']['output'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor: Maybe<Scalars['String']['output']>;
};

export type PaymentInput = {
  cardType: Scalars['String']['input'];
  expirationMonth: Scalars['Int']['input'];
  expirationYear: Scalars['Int']['input'];
  holder: Scalars['String']['input'];
  /** Masked number as the payment provider returns it, e.g. ************1111. */
  maskedNumber: Scalars['String']['input'];
  /** The shop's payment method id (e.g. CREDIT_CARD); unset: the service's configured method, or the cart's first applicable method that takes this card type. */
  methodId?: InputMaybe<Scalars['String']['input']>;
};

export type Product = {
  __typename?: 'Product';
  description: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  price: Maybe<Money>;
};

/** The products a `productSearch` found. */
export type ProductSearchResult = {
  __typename?: 'ProductSearchResult';
  /** The first `first` matches, in the search's order. */
  products: Array<Product>;
  /** How many products match in all (more than `products` holds when there are more pages). */
  totalCount: Scalars['Int']['output'];
};

/**
 * The Customer 360 graph: one citizen unified across Salesforce Data Cloud (profile, insights,
 * segments), CRM (cases), B2C Commerce (permits and fees, carts, orders) and Headless Identity
 * (sign-in, registration, password reset).
 *
 * Anonymous callers may read the catalogue (`productSearch` to discover it, `product`, `products`)
 * and sign in, register or reset a password; everything else needs `Authorization: Bearer <accessToken>` from `login`. A missing or
 * forbidden entity is null. Infrastructure failures are GraphQL errors whose `extensions.code` is
 * one of `ErrorCode`.
 */
export type Query = {
  __typename?: 'Query';
  /** A product of the agency's catalogue; null when unknown. */
  product: Maybe<Product>;
  /**
   * Products of the catalogue matching `query` (every word, in the name or description), best match
   * first; without `query`, the catalogue. Public: how to discover product ids. `first` at most 24.
   */
  productSearch: ProductSearchResult;
  /** Products by id, in the order asked; null for unknown ids. At most 100 ids. */
  products: Array<Maybe<Product>>;
};


/**
 * The Customer 360 graph: one citizen unified across Salesforce Data Cloud (profile, insights,
 * segments), CRM (cases), B2C Commerce (permits and fees, carts, orders) and Headless Identity
 * (sign-in, registration, password reset).
 *
 * Anonymous callers may read the catalogue (`productSearch` to discover it, `product`, `products`)
 * and sign in, register or reset a password; everything else needs `Authorization: Bearer <accessToken>` from `login`. A missing or
 * forbidden entity is null. Infrastructure failures are GraphQL errors whose `extensions.code` is
 * one of `ErrorCode`.
 */
export type QueryProductArgs = {
  id: Scalars['ID']['input'];
};


/**
 * The Customer 360 graph: one citizen unified across Salesforce Data Cloud (profile, insights,
 * segments), CRM (cases), B2C Commerce (permits and fees, carts, orders) and Headless Identity
 * (sign-in, registration, password reset).
 *
 * Anonymous callers may read the catalogue (`productSearch` to discover it, `product`, `products`)
 * and sign in, register or reset a password; everything else needs `Authorization: Bearer <accessToken>` from `login`. A missing or
 * forbidden entity is null. Infrastructure failures are GraphQL errors whose `extensions.code` is
 * one of `ErrorCode`.
 */
export type QueryProductSearchArgs = {
  first?: Scalars['Int']['input'];
  query?: InputMaybe<Scalars['String']['input']>;
};


/**
 * The Customer 360 graph: one citizen unified across Salesforce Data Cloud (profile, insights,
 * segments), CRM (cases), B2C Commerce (permits and fees, carts, orders) and Headless Identity
 * (sign-in, registration, password reset).
 *
 * Anonymous callers may read the catalogue (`productSearch` to discover it, `product`, `products`)
 * and sign in, register or reset a password; everything else needs `Authorization: Bearer <accessToken>` from `login`. A missing or
 * forbidden entity is null. Infrastructure failures are GraphQL errors whose `extensions.code` is
 * one of `ErrorCode`.
 */
export type QueryProductsArgs = {
  ids: Array<Scalars['ID']['input']>;
};

export type RemoveCartItemInput = {
  itemId: Scalars['ID']['input'];
};

export type UpdateCartItemInput = {
  itemId: Scalars['ID']['input'];
  quantity: Scalars['Int']['input'];
};

/** An expected business failure: what went wrong, in which input field, in words a person can read. */
export type UserError = {
  __typename?: 'UserError';
  code: Scalars['String']['output'];
  field: Maybe<Array<Scalars['String']['output']>>;
  message: Scalars['String']['output'];
};

/**
 * The codes of `UserError.code` (a closed set; switch on it). The field stays a `String!` so that
 * adding a code is never a breaking change for clients; codegen types it with this enum.
 */
export type UserErrorCode =
  /** Commerce refused to place the order. */
  | 'CHECKOUT_REJECTED'
  /** The cart is empty. */
  | 'EMPTY_CART'
  /** The caller may not do this to that record. */
  | 'FORBIDDEN'
  /** The idempotency key was used before with a different input; nothing changed. */
  | 'IDEMPOTENCY_KEY_REUSED'
  /** The idempotency key must have 8 to 80 characters. */
  | 'INVALID_IDEMPOTENCY_KEY'
  /** The input was rejected. */
  | 'INVALID_INPUT'
  /** The quantity is out of range. */
  | 'INVALID_QUANTITY'
  /** There is no such cart line. */
  | 'ITEM_NOT_FOUND'
  /** A billing address is required. */
  | 'MISSING_ADDRESS'
  /** The citizen has no customer record in the shop (B2C Commerce) yet: no cart, no orders. */
  | 'NO_SHOPPER_ACCOUNT'
  /** The shop does not accept the payment method (the request's, or the one configured), or none of its methods takes a card. */
  | 'PAYMENT_METHOD_REFUSED'
  /** The product is unknown or not available. */
  | 'PRODUCT_NOT_FOUND'
  /** No shipping method applies to the cart, or the shop refused the one configured. */
  | 'SHIPPING_METHOD_REFUSED';

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Citizen: Citizen;
  Order: Order;
  Product: Product;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Citizen:
    ( { __typename: 'Citizen' }
    & GraphQLRecursivePick<FederationTypes['Citizen'], {"commerceCustomerId":true}>
    & ( Record<PropertyKey, never>
        | GraphQLRecursivePick<FederationTypes['Citizen'], {"commerceLogin":true}>
        | GraphQLRecursivePick<FederationTypes['Citizen'], {"commerceLogin":true}>
        | GraphQLRecursivePick<FederationTypes['Citizen'], {"commerceLogin":true}> ) );
  Order:
    ( { __typename: 'Order' }
    & GraphQLRecursivePick<FederationTypes['Order'], {"orderNo":true}> );
  Product:
    ( { __typename: 'Product' }
    & GraphQLRecursivePick<FederationTypes['Product'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AddCartItemInput: AddCartItemInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  AddressInput: AddressInput;
  Cart: ResolverTypeWrapper<CartModel>;
  CartItem: ResolverTypeWrapper<LineItemModel>;
  CartPayload: ResolverTypeWrapper<Omit<CartPayload, 'cart'> & { cart?: Maybe<ResolversTypes['Cart']> }>;
  CheckoutInput: CheckoutInput;
  CheckoutPayload: ResolverTypeWrapper<Omit<CheckoutPayload, 'order'> & { order?: Maybe<ResolversTypes['Order']> }>;
  Citizen: ResolverTypeWrapper<CitizenModel>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  ErrorCode: ErrorCode;
  Money: ResolverTypeWrapper<Money>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Order: ResolverTypeWrapper<OrderModel>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  OrderConnection: ResolverTypeWrapper<Omit<OrderConnection, 'edges'> & { edges: Array<ResolversTypes['OrderEdge']> }>;
  OrderEdge: ResolverTypeWrapper<Omit<OrderEdge, 'node'> & { node: ResolversTypes['Order'] }>;
  OrderItem: ResolverTypeWrapper<LineItemModel>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PaymentInput: PaymentInput;
  Product: ResolverTypeWrapper<ProductModel>;
  ProductSearchResult: ResolverTypeWrapper<ProductSearchModel>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RemoveCartItemInput: RemoveCartItemInput;
  UpdateCartItemInput: UpdateCartItemInput;
  UserError: ResolverTypeWrapper<UserError>;
  UserErrorCode: UserErrorCode;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AddCartItemInput: AddCartItemInput;
  String: Scalars['String']['output'];
  ID: Scalars['ID']['output'];
  AddressInput: AddressInput;
  Cart: CartModel;
  CartItem: LineItemModel;
  CartPayload: Omit<CartPayload, 'cart'> & { cart?: Maybe<ResolversParentTypes['Cart']> };
  CheckoutInput: CheckoutInput;
  CheckoutPayload: Omit<CheckoutPayload, 'order'> & { order?: Maybe<ResolversParentTypes['Order']> };
  Citizen: CitizenModel;
  DateTime: Scalars['DateTime']['output'];
  Money: Money;
  Mutation: Record<PropertyKey, never>;
  Order: OrderModel;
  Boolean: Scalars['Boolean']['output'];
  OrderConnection: Omit<OrderConnection, 'edges'> & { edges: Array<ResolversParentTypes['OrderEdge']> };
  OrderEdge: Omit<OrderEdge, 'node'> & { node: ResolversParentTypes['Order'] };
  OrderItem: LineItemModel;
  PageInfo: PageInfo;
  PaymentInput: PaymentInput;
  Product: ProductModel;
  ProductSearchResult: ProductSearchModel;
  Query: Record<PropertyKey, never>;
  RemoveCartItemInput: RemoveCartItemInput;
  UpdateCartItemInput: UpdateCartItemInput;
  UserError: UserError;
  Int: Scalars['Int']['output'];
}>;

export type UpstreamPageSizeDirectiveArgs = {
  size: Scalars['Int']['input'];
};

export type UpstreamPageSizeDirectiveResolver<Result, Parent, ContextType = Context, Args = UpstreamPageSizeDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type CartResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Cart'] = ResolversParentTypes['Cart']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  itemCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  items?: Resolver<Array<ResolversTypes['CartItem']>, ParentType, ContextType>;
  orderTotal?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  productTotal?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
}>;

export type CartItemResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CartItem'] = ResolversParentTypes['CartItem']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  price?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  product?: Resolver<Maybe<ResolversTypes['Product']>, ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type CartPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CartPayload'] = ResolversParentTypes['CartPayload']> = ResolversObject<{
  cart?: Resolver<Maybe<ResolversTypes['Cart']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type CheckoutPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CheckoutPayload'] = ResolversParentTypes['CheckoutPayload']> = ResolversObject<{
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type CitizenResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Citizen'] = ResolversParentTypes['Citizen'], FederationReferenceType extends FederationReferenceTypes['Citizen'] = FederationReferenceTypes['Citizen']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Citizen']> | FederationReferenceType, FederationReferenceType, ContextType>;
  cart?: Resolver<Maybe<ResolversTypes['Cart']>, ParentType, ContextType>;
  commerceCustomerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  orders?: Resolver<Maybe<ResolversTypes['OrderConnection']>, ParentType, ContextType, RequireFields<CitizenOrdersArgs, 'first'>>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type MoneyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  currencyCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  addCartItem?: Resolver<ResolversTypes['CartPayload'], ParentType, ContextType, RequireFields<MutationAddCartItemArgs, 'input'>>;
  checkout?: Resolver<ResolversTypes['CheckoutPayload'], ParentType, ContextType, RequireFields<MutationCheckoutArgs, 'input'>>;
  removeCartItem?: Resolver<ResolversTypes['CartPayload'], ParentType, ContextType, RequireFields<MutationRemoveCartItemArgs, 'input'>>;
  updateCartItem?: Resolver<ResolversTypes['CartPayload'], ParentType, ContextType, RequireFields<MutationUpdateCartItemArgs, 'input'>>;
}>;

export type OrderResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Order'] = ResolversParentTypes['Order'], FederationReferenceType extends FederationReferenceTypes['Order'] = FederationReferenceTypes['Order']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Order']> | FederationReferenceType, FederationReferenceType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  items?: Resolver<Array<ResolversTypes['OrderItem']>, ParentType, ContextType>;
  orderNo?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  paymentStatus?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  placed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
}>;

export type OrderConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['OrderConnection'] = ResolversParentTypes['OrderConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['OrderEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type OrderEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['OrderEdge'] = ResolversParentTypes['OrderEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Order'], ParentType, ContextType>;
}>;

export type OrderItemResolvers<ContextType = Context, ParentType extends ResolversParentTypes['OrderItem'] = ResolversParentTypes['OrderItem']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  price?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  product?: Resolver<Maybe<ResolversTypes['Product']>, ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  price?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
}>;

export type ProductSearchResultResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProductSearchResult'] = ResolversParentTypes['ProductSearchResult']> = ResolversObject<{
  products?: Resolver<Array<ResolversTypes['Product']>, ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  product?: Resolver<Maybe<ResolversTypes['Product']>, ParentType, ContextType, RequireFields<QueryProductArgs, 'id'>>;
  productSearch?: Resolver<ResolversTypes['ProductSearchResult'], ParentType, ContextType, RequireFields<QueryProductSearchArgs, 'first'>>;
  products?: Resolver<Array<Maybe<ResolversTypes['Product']>>, ParentType, ContextType, RequireFields<QueryProductsArgs, 'ids'>>;
}>;

export type UserErrorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['UserError'] = ResolversParentTypes['UserError']> = ResolversObject<{
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  field?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  Cart?: CartResolvers<ContextType>;
  CartItem?: CartItemResolvers<ContextType>;
  CartPayload?: CartPayloadResolvers<ContextType>;
  CheckoutPayload?: CheckoutPayloadResolvers<ContextType>;
  Citizen?: CitizenResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Order?: OrderResolvers<ContextType>;
  OrderConnection?: OrderConnectionResolvers<ContextType>;
  OrderEdge?: OrderEdgeResolvers<ContextType>;
  OrderItem?: OrderItemResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  ProductSearchResult?: ProductSearchResultResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  UserError?: UserErrorResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = Context> = ResolversObject<{
  upstreamPageSize?: UpstreamPageSizeDirectiveResolver<any, any, ContextType>;
}>;
