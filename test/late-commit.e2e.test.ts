// A write that commits after everyone gave up on it (issue 24, item 1): Salesforce receives the
// write, the subgraph's call times out (UPSTREAM_TIMEOUT), the client retries with the same key.
// The emulator's `commit-late` fault holds the write until the test lets it commit
// (commitLateNow), so every step waits on an event, never on a clock. Per keyed mutation:
//   - while the first attempt's outcome is unknown, a retry answers IDEMPOTENCY_KEY_IN_USE
//     (retryable, with a hint) and writes nothing;
//   - once the late write has committed, the retry answers the same result;
//   - exactly one record in the emulator.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { scapiStore } from '../emulator/scapi/store.js';
import type { CitizenIdentity } from '../emulator/world.js';
import type { FaultInput } from '../emulator/core/faults.js';
import {
  AddCartItemDocument,
  AddCaseCommentDocument,
  CheckoutDocument,
  CreateCaseDocument,
  ViewerDocument,
} from '../gql/graphql.js';
import { loginAs } from './client.js';
import { gql, startStack, type Stack } from './harness.js';

/**
 * The subgraphs' Salesforce calls time out after this long: short enough for a quick test,
 * long enough for a warm call on a busy machine (each test warms its path up first).
 */
const CALL_TIMEOUT_MS = 2500;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    env: {
      CRM_TIMEOUT_MS: String(CALL_TIMEOUT_MS),
      COMMERCE_UPSTREAM_TIMEOUT_MS: String(CALL_TIMEOUT_MS),
    },
  });
  // Warm both paths (tokens, connections) so that only the held write meets the short timeout.
  const headers = await signIn(citizen(30));
  expect((await gql(stack, headers, ViewerDocument, {})).body.errors).toBeUndefined();
  const warm = await gql(stack, headers, AddCartItemDocument, {
    input: { productId: 'licence-dog-annual', quantity: 1 },
  });
  expect(warm.body.data?.addCartItem.userErrors).toEqual([]);
});
afterAll(() => stack?.stop());
beforeEach(() => stack.emulator.faults.reset());

const world = () => stack.emulator.core.world;
const citizen = (i: number) => world().citizens[i];
const signIn = (c: CitizenIdentity) => loginAs(stack, c.username, world().citizenPassword);

/** Holds the next matching write until `commit()`; `received` resolves once Salesforce has it. */
function commitLate(input: Omit<FaultInput, 'kind'>) {
  const faults = stack.emulator.faults;
  const rule = faults.add({ kind: 'commit-late', latencyMs: 600_000, count: 1, ...input });
  const received = new Promise<void>((resolve) =>
    faults.on('received', function onReceived(id: string) {
      if (id !== rule.id) return;
      faults.off('received', onReceived);
      resolve();
    }),
  );
  return {
    received,
    /** Lets the held write commit now; resolves with its status once it has. */
    commit: () => {
      const committed = new Promise<number>((resolve) =>
        faults.on('committed', function onCommitted(id: string, status: number) {
          if (id !== rule.id) return;
          faults.off('committed', onCommitted);
          resolve(status);
        }),
      );
      expect(faults.commitLateNow(rule.id)).toBe(1);
      return committed;
    },
  };
}

type Answer = Awaited<ReturnType<typeof gql>>;
const codeOf = (a: Answer) => a.body.errors?.[0]?.extensions?.code;

