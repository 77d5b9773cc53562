// formatError at the gateway: subgraph errors keep their closed-set code and path; failures to
// reach a subgraph become UPSTREAM_UNAVAILABLE / UPSTREAM_TIMEOUT; everything else is masked.
import type { GraphQLFormattedError } from 'graphql';
import { formatError } from '../lib/errors.js';

export function formatGatewayError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  const message = formatted.message ?? '';
  const code = formatted.extensions?.code;
  // The gateway reports a failed subgraph fetch as a plain error mentioning the fetch failure.
  if (!code || code === 'INTERNAL_SERVER_ERROR' || code === 'DOWNSTREAM_SERVICE_ERROR') {
    if (/aborted|timeout|TimeoutError/i.test(message))
      return {
        message: 'A subgraph did not answer in time.',
        path: formatted.path,
        extensions: { code: 'UPSTREAM_TIMEOUT' },
      };
    if (/fetch failed|ECONNREFUSED|socket hang up|ECONNRESET|request to .* failed/i.test(message))
      return {
        message: 'A subgraph is unavailable.',
        path: formatted.path,
        extensions: { code: 'UPSTREAM_UNAVAILABLE' },
      };
  }
  return formatError(formatted, error);
}
