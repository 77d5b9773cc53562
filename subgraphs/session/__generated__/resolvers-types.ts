import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { CitizenModel, IdentityAccountModel, ViewerModel, SessionModel } from '../mappers.js';
import type { Context } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
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

export type Citizen = {
  __typename?: 'Citizen';
  /** The citizen's Headless Identity login; null when the citizen has none. */
  account: Maybe<IdentityAccount>;
  contactId: Scalars['ID']['output'];
};

export type CompletePasswordResetInput = {
  newPassword: Scalars['String']['input'];
  otp: Scalars['String']['input'];
  username: Scalars['String']['input'];
};

export type CompletePasswordResetPayload = {
  __typename?: 'CompletePasswordResetPayload';
  success: Scalars['Boolean']['output'];
  userErrors: Array<UserError>;
};

export type CompleteRegistrationInput = {
  identifier: Scalars['String']['input'];
  otp: Scalars['String']['input'];
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

export type IdentityAccount = {
  __typename?: 'IdentityAccount';
  active: Scalars['Boolean']['output'];
  emailVerified: Scalars['Boolean']['output'];
  lastLoginAt: Maybe<Scalars['DateTime']['output']>;
  userId: Scalars['ID']['output'];
  username: Scalars['String']['output'];
};

export type LoginInput = {
  password: Scalars['String']['input'];
  username: Scalars['String']['input'];
};

export type LoginPayload = {
  __typename?: 'LoginPayload';
  session: Maybe<SessionTokens>;
  userErrors: Array<UserError>;
};

export type LogoutPayload = {
  __typename?: 'LogoutPayload';
  success: Scalars['Boolean']['output'];
  userErrors: Array<UserError>;
};

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
  /**
   * Sets the new password with the passcode, then ends every session of that user: all their
   * refresh tokens are revoked at Salesforce. The session of this request ends at the gateway at
   * once; other sessions' access tokens may still be accepted by a gateway that validated them in
   * the last minute (its token cache).
   */
  completePasswordReset: CompletePasswordResetPayload;
  /** Completes registration with the passcode and signs the new citizen in. */
  completeRegistration: LoginPayload;
  /** Headless login (authorization code and credentials flow with PKCE, done server side). */
  login: LoginPayload;
  /**
   * Ends the session: revokes the bearer access token and, when given, the refresh token (which
   * ends every access token minted from it). Send the refresh token, or it stays usable.
   */
  logout: LogoutPayload;
  /**
   * New tokens for a refresh token. Where the connected app rotates refresh tokens, the answer
   * carries a new refresh token and the old one stops working: keep the new one.
   */
  refreshSession: LoginPayload;
  /**
   * Sends a one-time passcode for a password reset (always answers the same, known user or not).
   * Where the site requires reCAPTCHA, pass the browser's reCAPTCHA token (recaptchaToken), or with
   * reCAPTCHA Enterprise its event (recaptchaEvent); they are passed to Salesforce as they are.
   */
  startPasswordReset: StartPasswordResetPayload;
  /** Starts headless registration; a one-time passcode is sent to the email address. */
  startRegistration: StartRegistrationPayload;
};


/**
 * Writes of the Customer 360 graph. Expected business failures are data: every payload has
 * `userErrors { code field message }`, `code` being one of `UserErrorCode`. `createCase`,
 * `addCaseComment`, `addCartItem` and `checkout` take an `idempotencyKey`: a retry with the same
 * key and input returns the same record, never a second one.
 */
export type MutationCompletePasswordResetArgs = {
  input: CompletePasswordResetInput;
};


/**
 * Writes of the Customer 360 graph. Expected business failures are data: every payload has
 * `userErrors { code field message }`, `code` being one of `UserErrorCode`. `createCase`,
 * `addCaseComment`, `addCartItem` and `checkout` take an `idempotencyKey`: a retry with the same
 * key and input returns the same record, never a second one.
 */
export type MutationCompleteRegistrationArgs = {
  input: CompleteRegistrationInput;
};


