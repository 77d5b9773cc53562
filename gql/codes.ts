// The graph's closed error code sets (ErrorCode, UserErrorCode) as values and types.
/** What happened to a case. */
export const CaseEventKind = {
  /** A published comment was added (an agent's reply, or the citizen's own). */
  COMMENT_ADDED: 'COMMENT_ADDED',
  /** The case was opened. */
  CREATED: 'CREATED',
  /** The case was deleted (agents only: `case` is null). */
  DELETED: 'DELETED',
  /**
   * The case changed, but Salesforce could not say how (a Change Data Capture gap event: a change
   * made outside a normal transaction, such as a data cleanup job). `case` is re-read after it;
   * `changedFields` is empty because which fields changed is unknown: treat every field as changed.
   */
  GAP: 'GAP',
  /**
   * Too many changes in one Salesforce transaction to report each (an overflow event): re-read
   * what you follow. A subscription to one case gets that case re-read in `case`; a subscription to
   * every case gets `case` null and should query its cases again.
   */
  GAP_OVERFLOW: 'GAP_OVERFLOW',
  /** Its status changed (changedFields includes status). */
  STATUS_CHANGED: 'STATUS_CHANGED',
  /** Other fields changed (see changedFields). */
  UPDATED: 'UPDATED'
} as const;

export type CaseEventKind = typeof CaseEventKind[keyof typeof CaseEventKind];
export const CasePriority = {
  HIGH: 'HIGH',
  LOW: 'LOW',
  MEDIUM: 'MEDIUM'
} as const;

export type CasePriority = typeof CasePriority[keyof typeof CasePriority];
export const CaseStatus = {
  CLOSED: 'CLOSED',
  ESCALATED: 'ESCALATED',
  NEW: 'NEW',
  WORKING: 'WORKING'
} as const;

export type CaseStatus = typeof CaseStatus[keyof typeof CaseStatus];
/**
 * The closed set of `extensions.code` values of GraphQL errors this graph answers (besides Apollo's
 * request-level codes GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, BAD_REQUEST,
 * PERSISTED_QUERY_NOT_FOUND, OPERATION_RESOLUTION_FAILURE). No field has this type: errors carry
 * the code as a string; the enum documents the set and gives codegen a typed union.
 */
export const ErrorCode = {
  /** An argument is invalid (e.g. a malformed id); it was not sent to Salesforce. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** The operation would cost more Salesforce calls than one request may (HTTP 400). */
  COST_LIMIT_EXCEEDED: 'COST_LIMIT_EXCEEDED',
  /** The caller may not do this. */
  FORBIDDEN: 'FORBIDDEN',
  /** An earlier request with this idempotency key is in flight, or its outcome is not known yet (it timed out after reaching Salesforce). Retryable: send the same request with the same key again after `extensions.retryAfterSeconds`; nothing was written by this attempt. */
  IDEMPOTENCY_KEY_IN_USE: 'IDEMPOTENCY_KEY_IN_USE',
  /** Unexpected error (details are logged, never sent). */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** The gateway runs trusted documents only: send a persisted document id (HTTP 400). */
  PERSISTED_QUERY_REQUIRED: 'PERSISTED_QUERY_REQUIRED',
  /** Too many calls for this caller, or Salesforce is limiting requests; see `extensions.retryAfterSeconds`. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** No valid bearer token: sign in again or call `refreshSession` (HTTP 401). */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** A Salesforce service did not answer in time. */
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  /** A Salesforce service is unavailable; the rest of the answer may still be there (partial data). */
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE'
} as const;

export type ErrorCode = typeof ErrorCode[keyof typeof ErrorCode];
/**
 * The codes of `UserError.code` (a closed set; switch on it). The field stays a `String!` so that
 * adding a code is never a breaking change for clients; codegen types it with this enum.
 */
export const UserErrorCode = {
  /** A comment needs a body. */
  BODY_REQUIRED: 'BODY_REQUIRED',
  /** The comment is too long. */
  BODY_TOO_LONG: 'BODY_TOO_LONG',
  /** Commerce refused to place the order. */
  CHECKOUT_REJECTED: 'CHECKOUT_REJECTED',
  /** There is no such contact. */
  CONTACT_NOT_FOUND: 'CONTACT_NOT_FOUND',
  /** A case needs a contact. */
  CONTACT_REQUIRED: 'CONTACT_REQUIRED',
  /** The cart is empty. */
  EMPTY_CART: 'EMPTY_CART',
  /** The caller may not do this to that record. */
  FORBIDDEN: 'FORBIDDEN',
  /** The idempotency key was used before with a different input; nothing changed. */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** A field of the input is too long. */
  INPUT_TOO_LONG: 'INPUT_TOO_LONG',
  /** The username or password is incorrect (same answer whether or not the user exists). */
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  /** The email address is not valid. */
  INVALID_EMAIL: 'INVALID_EMAIL',
  /** The idempotency key must have 8 to 80 characters. */
  INVALID_IDEMPOTENCY_KEY: 'INVALID_IDEMPOTENCY_KEY',
  /** The input was rejected. */
  INVALID_INPUT: 'INVALID_INPUT',
  /** The passcode is wrong or has expired. */
  INVALID_PASSCODE: 'INVALID_PASSCODE',
  /** The quantity is out of range. */
  INVALID_QUANTITY: 'INVALID_QUANTITY',
  /** The refresh token is spent, revoked or expired: sign in again. */
  INVALID_REFRESH_TOKEN: 'INVALID_REFRESH_TOKEN',
  /** There is no such cart line. */
  ITEM_NOT_FOUND: 'ITEM_NOT_FOUND',
  /** A billing address is required. */
  MISSING_ADDRESS: 'MISSING_ADDRESS',
  /** There is no such record (or you may not see it). */
  NOT_FOUND: 'NOT_FOUND',
  /** There is no session to end. */
  NOT_SIGNED_IN: 'NOT_SIGNED_IN',
  /** The citizen has no customer record in the shop (B2C Commerce) yet: no cart, no orders. */
  NO_SHOPPER_ACCOUNT: 'NO_SHOPPER_ACCOUNT',
  /** The shop does not accept the payment method (the request's, or the one configured), or none of its methods takes a card. */
  PAYMENT_METHOD_REFUSED: 'PAYMENT_METHOD_REFUSED',
  /** The organisation refuses a picklist value the case service is configured to write (its Case Origin or Priority picklist); an administrator must activate the value or change the service's configuration. */
  PICKLIST_VALUE_REFUSED: 'PICKLIST_VALUE_REFUSED',
  /** The product is unknown or not available. */
  PRODUCT_NOT_FOUND: 'PRODUCT_NOT_FOUND',
  /** Too many attempts; try again later. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The reCAPTCHA check failed. */
  RECAPTCHA_FAILED: 'RECAPTCHA_FAILED',
  /** No shipping method applies to the cart, or the shop refused the one configured. */
  SHIPPING_METHOD_REFUSED: 'SHIPPING_METHOD_REFUSED',
  /** A case needs a subject. */
  SUBJECT_REQUIRED: 'SUBJECT_REQUIRED',
  /** The subject is too long. */
  SUBJECT_TOO_LONG: 'SUBJECT_TOO_LONG',
  /** An account with this email address already exists. */
  USERNAME_TAKEN: 'USERNAME_TAKEN',
  /** The password is too weak. */
  WEAK_PASSWORD: 'WEAK_PASSWORD'
} as const;

export type UserErrorCode = typeof UserErrorCode[keyof typeof UserErrorCode];