import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { CitizenModel, SegmentModel, CitizenConnectionModel } from '../mappers.js';
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

/** A person known to the agency, unified across CRM, Commerce and Identity by Data Cloud. */
export type Citizen = {
  __typename?: 'Citizen';
  address: Maybe<PostalAddress>;
  /** B2C Commerce customer id (from the identity-resolution link to the Commerce source record). */
  commerceCustomerId: Maybe<Scalars['ID']['output']>;
  /**
   * The login of the citizen's Commerce customer profile (a Data Cloud party identification).
   * Internal: the Commerce subgraph needs it to act for the shopper; hidden from the public graph.
   */
  commerceLogin: Maybe<Scalars['String']['output']>;
  /** CRM Contact id (from the identity-resolution link to the CRM source record). */
  contactId: Maybe<Scalars['ID']['output']>;
  /** First and last name, or the email address when no name is known. */
  displayName: Scalars['String']['output'];
  email: Maybe<Scalars['String']['output']>;
  firstName: Maybe<Scalars['String']['output']>;
  /** Data Cloud unified individual id. */
  id: Scalars['ID']['output'];
  /** Calculated insights for this citizen. */
  insights: Maybe<CitizenInsights>;
  lastName: Maybe<Scalars['String']['output']>;
  phone: Maybe<Scalars['String']['output']>;
  /** The segments this citizen is currently a member of. */
  segments: Array<Segment>;
};

export type CitizenConnection = {
  __typename?: 'CitizenConnection';
  edges: Array<CitizenEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type CitizenEdge = {
  __typename?: 'CitizenEdge';
  cursor: Scalars['String']['output'];
  node: Citizen;
};

/** One change to a citizen: re-read what you show of them from `citizen`. */
export type CitizenEvent = {
  __typename?: 'CitizenEvent';
  /** When Data Cloud made the change. */
  changedAt: Maybe<Scalars['DateTime']['output']>;
  /** Citizen fields that changed (e.g. firstName, insights). */
  changedFields: Array<Scalars['String']['output']>;
  /** The citizen after the change. */
  citizen: Maybe<Citizen>;
  kind: CitizenEventKind;
};

/** What changed about a citizen. */
export type CitizenEventKind =
  /** A calculated insight was refreshed (benefit eligibility, engagement score, lifetime value). */
  | 'INSIGHT_CHANGED'
  /** Profile fields changed (see changedFields). */
  | 'PROFILE_CHANGED';

export type CitizenInsights = {
  __typename?: 'CitizenInsights';
  /** Benefit eligibility band: ELIGIBLE, REVIEW or INELIGIBLE. */
  benefitEligibility: Maybe<Scalars['String']['output']>;
  /** Engagement score from 0 to 100. */
  engagementScore: Maybe<Scalars['Float']['output']>;
  /** Total spent on permits, licences and fees. */
  lifetimeValue: Maybe<Money>;
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

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor: Maybe<Scalars['String']['output']>;
};

export type PostalAddress = {
  __typename?: 'PostalAddress';
  city: Maybe<Scalars['String']['output']>;
  countryCode: Maybe<Scalars['String']['output']>;
  postalCode: Maybe<Scalars['String']['output']>;
  stateCode: Maybe<Scalars['String']['output']>;
  street: Maybe<Scalars['String']['output']>;
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
  /** A unified citizen by Data Cloud unified individual id. Null when there is none (or you may not see it). */
  citizen: Maybe<Citizen>;
  /** A Data Cloud segment by API name (agents only). */
  segment: Maybe<Segment>;
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
export type QueryCitizenArgs = {
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
export type QuerySegmentArgs = {
  apiName: Scalars['String']['input'];
};

export type Segment = {
  __typename?: 'Segment';
  apiName: Scalars['String']['output'];
  description: Maybe<Scalars['String']['output']>;
  /** Members, at most 100 per page. */
  members: CitizenConnection;
  name: Scalars['String']['output'];
};


export type SegmentMembersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/**
 * Live updates. Served over GraphQL over WebSocket (graphql-ws), SSE and multipart HTTP on the
 * gateway's /graphql; `citizen` in each event resolves as `Query.citizen` would.
 */
export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Changes to a citizen's unified profile or calculated insights, as Data Cloud publishes them
   * (the org's Data Cloud-Triggered Flow). A citizen follows only themselves (`id` omitted or their
   * own); an agent follows the citizen `id`, or every citizen without it.
   */
  citizenUpdated: CitizenEvent;
};


/**
 * Live updates. Served over GraphQL over WebSocket (graphql-ws), SSE and multipart HTTP on the
 * gateway's /graphql; `citizen` in each event resolves as `Query.citizen` would.
 */
export type SubscriptionCitizenUpdatedArgs = {
  id?: InputMaybe<Scalars['ID']['input']>;
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
  /** The caller may not do this to that record. */
  | 'FORBIDDEN'
  /** The idempotency key was used before with a different input; nothing changed. */
  | 'IDEMPOTENCY_KEY_REUSED'
  /** The idempotency key must have 8 to 80 characters. */
  | 'INVALID_IDEMPOTENCY_KEY'
  /** The input was rejected. */
  | 'INVALID_INPUT';

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
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Citizen:
    ( { __typename: 'Citizen' }
    & ( GraphQLRecursivePick<FederationTypes['Citizen'], {"id":true}>
        | GraphQLRecursivePick<FederationTypes['Citizen'], {"contactId":true}>
        | GraphQLRecursivePick<FederationTypes['Citizen'], {"commerceCustomerId":true}> ) );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Citizen: ResolverTypeWrapper<CitizenModel>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  CitizenConnection: ResolverTypeWrapper<CitizenConnectionModel>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  CitizenEdge: ResolverTypeWrapper<Omit<CitizenEdge, 'node'> & { node: ResolversTypes['Citizen'] }>;
  CitizenEvent: ResolverTypeWrapper<Omit<CitizenEvent, 'citizen'> & { citizen?: Maybe<ResolversTypes['Citizen']> }>;
  CitizenEventKind: CitizenEventKind;
  CitizenInsights: ResolverTypeWrapper<CitizenInsights>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  ErrorCode: ErrorCode;
  Money: ResolverTypeWrapper<Money>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  PostalAddress: ResolverTypeWrapper<PostalAddress>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Segment: ResolverTypeWrapper<SegmentModel>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  UserError: ResolverTypeWrapper<UserError>;
  UserErrorCode: UserErrorCode;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Citizen: CitizenModel;
  ID: Scalars['ID']['output'];
  String: Scalars['String']['output'];
  CitizenConnection: CitizenConnectionModel;
  Int: Scalars['Int']['output'];
  CitizenEdge: Omit<CitizenEdge, 'node'> & { node: ResolversParentTypes['Citizen'] };
  CitizenEvent: Omit<CitizenEvent, 'citizen'> & { citizen?: Maybe<ResolversParentTypes['Citizen']> };
  CitizenInsights: CitizenInsights;
  Float: Scalars['Float']['output'];
  DateTime: Scalars['DateTime']['output'];
  Money: Money;
  PageInfo: PageInfo;
  Boolean: Scalars['Boolean']['output'];
  PostalAddress: PostalAddress;
  Query: Record<PropertyKey, never>;
  Segment: SegmentModel;
  Subscription: Record<PropertyKey, never>;
  UserError: UserError;
}>;

export type CitizenResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Citizen'] = ResolversParentTypes['Citizen'], FederationReferenceType extends FederationReferenceTypes['Citizen'] = FederationReferenceTypes['Citizen']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Citizen']> | FederationReferenceType, FederationReferenceType, ContextType>;
  address?: Resolver<Maybe<ResolversTypes['PostalAddress']>, ParentType, ContextType>;
  commerceCustomerId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  commerceLogin?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  contactId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  displayName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  firstName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  insights?: Resolver<Maybe<ResolversTypes['CitizenInsights']>, ParentType, ContextType>;
  lastName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  phone?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  segments?: Resolver<Array<ResolversTypes['Segment']>, ParentType, ContextType>;
}>;