/**
 * Writes of the Customer 360 graph. Expected business failures are data: every payload has
 * `userErrors { code field message }`, `code` being one of `UserErrorCode`. `createCase`,
 * `addCaseComment`, `addCartItem` and `checkout` take an `idempotencyKey`: a retry with the same
 * key and input returns the same record, never a second one.
 */
export type MutationLoginArgs = {
  input: LoginInput;
};


/**
 * Writes of the Customer 360 graph. Expected business failures are data: every payload has
 * `userErrors { code field message }`, `code` being one of `UserErrorCode`. `createCase`,
 * `addCaseComment`, `addCartItem` and `checkout` take an `idempotencyKey`: a retry with the same
 * key and input returns the same record, never a second one.
 */
export type MutationLogoutArgs = {
  refreshToken?: InputMaybe<Scalars['String']['input']>;
};


/**
 * Writes of the Customer 360 graph. Expected business failures are data: every payload has
 * `userErrors { code field message }`, `code` being one of `UserErrorCode`. `createCase`,
 * `addCaseComment`, `addCartItem` and `checkout` take an `idempotencyKey`: a retry with the same
 * key and input returns the same record, never a second one.
 */
export type MutationRefreshSessionArgs = {
  refreshToken: Scalars['String']['input'];
};


/**
 * Writes of the Customer 360 graph. Expected business failures are data: every payload has
 * `userErrors { code field message }`, `code` being one of `UserErrorCode`. `createCase`,
 * `addCaseComment`, `addCartItem` and `checkout` take an `idempotencyKey`: a retry with the same
 * key and input returns the same record, never a second one.
 */
export type MutationStartPasswordResetArgs = {
  recaptchaEvent?: InputMaybe<RecaptchaEventInput>;
  recaptchaToken?: InputMaybe<Scalars['String']['input']>;
  username: Scalars['String']['input'];
};


/**
 * Writes of the Customer 360 graph. Expected business failures are data: every payload has
 * `userErrors { code field message }`, `code` being one of `UserErrorCode`. `createCase`,
 * `addCaseComment`, `addCartItem` and `checkout` take an `idempotencyKey`: a retry with the same
 * key and input returns the same record, never a second one.
 */
export type MutationStartRegistrationArgs = {
  input: StartRegistrationInput;
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
  /** The signed-in citizen and their session; null when anonymous. */
  viewer: Maybe<Viewer>;
};

/**
 * A reCAPTCHA Enterprise event as the browser produced it, sent to Salesforce as `recaptchaevent`
 * (Headless Identity: reCAPTCHA Enterprise).
 */
export type RecaptchaEventInput = {
  expectedAction: Scalars['String']['input'];
  projectId: Scalars['String']['input'];
  siteKey: Scalars['String']['input'];
  token: Scalars['String']['input'];
};

export type Session = {
  __typename?: 'Session';
  expiresAt: Maybe<Scalars['DateTime']['output']>;
  /** CRM User id of the signed-in user. */
  userId: Scalars['ID']['output'];
  username: Scalars['String']['output'];
};

/** Tokens for the frontend: send `Authorization: Bearer <accessToken>` to the graph. */
export type SessionTokens = {
  __typename?: 'SessionTokens';
  accessToken: Scalars['String']['output'];
  expiresAt: Maybe<Scalars['DateTime']['output']>;
  refreshToken: Maybe<Scalars['String']['output']>;
  userId: Scalars['ID']['output'];
};

export type StartPasswordResetPayload = {
  __typename?: 'StartPasswordResetPayload';
  success: Scalars['Boolean']['output'];
  userErrors: Array<UserError>;
};

export type StartRegistrationInput = {
  email: Scalars['String']['input'];
  firstName: Scalars['String']['input'];
  lastName: Scalars['String']['input'];
  password: Scalars['String']['input'];
  /** reCAPTCHA Enterprise: the browser's assessment event, where the site requires reCAPTCHA. */
  recaptchaEvent?: InputMaybe<RecaptchaEventInput>;
  /** The browser's reCAPTCHA token, where the site requires reCAPTCHA for registration. */
  recaptchaToken?: InputMaybe<Scalars['String']['input']>;
};

