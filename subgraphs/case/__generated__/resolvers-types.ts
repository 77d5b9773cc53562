import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { CaseModel, CaseCommentModel, CitizenModel } from '../mappers.js';
import type { CaseEventModel } from '../case-updated.js';
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

export type AddCaseCommentInput = {
  body: Scalars['String']['input'];
  caseId: Scalars['ID']['input'];
  /** Client-chosen key (8–80 characters); a retry with the same key adds the comment once. */
  idempotencyKey: Scalars['String']['input'];
};

export type AddCaseCommentPayload = {
  __typename?: 'AddCaseCommentPayload';
  case: Maybe<Case>;
  comment: Maybe<CaseComment>;
  userErrors: Array<UserError>;
};

export type Case = {
  __typename?: 'Case';
  caseNumber: Scalars['String']['output'];
  /** The citizen the case is about. */
  citizen: Maybe<Citizen>;
  /** Published comments, oldest first. */
  comments: Array<CaseComment>;
  createdAt: Scalars['DateTime']['output'];
  description: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  origin: Maybe<Scalars['String']['output']>;
  /** The CRM Priority picklist's value; null when the org's picklist has a value outside CasePriority. */
  priority: Maybe<CasePriority>;
  status: CaseStatus;
  subject: Scalars['String']['output'];
  updatedAt: Maybe<Scalars['DateTime']['output']>;
};

export type CaseComment = {
  __typename?: 'CaseComment';
  body: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
};

export type CaseConnection = {
  __typename?: 'CaseConnection';
  edges: Array<CaseEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type CaseEdge = {
  __typename?: 'CaseEdge';
  cursor: Scalars['String']['output'];
  node: Case;
};

/** One committed change to a case. */
export type CaseEvent = {
  __typename?: 'CaseEvent';
  /** The case as it is after the change; null when deleted or no longer visible. */
  case: Maybe<Case>;
  /** Graph fields of Case that changed (e.g. status, priority, updatedAt); empty for CREATED, COMMENT_ADDED, GAP and GAP_OVERFLOW. */
  changedFields: Array<Scalars['String']['output']>;
  kind: CaseEventKind;
};

/** What happened to a case. */
export type CaseEventKind =
  /** A published comment was added (an agent's reply, or the citizen's own). */
  | 'COMMENT_ADDED'
  /** The case was opened. */
  | 'CREATED'
  /** The case was deleted (agents only: `case` is null). */
  | 'DELETED'
  /**
   * The case changed, but Salesforce could not say how (a Change Data Capture gap event: a change
   * made outside a normal transaction, such as a data cleanup job). `case` is re-read after it;
   * `changedFields` is empty because which fields changed is unknown: treat every field as changed.
   */
  | 'GAP'
  /**
   * Too many changes in one Salesforce transaction to report each (an overflow event): re-read
   * what you follow. A subscription to one case gets that case re-read in `case`; a subscription to
   * every case gets `case` null and should query its cases again.
   */
  | 'GAP_OVERFLOW'
  /** Its status changed (changedFields includes status). */
  | 'STATUS_CHANGED'
  /** Other fields changed (see changedFields). */
  | 'UPDATED';

export type CasePriority =
  | 'HIGH'
  | 'LOW'
  | 'MEDIUM';

export type CaseStatus =
  | 'CLOSED'
  | 'ESCALATED'
  | 'NEW'
  | 'WORKING';

export type Citizen = {
  __typename?: 'Citizen';
  /**
   * The citizen's cases, newest first; at most 100 per page. Null (with an error at this path)
   * when the case service cannot answer: the rest of the citizen still arrives.
   */
  cases: Maybe<CaseConnection>;
  contactId: Scalars['ID']['output'];
};


export type CitizenCasesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<Array<CaseStatus>>;
};

export type CreateCaseInput = {
  /** Whose case it is. Citizens may leave it out (their own); agents must give it. */
  contactId?: InputMaybe<Scalars['ID']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  /** Client-chosen key (8–80 characters); a retry with the same key returns the same case. */
  idempotencyKey: Scalars['String']['input'];
  priority?: InputMaybe<CasePriority>;
  subject: Scalars['String']['input'];
};

export type CreateCasePayload = {
  __typename?: 'CreateCasePayload';
  case: Maybe<Case>;
  userErrors: Array<UserError>;
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
  /** Adds a public comment to a case. Retrying with the same idempotencyKey adds it once. */
  addCaseComment: AddCaseCommentPayload;
  /** Opens a case. Retrying with the same idempotencyKey returns the same case. */
  createCase: CreateCasePayload;
};


/**
 * Writes of the Customer 360 graph. Expected business failures are data: every payload has
 * `userErrors { code field message }`, `code` being one of `UserErrorCode`. `createCase`,
 * `addCaseComment`, `addCartItem` and `checkout` take an `idempotencyKey`: a retry with the same
 * key and input returns the same record, never a second one.
 */
