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
/** Who an outbound call goes to: a Salesforce family (subgraph → Salesforce), or a subgraph (gateway → subgraph). */
export type UpstreamTarget = UpstreamFamily | 'subgraph';

/**
 * The one cut-off vocabulary of both hops (upstreamCode of an UpstreamError we made ourselves):
 * the client went away, the request's deadline passed, the target's circuit is open.
 */
export const CutOff = {
  CANCELLED: 'REQUEST_CANCELLED',
  DEADLINE_EXCEEDED: 'DEADLINE_EXCEEDED',
  CIRCUIT_OPEN: 'CIRCUIT_OPEN',
} as const;

/**
 * Any failed outbound call — to Salesforce or to a subgraph: a non-2xx answer, a timeout, a
 * network failure, or a cut-off of ours. Made through the typed constructors below, so no
 * module writes a code string.
 */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  constructor(
    readonly family: UpstreamTarget,
    /** HTTP status, or 0 when no answer arrived. */
    readonly status: number,
    /** The upstream's own code (errorCode, problem type slug, OAuth error), or one of CutOff. */
    readonly upstreamCode: string | undefined,
    message: string,
    readonly timedOut = false,
    /** Seconds from a Retry-After header. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** No answer within the call's own timeout. */
  static timeout(target: UpstreamTarget, message: string): UpstreamError {
    return new UpstreamError(target, 0, undefined, message, true);
  }

  /** Not called, or cut, because the request's deadline passed. */
  static deadline(target: UpstreamTarget, message: string): UpstreamError {
    return new UpstreamError(target, 0, CutOff.DEADLINE_EXCEEDED, message, true);
  }

  /** Cut because the client went away. */
  static cancelled(target: UpstreamTarget, message: string): UpstreamError {
    return new UpstreamError(target, 0, CutOff.CANCELLED, message, true);
  }

  /** Failed fast: the target's circuit is open. */
  static circuitOpen(target: UpstreamTarget, message: string): UpstreamError {
    return new UpstreamError(target, 0, CutOff.CIRCUIT_OPEN, message);
  }

  /** No answer: the connection failed or the answer was cut off. */
  static unreachable(target: UpstreamTarget, message: string): UpstreamError {
    return new UpstreamError(target, 0, undefined, message);
  }

  /** An answer that is a failure (status, the upstream's own code, Retry-After seconds). */
  static answered(
    target: UpstreamTarget,
    status: number,
    message: string,
    upstreamCode?: string,
    retryAfterSeconds?: number,
  ): UpstreamError {
    return new UpstreamError(target, status, upstreamCode, message, false, retryAfterSeconds);
  }

  /** Our own cut-off: the client went away or the deadline passed (not the upstream's fault). */
  get cutOff(): boolean {
    return this.upstreamCode === CutOff.CANCELLED || this.upstreamCode === CutOff.DEADLINE_EXCEEDED;
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

/** What a client reads when the gateway could not get a subgraph's answer. */
export const SUBGRAPH_MESSAGES = {
  UPSTREAM_TIMEOUT: 'A subgraph did not answer in time.',
  UPSTREAM_UNAVAILABLE: 'A subgraph is unavailable.',
} as const;

/**
 * formatError for every server: known codes keep their message, upstream failures become a
 * code plus the family (never the upstream body), and anything else is masked.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof UpstreamError && original.family === 'subgraph') {
    // A failed subgraph fetch (gateway/subgraph-data-source.ts): classified by type, with the
    // subgraph's name and the entity's path it was given there.
    const code =
      original.code === ErrorCode.UPSTREAM_TIMEOUT ? original.code : ErrorCode.UPSTREAM_UNAVAILABLE;
    return {
      message: SUBGRAPH_MESSAGES[code],
      locations: formatted.locations,
      path: formatted.path,
      extensions: {
        code,
        ...(formatted.extensions?.serviceName !== undefined
          ? { serviceName: formatted.extensions.serviceName }
          : {}),
      },
    };
  }
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