export type StartRegistrationPayload = {
  __typename?: 'StartRegistrationPayload';
  /** Identifier of the pending registration, to send back with the passcode. */
  identifier: Maybe<Scalars['String']['output']>;
  userErrors: Array<UserError>;
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
  /** The username or password is incorrect (same answer whether or not the user exists). */
  | 'INVALID_CREDENTIALS'
  /** The email address is not valid. */
  | 'INVALID_EMAIL'
  /** The idempotency key must have 8 to 80 characters. */
  | 'INVALID_IDEMPOTENCY_KEY'
  /** The input was rejected. */
  | 'INVALID_INPUT'
  /** The passcode is wrong or has expired. */
  | 'INVALID_PASSCODE'
  /** The refresh token is spent, revoked or expired: sign in again. */
  | 'INVALID_REFRESH_TOKEN'
  /** There is no session to end. */
  | 'NOT_SIGNED_IN'
  /** Too many attempts; try again later. */
  | 'RATE_LIMITED'
  /** The reCAPTCHA check failed. */
  | 'RECAPTCHA_FAILED'
  /** An account with this email address already exists. */
  | 'USERNAME_TAKEN'
  /** The password is too weak. */
  | 'WEAK_PASSWORD';

export type Viewer = {
  __typename?: 'Viewer';
  /** The signed-in citizen; null (with an error at its path) when their record cannot be read. */
  citizen: Maybe<Citizen>;
  session: Session;
};

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
    & GraphQLRecursivePick<FederationTypes['Citizen'], {"contactId":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Citizen: ResolverTypeWrapper<CitizenModel>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  CompletePasswordResetInput: CompletePasswordResetInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  CompletePasswordResetPayload: ResolverTypeWrapper<CompletePasswordResetPayload>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  CompleteRegistrationInput: CompleteRegistrationInput;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  ErrorCode: ErrorCode;
  IdentityAccount: ResolverTypeWrapper<IdentityAccountModel>;
  LoginInput: LoginInput;
  LoginPayload: ResolverTypeWrapper<LoginPayload>;
  LogoutPayload: ResolverTypeWrapper<LogoutPayload>;
  Money: ResolverTypeWrapper<Money>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RecaptchaEventInput: RecaptchaEventInput;
  Session: ResolverTypeWrapper<SessionModel>;
  SessionTokens: ResolverTypeWrapper<SessionTokens>;
  StartPasswordResetPayload: ResolverTypeWrapper<StartPasswordResetPayload>;
  StartRegistrationInput: StartRegistrationInput;
  StartRegistrationPayload: ResolverTypeWrapper<StartRegistrationPayload>;
  UserError: ResolverTypeWrapper<UserError>;
  UserErrorCode: UserErrorCode;
  Viewer: ResolverTypeWrapper<ViewerModel>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Citizen: CitizenModel;
  ID: Scalars['ID']['output'];
  CompletePasswordResetInput: CompletePasswordResetInput;
  String: Scalars['String']['output'];
  CompletePasswordResetPayload: CompletePasswordResetPayload;
  Boolean: Scalars['Boolean']['output'];
  CompleteRegistrationInput: CompleteRegistrationInput;
  DateTime: Scalars['DateTime']['output'];
  IdentityAccount: IdentityAccountModel;
  LoginInput: LoginInput;
  LoginPayload: LoginPayload;
  LogoutPayload: LogoutPayload;
  Money: Money;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  RecaptchaEventInput: RecaptchaEventInput;
  Session: SessionModel;
  SessionTokens: SessionTokens;
  StartPasswordResetPayload: StartPasswordResetPayload;
  StartRegistrationInput: StartRegistrationInput;
  StartRegistrationPayload: StartRegistrationPayload;
  UserError: UserError;
  Viewer: ViewerModel;
}>;

export type CitizenResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Citizen'] = ResolversParentTypes['Citizen'], FederationReferenceType extends FederationReferenceTypes['Citizen'] = FederationReferenceTypes['Citizen']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Citizen']> | FederationReferenceType, FederationReferenceType, ContextType>;
  account?: Resolver<Maybe<ResolversTypes['IdentityAccount']>, ParentType, ContextType>;
  contactId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type CompletePasswordResetPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CompletePasswordResetPayload'] = ResolversParentTypes['CompletePasswordResetPayload']> = ResolversObject<{
  success?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type IdentityAccountResolvers<ContextType = Context, ParentType extends ResolversParentTypes['IdentityAccount'] = ResolversParentTypes['IdentityAccount']> = ResolversObject<{
  active?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  emailVerified?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  lastLoginAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  userId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  username?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type LoginPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LoginPayload'] = ResolversParentTypes['LoginPayload']> = ResolversObject<{
  session?: Resolver<Maybe<ResolversTypes['SessionTokens']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type LogoutPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LogoutPayload'] = ResolversParentTypes['LogoutPayload']> = ResolversObject<{
  success?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type MoneyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  currencyCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  completePasswordReset?: Resolver<ResolversTypes['CompletePasswordResetPayload'], ParentType, ContextType, RequireFields<MutationCompletePasswordResetArgs, 'input'>>;
  completeRegistration?: Resolver<ResolversTypes['LoginPayload'], ParentType, ContextType, RequireFields<MutationCompleteRegistrationArgs, 'input'>>;
  login?: Resolver<ResolversTypes['LoginPayload'], ParentType, ContextType, RequireFields<MutationLoginArgs, 'input'>>;
  logout?: Resolver<ResolversTypes['LogoutPayload'], ParentType, ContextType, Partial<MutationLogoutArgs>>;
  refreshSession?: Resolver<ResolversTypes['LoginPayload'], ParentType, ContextType, RequireFields<MutationRefreshSessionArgs, 'refreshToken'>>;
  startPasswordReset?: Resolver<ResolversTypes['StartPasswordResetPayload'], ParentType, ContextType, RequireFields<MutationStartPasswordResetArgs, 'username'>>;
  startRegistration?: Resolver<ResolversTypes['StartRegistrationPayload'], ParentType, ContextType, RequireFields<MutationStartRegistrationArgs, 'input'>>;
}>;

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  viewer?: Resolver<Maybe<ResolversTypes['Viewer']>, ParentType, ContextType>;
}>;

