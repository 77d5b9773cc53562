// The error envelope of each API family (docs/salesforce/crm-rest.md#errors,
// data-cloud.md#errors-and-limits, scapi.md#errors-and-throttling, headless-identity.md#errors).
// Routers and the fault injector both answer through these, so an injected 503 looks exactly
// like a real one.
import type { Response } from 'express';
import type { Family } from './call-log.js';

const SCAPI_ERROR = 'https://api.commercecloud.salesforce.com/documentation/error/v1/errors/';

/** CRM REST / Connect: a JSON array of {message, errorCode, fields?}. */
export function sendCrmError(
  res: Response,
  status: number,
  errorCode: string,
  message: string,
  fields?: string[],
) {
  res
    .status(status)
    .type('application/json;charset=UTF-8')
    .send(JSON.stringify([{ message, errorCode, ...(fields ? { fields } : {}) }]));
}

/**
 * Data Cloud direct APIs: {error, errorCode, message} (nesting undocumented,
 * docs/salesforce/data-cloud.md#errors-and-limits).
 */
export function sendDataCloudError(
  res: Response,
  status: number,
  errorCode: string,
  message: string,
) {
  res.status(status).json({ error: message, errorCode, message });
}

/** SCAPI Shopper APIs: application/problem+json {type, title, detail, ...extra}. */
export function sendProblem(
  res: Response,
  status: number,
  slug: string,
  title: string,
  detail: string,
  extra: Record<string, unknown> = {},
) {
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify({ type: SCAPI_ERROR + slug, title, detail, ...extra }));
}

/** OAuth endpoints (core, SLAS, Headless Identity): {error, error_description}. */
export function sendOAuthError(res: Response, status: number, error: string, description: string) {
  res.status(status).json({ error, error_description: description });
}

const CRM_CODES: Record<number, [string, string]> = {
  400: ['INVALID_REQUEST', 'The request could not be processed.'],
  401: ['INVALID_SESSION_ID', 'Session expired or invalid'],
  403: ['REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'],
  404: ['NOT_FOUND', 'The requested resource does not exist'],
  429: ['REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'],
  500: [
    'UNKNOWN_EXCEPTION',
    'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)',
  ],
  503: ['SERVER_UNAVAILABLE', 'Server temporarily unavailable. Please try again later.'],
};

const SCAPI_PROBLEMS: Record<number, [string, string, string]> = {
  400: ['bad-request', 'Bad Request', 'The request is invalid.'],
  401: [
    'unauthorized',
    'Unauthorized',
    'Your access token is invalid or expired and can’t be used to identify a user.',
  ],
  403: ['forbidden', 'Forbidden', 'You are not allowed to access this resource.'],
  404: ['not-found', 'Not Found', 'The requested resource was not found.'],
  429: ['too-many-requests', 'Too Many Requests', 'The rate limit for this API has been exceeded.'],
  500: ['internal-server-error', 'Internal Server Error', 'An unexpected error occurred.'],
  503: ['service-unavailable', 'Service Unavailable', 'The service is temporarily unavailable.'],
};

const OAUTH_ERRORS: Record<number, [string, string]> = {
  400: ['invalid_request', 'invalid request'],
  401: ['invalid_token', 'access token is invalid or expired'],
  429: ['rate_limit_exceeded', 'too many requests'],
  500: ['server_error', 'an unexpected error occurred'],
  503: ['temporarily_unavailable', 'the service is temporarily unavailable'],
};

/** A generic error of the family's shape for an HTTP status (used by fault injection). */
export function sendFamilyError(res: Response, family: Family, status: number) {
  switch (family) {
    case 'crm': {
      const [code, msg] = CRM_CODES[status] ?? CRM_CODES[status >= 500 ? 500 : 400];
      return sendCrmError(res, status, code, msg);
    }
    case 'datacloud': {
      const [code, msg] = CRM_CODES[status] ?? CRM_CODES[status >= 500 ? 500 : 400];
      return sendDataCloudError(res, status, code, msg);
    }
    case 'scapi': {
      const [slug, title, detail] =
        SCAPI_PROBLEMS[status] ?? SCAPI_PROBLEMS[status >= 500 ? 500 : 400];
      return sendProblem(res, status, slug, title, detail);
    }
    case 'identity': {
      const [error, desc] = OAUTH_ERRORS[status] ?? OAUTH_ERRORS[status >= 500 ? 500 : 400];
      return sendOAuthError(res, status, error, desc);
    }
  }
}