export type CitizenConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CitizenConnection'] = ResolversParentTypes['CitizenConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['CitizenEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type CitizenEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CitizenEdge'] = ResolversParentTypes['CitizenEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Citizen'], ParentType, ContextType>;
}>;

export type CitizenEventResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CitizenEvent'] = ResolversParentTypes['CitizenEvent']> = ResolversObject<{
  changedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  changedFields?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  citizen?: Resolver<Maybe<ResolversTypes['Citizen']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['CitizenEventKind'], ParentType, ContextType>;
}>;

export type CitizenInsightsResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CitizenInsights'] = ResolversParentTypes['CitizenInsights']> = ResolversObject<{
  benefitEligibility?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  engagementScore?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  lifetimeValue?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type MoneyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  currencyCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type PostalAddressResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PostalAddress'] = ResolversParentTypes['PostalAddress']> = ResolversObject<{
  city?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  countryCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  postalCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  stateCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  street?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  citizen?: Resolver<Maybe<ResolversTypes['Citizen']>, ParentType, ContextType, RequireFields<QueryCitizenArgs, 'id'>>;
  segment?: Resolver<Maybe<ResolversTypes['Segment']>, ParentType, ContextType, RequireFields<QuerySegmentArgs, 'apiName'>>;
}>;

export type SegmentResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Segment'] = ResolversParentTypes['Segment']> = ResolversObject<{
  apiName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  members?: Resolver<ResolversTypes['CitizenConnection'], ParentType, ContextType, RequireFields<SegmentMembersArgs, 'first'>>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type SubscriptionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  citizenUpdated?: SubscriptionResolver<ResolversTypes['CitizenEvent'], "citizenUpdated", ParentType, ContextType, Partial<SubscriptionCitizenUpdatedArgs>>;
}>;

export type UserErrorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['UserError'] = ResolversParentTypes['UserError']> = ResolversObject<{
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  field?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  Citizen?: CitizenResolvers<ContextType>;
  CitizenConnection?: CitizenConnectionResolvers<ContextType>;
  CitizenEdge?: CitizenEdgeResolvers<ContextType>;
  CitizenEvent?: CitizenEventResolvers<ContextType>;
  CitizenInsights?: CitizenInsightsResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Money?: MoneyResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  PostalAddress?: PostalAddressResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Segment?: SegmentResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  UserError?: UserErrorResolvers<ContextType>;
}>;