export type SessionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Session'] = ResolversParentTypes['Session']> = ResolversObject<{
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  userId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  username?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type SessionTokensResolvers<ContextType = Context, ParentType extends ResolversParentTypes['SessionTokens'] = ResolversParentTypes['SessionTokens']> = ResolversObject<{
  accessToken?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  refreshToken?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  userId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type StartPasswordResetPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['StartPasswordResetPayload'] = ResolversParentTypes['StartPasswordResetPayload']> = ResolversObject<{
  success?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type StartRegistrationPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['StartRegistrationPayload'] = ResolversParentTypes['StartRegistrationPayload']> = ResolversObject<{
  identifier?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  userErrors?: Resolver<Array<ResolversTypes['UserError']>, ParentType, ContextType>;
}>;

export type UserErrorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['UserError'] = ResolversParentTypes['UserError']> = ResolversObject<{
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  field?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ViewerResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Viewer'] = ResolversParentTypes['Viewer']> = ResolversObject<{
  citizen?: Resolver<Maybe<ResolversTypes['Citizen']>, ParentType, ContextType>;
  session?: Resolver<ResolversTypes['Session'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  Citizen?: CitizenResolvers<ContextType>;
  CompletePasswordResetPayload?: CompletePasswordResetPayloadResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  IdentityAccount?: IdentityAccountResolvers<ContextType>;
  LoginPayload?: LoginPayloadResolvers<ContextType>;
  LogoutPayload?: LogoutPayloadResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Session?: SessionResolvers<ContextType>;
  SessionTokens?: SessionTokensResolvers<ContextType>;
  StartPasswordResetPayload?: StartPasswordResetPayloadResolvers<ContextType>;
  StartRegistrationPayload?: StartRegistrationPayloadResolvers<ContextType>;
  UserError?: UserErrorResolvers<ContextType>;
  Viewer?: ViewerResolvers<ContextType>;
}>;