/** The whole scenario for one keyed mutation. */
async function lateCommitScenario<R, V>(o: {
  headers: Record<string, string>;
  document: TypedDocumentNode<R, V>;
  variables: V;
  fault: Omit<FaultInput, 'kind'>;
  count: () => number;
  /** What identifies the result (the record's id). */
  resultOf: (data: R) => unknown;
}) {
  const before = o.count();
  const late = commitLate(o.fault);
  const first = await gql(stack, o.headers, o.document, o.variables);
  await late.received;
  expect(codeOf(first)).toBe('UPSTREAM_TIMEOUT');
  expect(o.count()).toBe(before);

  // The outcome is unknown: the retry writes nothing and says so, twice over.
  for (let i = 0; i < 2; i++) {
    const retry = await gql(stack, o.headers, o.document, o.variables);
    expect(retry.body.errors?.[0]).toMatchObject({
      extensions: { code: 'IDEMPOTENCY_KEY_IN_USE', retryable: true },
    });
    expect(retry.body.errors?.[0].extensions?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(o.count()).toBe(before);
  }

  // Salesforce commits the first attempt's write after all.
  expect([200, 201]).toContain(await late.commit());
  expect(o.count()).toBe(before + 1);

  // Now the retry answers the result the first attempt made, and again, and writes nothing.
  const after = await gql(stack, o.headers, o.document, o.variables);
  expect(after.body.errors).toBeUndefined();
  const again = await gql(stack, o.headers, o.document, o.variables);
  expect(again.body.errors).toBeUndefined();
  expect(o.resultOf(again.body.data as R)).toEqual(o.resultOf(after.body.data as R));
  expect(o.count()).toBe(before + 1);
  return after.body.data as R;
}

test('createCase: a late insert is found, not repeated; one case', async () => {
  const c = citizen(31);
  const headers = await signIn(c);
  const cases = () => stack.emulator.core.sobjects.findBy('Case', 'ContactId', c.contactId).length;
  const input = { subject: 'Streetlight out (late)', idempotencyKey: 'late-case-0000001' };
  const data = await lateCommitScenario({
    headers,
    document: CreateCaseDocument,
    variables: { input },
    fault: { family: 'crm', method: 'POST', path: '/composite' },
    count: cases,
    resultOf: (d) => d.createCase.case?.id,
  });
  expect(data.createCase).toMatchObject({ case: { subject: input.subject }, userErrors: [] });
});

test('addCaseComment: a late comment is found through its request record; one comment', async () => {
  const c = citizen(32);
  const headers = await signIn(c);
  const made = await gql(stack, headers, CreateCaseDocument, {
    input: { subject: 'Pothole', idempotencyKey: 'late-comment-case-1' },
  });
  const caseId = made.body.data!.createCase.case!.id;
  const comments = () =>
    stack.emulator.core.sobjects.findBy('CaseComment', 'ParentId', caseId).length;
  const input = { caseId, body: 'Any news?', idempotencyKey: 'late-comment-0000001' };
  const data = await lateCommitScenario({
    headers,
    document: AddCaseCommentDocument,
    variables: { input },
    // The first Composite call reads (case, key); the second writes.
    fault: { family: 'crm', method: 'POST', path: '/composite', skip: 1 },
    count: comments,
    resultOf: (d) => d.addCaseComment.comment?.id,
  });
  expect(data.addCaseComment).toMatchObject({ comment: { body: 'Any news?' }, userErrors: [] });
  const requests = [...stack.emulator.core.sobjects.all('Case_Comment_Request__c')].filter(
    (r) => r.Case__c === caseId,
  );
  expect(requests).toHaveLength(1);
});

test('addCartItem: a late add is found on its line, not added again; the quantity once', async () => {
  const c = citizen(33);
  const headers = await signIn(c);
  const store = () => scapiStore(stack.emulator.core);
  // A basket first (the add under test then only adds to it).
  const start = await gql(stack, headers, AddCartItemDocument, {
    input: { productId: 'licence-dog-annual', quantity: 1 },
  });
  expect(start.body.data?.addCartItem.userErrors).toEqual([]);
  const quantity = () =>
    store()
      .openBasketOf(c.commerceCustomerId)
      ?.items.filter((it) => it.productId === 'fee-parking-annual')
      .reduce((n, it) => n + it.quantity, 0) ?? 0;
  const input = {
    productId: 'fee-parking-annual',
    quantity: 1,
    idempotencyKey: 'late-add-0000001',
  };
  const data = await lateCommitScenario({
    headers,
    document: AddCartItemDocument,
    variables: { input },
    fault: { family: 'scapi', method: 'POST', path: '/items' },
    count: quantity,
    resultOf: (d) => d.addCartItem.cart?.items.map((i) => [i.product?.id, i.quantity]),
  });
  expect(data.addCartItem.userErrors).toEqual([]);
});

test('checkout: a late order is found by its key, not placed again; one order', async () => {
  const c = citizen(34);
  const headers = await signIn(c);
  const store = () => scapiStore(stack.emulator.core);
  const added = await gql(stack, headers, AddCartItemDocument, {
    input: { productId: 'licence-dog-annual', quantity: 1 },
  });
  expect(added.body.data?.addCartItem.userErrors).toEqual([]);
  const orders = () => store().ordersOf(c.commerceCustomerId).length;
  const input = {
    idempotencyKey: 'late-checkout-0001',
    payment: {
      cardType: 'Visa',
      holder: 'Ada Lovelace',
      maskedNumber: '************1111',
      expirationMonth: 12,
      expirationYear: 2030,
    },
  };
  const data = await lateCommitScenario({
    headers,
    document: CheckoutDocument,
    variables: { input },
    fault: { family: 'scapi', method: 'POST', path: '/orders' },
    count: orders,
    resultOf: (d) => d.checkout.order?.orderNo,
  });
  expect(data.checkout.userErrors).toEqual([]);
});
