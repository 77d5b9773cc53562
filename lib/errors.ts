// The closed set of error codes clients see (docs/salesforce/access-model.md#error-conventions),
// the typed upstream error, and the one place that turns any thrown error into what reaches a
// client.
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';

export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  RATE_LIMITED: 'RATE_LIMITED',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  COST_LIMIT_EXCEEDED: 'COST_LIMIT_EXCEEDED',
  IDEMPOTENCY_KEY_IN_USE: 'IDEMPOTENCY_KEY_IN_USE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Apollo's own request-level codes pass through untouched. */
const APOLLO_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

export type UpstreamFamily = 'crm' | 'datacloud' | 'scapi' | 'identity';

/** Any failed call to Salesforce: a non-2xx answer, a timeout, or a network failure. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  constructor(
    readonly family: UpstreamFamily,
    /** HTTP status, or 0 when no answer arrived. */
    readonly status: number,
    /** The upstream's own code (errorCode, problem type slug, OAuth error), when it sent one. */
    readonly upstreamCode: string | undefined,
    message: string,
    readonly timedOut = false,
    /** Seconds from a Retry-After header. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  get code(): ErrorCode {
    if (this.timedOut) return ErrorCode.UPSTREAM_TIMEOUT;
    if (this.status === 429 || this.upstreamCode === 'REQUEST_LIMIT_EXCEEDED')
      return ErrorCode.RATE_LIMITED;
    if (this.status === 0 || this.status >= 500 || this.status === 401)
      return ErrorCode.UPSTREAM_UNAVAILABLE;
    return ErrorCode.INTERNAL_SERVER_ERROR;
  }
}

/** A GraphQL error with one of our codes. */
export function graphqlError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
) {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

const SAFE_MESSAGES: Record<ErrorCode, string> = {
  UNAUTHENTICATED: 'Authentication is required.',
  FORBIDDEN: 'You are not allowed to do this.',
  BAD_USER_INPUT: 'The input is invalid.',
  RATE_LIMITED: 'Salesforce is limiting requests; try again later.',
  UPSTREAM_UNAVAILABLE: 'A Salesforce service is unavailable.',
  UPSTREAM_TIMEOUT: 'A Salesforce service did not answer in time.',
  COST_LIMIT_EXCEEDED: 'The query is too expensive.',
  IDEMPOTENCY_KEY_IN_USE:
    'An earlier request with this idempotency key is still in progress; retry it shortly.',
  INTERNAL_SERVER_ERROR: 'Unexpected error.',
};

/**
 * formatError for every server: known codes keep their message, upstream failures become a
 * code plus the family (never the upstream body), and anything else is masked.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof UpstreamError) {
    return {
      message: SAFE_MESSAGES[original.code],
      locations: formatted.locations,
      path: formatted.path,
      extensions: {
        code: original.code,
        upstream: original.family,
        ...(original.retryAfterSeconds !== undefined
          ? { retryAfterSeconds: original.retryAfterSeconds }
          : {}),
      },
    };
  }
  // Operation-selection errors (from graphql-js, or from @apollo/gateway with federation-internals'
  // own code) are the client's mistake (e.g. an operationName that is not in the document), not ours to mask.
  if (/^(Unknown operation named|Must provide operation name)/.test(formatted.message)) {
    return { message: formatted.message, extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } };
  }
  const code = formatted.extensions?.code as string | undefined;
  if (
    code &&
    (code in SAFE_MESSAGES || APOLLO_CODES.has(code)) &&
    code !== ErrorCode.INTERNAL_SERVER_ERROR
  ) {
    // Drop stack traces and anything else Apollo may have attached.
    const { stacktrace: _s, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  // Masked for the client, but operators need to see it.
  console.error(
    '[masked error]',
    formatted.message,
    original instanceof Error ? original.stack : original,
  );
  return {
    message: SAFE_MESSAGES.INTERNAL_SERVER_ERROR,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
