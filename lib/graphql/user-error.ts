// Expected business failures of a mutation, as the schema's UserError
// (docs/salesforce/access-model.md#error-conventions: every payload has `userErrors: [UserError!]!`
// with `code`, `field`, `message`).
export interface UserError {
  code: string;
  /** Path to the input that caused it (`['input', 'email']`), or null for the whole request. */
  field: string[] | null;
  message: string;
}

export const userError = (e: {
  code: string;
  field?: string[] | null;
  message: string;
}): UserError => ({ code: e.code, field: e.field ?? null, message: e.message });
