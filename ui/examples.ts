// Example variables for each bundled tab, filled from what the page knows: the signed-in citizen
// (session.ts reads their id, first case and segment once after sign-in), a few products from the
// catalogue search (anonymous), and the demo login the gateway offers in development only. A tab
// whose variables the user has edited is left alone (session-variables.tsx).
import type { SessionFacts } from './session';

export interface DemoLogin {
  username: string;
  password: string;
}

export interface ExampleContext {
  facts: SessionFacts | null;
  /** Product ids from `productSearch` (the catalogue is public). */
  productIds: string[];
  /** Development only: the emulator's demo citizen. */
  demo: DemoLogin | null;
}

const keys = new Map<string, string>();
/**
 * The idempotency key of an operation's example (8–80 characters), one per page load: running
 * the tab again is a retry and returns the same result; edit the key for a new write.
 */
const key = (operation: string) => {
  let k = keys.get(operation);
  if (!k) keys.set(operation, (k = `graphiql-${crypto.randomUUID()}`));
  return k;
};

type Example = (c: ExampleContext) => Record<string, unknown> | null;

/** Operation name → its example variables (null: nothing to fill, keep the bundled ones). */
export const EXAMPLES: Record<string, Example> = {
  Login: ({ demo }) => ({ username: demo?.username ?? '', password: demo?.password ?? '' }),
  CitizenProfile: ({ facts }) => ({ id: facts?.citizenId ?? '' }),
  CitizenProfileDeferred: ({ facts }) => ({ id: facts?.citizenId ?? '' }),
  CaseWithCitizen: ({ facts }) => ({ id: facts?.caseId ?? '' }),
  CreateCase: () => ({
    input: {
      idempotencyKey: key('CreateCase'),
      subject: 'Streetlight out on Elm Street',
      description: 'The light at the corner has been dark for a week.',
      priority: 'MEDIUM',
    },
  }),
  AddCaseComment: ({ facts }) => ({
    input: {
      caseId: facts?.caseId ?? '',
      body: 'Any news on this?',
      idempotencyKey: key('AddCaseComment'),
    },
  }),
  Products: ({ productIds }) => ({ ids: productIds.slice(0, 2) }),
  ProductSearch: () => ({ query: 'permit', first: 5 }),
  AddCartItem: ({ productIds }) => ({
    input: { productId: productIds[0] ?? '', quantity: 1, idempotencyKey: key('AddCartItem') },
  }),
  Checkout: ({ facts }) => ({
    input: {
      idempotencyKey: key('Checkout'),
      payment: {
        methodId: 'CREDIT_CARD',
        cardType: 'Visa',
        holder: facts?.displayName ?? '',
        maskedNumber: '************1111',
        expirationMonth: 12,
        expirationYear: new Date().getFullYear() + 2,
      },
    },
  }),
  SegmentMembers: ({ facts }) => ({ apiName: facts?.segmentApiName ?? '', first: 10 }),
};

/** The example variables of `operationName` as the editor shows them, or null for none. */
export function exampleVariables(operationName: string, context: ExampleContext): string | null {
  const example = EXAMPLES[operationName]?.(context);
  return example ? JSON.stringify(example, null, 2) : null;
}
