// The userErrors catalogues (frontends switch on `code`): each constructor's code and field pinned,
// so a code swapped or a field moved is red here, not in a frontend.
import { UserErrors as CaseErrors } from '../../subgraphs/case/user-errors.js';
import { UserErrors as CommerceErrors } from '../../subgraphs/commerce/user-errors.js';
import { UserErrors as SessionErrors } from '../../subgraphs/session/user-errors.js';
import { IDEMPOTENCY_KEY_REUSED_ERROR } from '../support/user-errors.js';

type Catalogue = Record<string, (...args: never[]) => { code: string; field: string[] | null }>;
const codes = (catalogue: Catalogue, args: Record<string, unknown[]> = {}) =>
  Object.fromEntries(
    Object.entries(catalogue).map(([name, make]) => {
      const e = (make as (...a: unknown[]) => { code: string; field: string[] | null })(
        ...(args[name] ?? []),
      );
      return [name, [e.code, e.field?.join('.') ?? null]];
    }),
  );

test('case', () => {
  expect(codes(CaseErrors as never, { subjectTooLong: [255], bodyTooLong: [4000] })).toEqual({
    subjectRequired: ['SUBJECT_REQUIRED', 'input.subject'],
    subjectTooLong: ['SUBJECT_TOO_LONG', 'input.subject'],
    notOwnContact: ['FORBIDDEN', 'input.contactId'],
    contactRequired: ['CONTACT_REQUIRED', 'input.contactId'],
    contactNotFound: ['CONTACT_NOT_FOUND', 'input.contactId'],
    inputTooLong: ['INPUT_TOO_LONG', 'input'],
    caseNotFound: ['NOT_FOUND', 'input.caseId'],
    bodyRequired: ['BODY_REQUIRED', 'input.body'],
    bodyTooLong: ['BODY_TOO_LONG', 'input.body'],
    idempotencyKeyReused: ['IDEMPOTENCY_KEY_REUSED', 'input.idempotencyKey'],
  });
  expect(CaseErrors.subjectTooLong(255).message).toContain('255');
  expect(CaseErrors.idempotencyKeyReused()).toEqual(IDEMPOTENCY_KEY_REUSED_ERROR);
});

test('commerce', () => {
  expect(
    codes(CommerceErrors as never, {
      invalidQuantity: [1, 99],
      productNotAvailable: ['P1'],
      itemNotFound: ['I1'],
    }),
  ).toEqual({
    forbidden: ['FORBIDDEN', null],
    invalidQuantity: ['INVALID_QUANTITY', 'input.quantity'],
    productNotAvailable: ['PRODUCT_NOT_FOUND', 'input.productId'],
    itemNotAdded: ['INVALID_INPUT', 'input'],
    itemNotFound: ['ITEM_NOT_FOUND', 'input.itemId'],
    invalidMaskedNumber: ['INVALID_INPUT', 'input.payment.maskedNumber'],
    emptyCart: ['EMPTY_CART', null],
    missingAddress: ['MISSING_ADDRESS', 'input.billingAddress'],
    checkoutRejected: ['CHECKOUT_REJECTED', null],
    shippingMethodRefused: ['SHIPPING_METHOD_REFUSED', null],
    idempotencyKeyReused: ['IDEMPOTENCY_KEY_REUSED', 'input.idempotencyKey'],
  });
  expect(CommerceErrors.invalidQuantity(1, 99).message).toMatch(/1 to 99/);
  expect(CommerceErrors.productNotAvailable('P1').message).toContain("'P1'");
  expect(CommerceErrors.idempotencyKeyReused()).toEqual(IDEMPOTENCY_KEY_REUSED_ERROR);
});

test('session', () => {
  expect(
    codes(SessionErrors as never, {
      rateLimited: [30],
      weakPassword: [['input', 'password']],
      recaptchaFailed: [['input', 'recaptchaToken']],
    }),
  ).toEqual({
    invalidCredentials: ['INVALID_CREDENTIALS', null],
    invalidRefreshToken: ['INVALID_REFRESH_TOKEN', 'refreshToken'],
    rateLimited: ['RATE_LIMITED', null],
    notSignedIn: ['NOT_SIGNED_IN', null],
    weakPassword: ['WEAK_PASSWORD', 'input.password'],
    invalidEmail: ['INVALID_EMAIL', 'input.email'],
    invalidName: ['INVALID_INPUT', 'input.lastName'],
    usernameTaken: ['USERNAME_TAKEN', 'input.email'],
    invalidPasscode: ['INVALID_PASSCODE', 'input.otp'],
    rejected: ['INVALID_INPUT', null],
    recaptchaFailed: ['RECAPTCHA_FAILED', 'input.recaptchaToken'],
  });
  expect(SessionErrors.rateLimited(30).message).toContain('30 seconds');
});
