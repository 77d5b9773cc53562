// The userErrors every idempotent write answers the same way (lib/graphql/idempotency-key.ts),
// asserted whole by the subgraph and attack tests of case and commerce alike.

/** A key used before with a different input: nothing changed. */
export const IDEMPOTENCY_KEY_REUSED_ERROR = {
  code: 'IDEMPOTENCY_KEY_REUSED',
  field: ['input', 'idempotencyKey'],
  message:
    'This idempotency key was already used for a different request. Use a new key for a new request.',
} as const;