export type MutationAddCaseCommentArgs = {
  input: AddCaseCommentInput;
};


/**
 * Writes of the Customer 360 graph. Expected business failures are data: every payload has
 * `userErrors { code field message }`, `code` being one of `UserErrorCode`. `createCase`,
 * `addCaseComment`, `addCartItem` and `checkout` take an `idempotencyKey`: a retry with the same
 * key and input returns the same record, never a second one.
 */
export type MutationCreateCaseArgs = {
  input: CreateCaseInput;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor: Maybe<Scalars['String']['output']>;
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
  /** A case by CRM id. Null when there is none (or you may not see it). */
  case: Maybe<Case>;
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
export type QueryCaseArgs = {
  id: Scalars['ID']['input'];
};

/**
 * Live updates. Served over GraphQL over WebSocket (graphql-ws) and SSE (graphql-sse) on the
 * gateway's /graphql; every event is authorized as `Query.case` would be.
 */
export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Changes to cases as they are committed in Salesforce (status changes, new comments, edits).
   * With `id`: that case only. Without: for a citizen, all of their own cases; for an agent, every
   * case. A citizen never receives an event for a case that is not theirs.
   */
  caseUpdated: CaseEvent;
};


/**
 * Live updates. Served over GraphQL over WebSocket (graphql-ws) and SSE (graphql-sse) on the
 * gateway's /graphql; every event is authorized as `Query.case` would be.
 */
export type SubscriptionCaseUpdatedArgs = {
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
  /** A comment needs a body. */
  | 'BODY_REQUIRED'
  /** The comment is too long. */
  | 'BODY_TOO_LONG'
  /** There is no such contact. */
  | 'CONTACT_NOT_FOUND'
  /** A case needs a contact. */
  | 'CONTACT_REQUIRED'
  /** The caller may not do this to that record. */
  | 'FORBIDDEN'
  /** The idempotency key was used before with a different input; nothing changed. */
  | 'IDEMPOTENCY_KEY_REUSED'
  /** A field of the input is too long. */
  | 'INPUT_TOO_LONG'
  /** The idempotency key must have 8 to 80 characters. */
  | 'INVALID_IDEMPOTENCY_KEY'
  /** The input was rejected. */
  | 'INVALID_INPUT'
  /** There is no such record (or you may not see it). */
  | 'NOT_FOUND'
  /** The organisation refuses a picklist value the case service is configured to write (its Case Origin or Priority picklist); an administrator must activate the value or change the service's configuration. */
  | 'PICKLIST_VALUE_REFUSED'
  /** A case needs a subject. */
  | 'SUBJECT_REQUIRED'
  /** The subject is too long. */
  | 'SUBJECT_TOO_LONG';

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
  Case: Case;
  Citizen: Citizen;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Case:
    ( { __typename: 'Case' }
    & GraphQLRecursivePick<FederationTypes['Case'], {"id":true}> );
  Citizen:
    ( { __typename: 'Citizen' }
    & GraphQLRecursivePick<FederationTypes['Citizen'], {"contactId":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AddCaseCommentInput: AddCaseCommentInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  AddCaseCommentPayload: ResolverTypeWrapper<Omit<AddCaseCommentPayload, 'case' | 'comment'> & { case?: Maybe<ResolversTypes['Case']>, comment?: Maybe<ResolversTypes['CaseComment']> }>;
  Case: ResolverTypeWrapper<CaseModel>;
  CaseComment: ResolverTypeWrapper<CaseCommentModel>;
  CaseConnection: ResolverTypeWrapper<Omit<CaseConnection, 'edges'> & { edges: Array<ResolversTypes['CaseEdge']> }>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  CaseEdge: ResolverTypeWrapper<Omit<CaseEdge, 'node'> & { node: ResolversTypes['Case'] }>;
  CaseEvent: ResolverTypeWrapper<CaseEventModel>;
  CaseEventKind: CaseEventKind;
  CasePriority: CasePriority;
  CaseStatus: CaseStatus;
  Citizen: ResolverTypeWrapper<CitizenModel>;
  CreateCaseInput: CreateCaseInput;
  CreateCasePayload: ResolverTypeWrapper<Omit<CreateCasePayload, 'case'> & { case?: Maybe<ResolversTypes['Case']> }>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  ErrorCode: ErrorCode;
  Money: ResolverTypeWrapper<Money>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  UserError: ResolverTypeWrapper<UserError>;
  UserErrorCode: UserErrorCode;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AddCaseCommentInput: AddCaseCommentInput;
  String: Scalars['String']['output'];
  ID: Scalars['ID']['output'];
  AddCaseCommentPayload: Omit<AddCaseCommentPayload, 'case' | 'comment'> & { case?: Maybe<ResolversParentTypes['Case']>, comment?: Maybe<ResolversParentTypes['CaseComment']> };
  Case: CaseModel;
  CaseComment: CaseCommentModel;
  CaseConnection: Omit<CaseConnection, 'edges'> & { edges: Array<ResolversParentTypes['CaseEdge']> };
  Int: Scalars['Int']['output'];
  CaseEdge: Omit<CaseEdge, 'node'> & { node: ResolversParentTypes['Case'] };
  CaseEvent: CaseEventModel;
  Citizen: CitizenModel;
  CreateCaseInput: CreateCaseInput;
  CreateCasePayload: Omit<CreateCasePayload, 'case'> & { case?: Maybe<ResolversParentTypes['Case']> };
  DateTime: Scalars['DateTime']['output'];
  Money: Money;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Boolean: Scalars['Boolean']['output'];
  Query: Record<PropertyKey, never>;
  Subscription: Record<PropertyKey, never>;
  UserError: UserError;
}>;

export type AddCaseCommentPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AddCaseCommentPayload'] = ResolversParentTypes['AddCaseCommentPayload']> = ResolversObject<{
  case?: Resolver<Maybe<ResolversTypes['Case']>, ParentType, ContextType>;
  comment?: Resolver<Maybe<ResolversTypes['CaseComment']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type CaseResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Case'] = ResolversParentTypes['Case'], FederationReferenceType extends FederationReferenceTypes['Case'] = FederationReferenceTypes['Case']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Case']> | FederationReferenceType, FederationReferenceType, ContextType>;
  caseNumber?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  citizen?: Resolver<Maybe<ResolversTypes['Citizen']>, ParentType, ContextType>;
  comments?: Resolver<Array<ResolversTypes['CaseComment']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  origin?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  priority?: Resolver<Maybe<ResolversTypes['CasePriority']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['CaseStatus'], ParentType, ContextType>;
  subject?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
}>;

