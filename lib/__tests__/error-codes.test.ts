// lib/errors.ts's mapping tables through its exported surface only: an upstream failure's
// status → the code a client sees, and what formatError lets through or masks.
import { GraphQLError } from 'graphql';
import { ErrorCode, UpstreamError, formatError, graphqlError } from '../errors.js';

const upstream = (status: number, upstreamCode?: string, timedOut = false) =>
  new UpstreamError('crm', status, upstreamCode, `upstream said ${status}`, timedOut);

describe('UpstreamError status → code', () => {
  test.each([
    [0, undefined, false, ErrorCode.UPSTREAM_UNAVAILABLE],
    [0, undefined, true, ErrorCode.UPSTREAM_TIMEOUT],
    [504, undefined, true, ErrorCode.UPSTREAM_TIMEOUT],
    [500, undefined, false, ErrorCode.UPSTREAM_UNAVAILABLE],
    [502, undefined, false, ErrorCode.UPSTREAM_UNAVAILABLE],
    [503, undefined, false, ErrorCode.UPSTREAM_UNAVAILABLE],
    [401, 'INVALID_SESSION_ID', false, ErrorCode.UPSTREAM_UNAVAILABLE],
    [429, undefined, false, ErrorCode.RATE_LIMITED],
    [403, 'REQUEST_LIMIT_EXCEEDED', false, ErrorCode.RATE_LIMITED],
    [400, 'MALFORMED_QUERY', false, ErrorCode.INTERNAL_SERVER_ERROR],
    [403, 'INSUFFICIENT_ACCESS', false, ErrorCode.INTERNAL_SERVER_ERROR],
    [404, 'NOT_FOUND', false, ErrorCode.INTERNAL_SERVER_ERROR],
    [409, undefined, false, ErrorCode.INTERNAL_SERVER_ERROR],
    [499, undefined, false, ErrorCode.INTERNAL_SERVER_ERROR],
  ])('status %i (%s, timed out %s) is %s', (status, code, timedOut, expected) => {
    expect(upstream(status, code, timedOut).code).toBe(expected);
  });
});

test('an UpstreamError is named so, and has not timed out unless told', () => {
  const e = new UpstreamError('crm', 500, undefined, 'x');
  expect([e.name, e.timedOut, e.code]).toEqual(['UpstreamError', false, 'UPSTREAM_UNAVAILABLE']);
});

test('graphqlError carries its code and extensions', () => {
  expect(graphqlError(ErrorCode.FORBIDDEN, 'no', { field: 'x' }).extensions).toEqual({
    code: 'FORBIDDEN',
    field: 'x',
  });
});

describe('formatError', () => {
  let errorLog: jest.SpyInstance;
  beforeEach(() => (errorLog = jest.spyOn(console, 'error').mockImplementation(() => undefined)));
  afterEach(() => errorLog.mockRestore());

  const format = (error: unknown, extensions?: Record<string, unknown>) =>
    formatError({ message: String((error as Error).message), extensions, path: ['a'] }, error);

  test('an upstream failure is its code, its family and a safe message: never its body', () => {
    const e = new UpstreamError('scapi', 503, 'x', 'secret upstream body', false, 7);
    const out = format(e);
    expect(out).toEqual({
      message: 'A Salesforce service is unavailable.',
      path: ['a'],
      locations: undefined,
      extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: 'scapi', retryAfterSeconds: 7 },
    });
    expect(JSON.stringify(out)).not.toContain('secret');
  });

  test.each([
    [ErrorCode.RATE_LIMITED, 'Salesforce is limiting requests; try again later.'],
    [ErrorCode.UPSTREAM_TIMEOUT, 'A Salesforce service did not answer in time.'],
    [ErrorCode.INTERNAL_SERVER_ERROR, 'Unexpected error.'],
  ])('an upstream %s has its safe message', (code, message) => {
    const e =
      code === ErrorCode.RATE_LIMITED
        ? upstream(429)
        : code === ErrorCode.UPSTREAM_TIMEOUT
          ? upstream(0, undefined, true)
          : upstream(400);
    expect(format(e)).toMatchObject({ message, extensions: { code } });
  });

  test('without Retry-After there is no retryAfterSeconds', () => {
    const out = format(new UpstreamError('crm', 503, undefined, 'x'));
    expect(out.extensions).toStrictEqual({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'crm' });
  });

  test('an operation name that is not in the document is the client’s error', () => {
    for (const message of ['Unknown operation named "X".', 'Must provide operation name.'])
      expect(format(new GraphQLError(message))).toEqual({
        message,
        extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
      });
    expect(format(new GraphQLError('Oops: Unknown operation named "X".')).extensions).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
    });
  });

  test('our codes and Apollo request codes keep their message; the stack trace is dropped', () => {
    for (const code of [
      ...Object.values(ErrorCode).filter((c) => c !== 'INTERNAL_SERVER_ERROR'),
      'GRAPHQL_PARSE_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
      'BAD_REQUEST',
      'PERSISTED_QUERY_NOT_FOUND',
      'PERSISTED_QUERY_NOT_SUPPORTED',
      'OPERATION_RESOLUTION_FAILURE',
    ]) {
      const out = format(graphqlError(code as ErrorCode, 'kept'), {
        code,
        stacktrace: ['at secret.ts:1'],
      });
      expect(out).toEqual({ message: 'kept', path: ['a'], extensions: { code } });
    }
  });

  test('anything else, an unknown code or INTERNAL_SERVER_ERROR itself, is masked', () => {
    for (const extensions of [undefined, { code: 'WHATEVER' }, { code: 'INTERNAL_SERVER_ERROR' }]) {
      const out = format(new GraphQLError('db password is hunter2'), extensions);
      expect(out).toEqual({
        message: 'Unexpected error.',
        path: ['a'],
        locations: undefined,
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
    }
    // Operators still see what was masked.
    expect(errorLog).toHaveBeenCalledWith(
      '[masked error]',
      'db password is hunter2',
      expect.any(String),
    );
  });
});