export type CaseCommentResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CaseComment'] = ResolversParentTypes['CaseComment']> = ResolversObject<{
  body?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type CaseConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CaseConnection'] = ResolversParentTypes['CaseConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['CaseEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type CaseEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CaseEdge'] = ResolversParentTypes['CaseEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Case'], ParentType, ContextType>;
}>;

export type CaseEventResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CaseEvent'] = ResolversParentTypes['CaseEvent']> = ResolversObject<{
  case?: Resolver<Maybe<ResolversTypes['Case']>, ParentType, ContextType>;
  changedFields?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['CaseEventKind'], ParentType, ContextType>;
}>;

export type CitizenResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Citizen'] = ResolversParentTypes['Citizen'], FederationReferenceType extends FederationReferenceTypes['Citizen'] = FederationReferenceTypes['Citizen']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Citizen']> | FederationReferenceType, FederationReferenceType, ContextType>;
  cases?: Resolver<Maybe<ResolversTypes['CaseConnection']>, ParentType, ContextType, RequireFields<CitizenCasesArgs, 'first'>>;
  contactId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type CreateCasePayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CreateCasePayload'] = ResolversParentTypes['CreateCasePayload']> = ResolversObject<{
  case?: Resolver<Maybe<ResolversTypes['Case']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type MoneyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  currencyCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  addCaseComment?: Resolver<ResolversTypes['AddCaseCommentPayload'], ParentType, ContextType, RequireFields<MutationAddCaseCommentArgs, 'input'>>;
  createCase?: Resolver<ResolversTypes['CreateCasePayload'], ParentType, ContextType, RequireFields<MutationCreateCaseArgs, 'input'>>;
}>;

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  case?: Resolver<Maybe<ResolversTypes['Case']>, ParentType, ContextType, RequireFields<QueryCaseArgs, 'id'>>;
}>;

export type SubscriptionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  caseUpdated?: SubscriptionResolver<ResolversTypes['CaseEvent'], "caseUpdated", ParentType, ContextType, Partial<SubscriptionCaseUpdatedArgs>>;
}>;

export type UserErrorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['UserError'] = ResolversParentTypes['UserError']> = ResolversObject<{
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  field?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  AddCaseCommentPayload?: AddCaseCommentPayloadResolvers<ContextType>;
  Case?: CaseResolvers<ContextType>;
  CaseComment?: CaseCommentResolvers<ContextType>;
  CaseConnection?: CaseConnectionResolvers<ContextType>;
  CaseEdge?: CaseEdgeResolvers<ContextType>;
  CaseEvent?: CaseEventResolvers<ContextType>;
  Citizen?: CitizenResolvers<ContextType>;
  CreateCasePayload?: CreateCasePayloadResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  UserError?: UserErrorResolvers<ContextType>;
}>;

