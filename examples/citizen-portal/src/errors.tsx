// Errors as a person wants them. Business failures (userErrors) sit next to the input they name;
// infrastructure failures (GraphQL errors with extensions.code) become one banner above a page
// that still shows everything that did arrive.
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import type { ErrorLike } from '@apollo/client';
import type { UserErrorFieldsFragment } from './gql/graphql';

const CODE_TEXT: Record<string, string> = {
  UPSTREAM_UNAVAILABLE: 'is unavailable right now',
  UPSTREAM_TIMEOUT: 'did not answer in time',
  RATE_LIMITED: 'is busy; try again in a moment',
  FORBIDDEN: 'is not available to you',
  INTERNAL_SERVER_ERROR: 'failed unexpectedly',
};

/** Which part of the page an error's path points at, in words ("orders", "cart"). */
const partOf = (path: ReadonlyArray<string | number> | undefined) =>
  path
    ?.filter((p) => typeof p === 'string' && !['viewer', 'citizen', 'edges', 'node'].includes(p))
    .at(0) ?? 'part of this page';

export function ErrorBanner({ error }: { error: ErrorLike | undefined }) {
  if (!error) return null;
  const lines = CombinedGraphQLErrors.is(error)
    ? error.errors.map((e) => {
        const code = String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
        return `${capitalise(String(partOf(e.path)))} ${CODE_TEXT[code] ?? 'could not be loaded'} (${code}).`;
      })
    : ['The service could not be reached. Check your connection and try again.'];
  return (
    <div className="banner" role="alert" data-testid="error-banner">
      <strong>Some information could not be loaded.</strong> The rest of the page is up to date.
      <ul>
        {[...new Set(lines)].map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
    </div>
  );
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** userErrors by the input field they name (the last segment of `field`, e.g. ["input","subject"]). */
export function byField(errors: readonly UserErrorFieldsFragment[] | undefined) {
  const map = new Map<string, string[]>();
  for (const e of errors ?? []) {
    const key = e.field?.at(-1) ?? '';
    map.set(key, [...(map.get(key) ?? []), e.message]);
  }
  return {
    /** The messages for one input; render under it. */
    of: (field: string) => map.get(field) ?? [],
    /** Messages that name no input of this form; render at the top of the form. */
    rest: (fields: string[]) =>
      [...map.entries()].filter(([k]) => !fields.includes(k)).flatMap(([, v]) => v),
  };
}

export function FieldErrors({ messages, id }: { messages: string[]; id?: string }) {
  if (!messages.length) return null;
  return (
    <p className="field-error" role="alert" id={id}>
      {messages.join(' ')}
    </p>
  );
}

// The portal's words are English: amounts, counts and enum values are shown the en-US way.
const LOCALE = 'en-US';

/** `$1,630.01`: the amount (a decimal string) in its currency, with grouping. */
export function money(m: { amount: string; currencyCode: string } | null | undefined): string {
  if (!m) return '—';
  const n = Number(m.amount);
  try {
    if (Number.isFinite(n))
      return new Intl.NumberFormat(LOCALE, { style: 'currency', currency: m.currencyCode }).format(
        n,
      );
  } catch {
    // a currency code Intl does not know: shown as it came
  }
  return `${m.currencyCode} ${m.amount}`;
}

/** An enum value for people: `NOT_PAID` / `not_paid` → "Not paid", `ELIGIBLE` → "Eligible". */
export function label(value: string | null | undefined): string {
  if (!value) return '—';
  const words = value.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const plurals = new Intl.PluralRules(LOCALE);
/** "1 case", "3 cases". */
export const count = (n: number, one: string, many: string) =>
  `${n} ${plurals.select(n) === 'one' ? one : many}`;

export const date = (iso: string | null | undefined) =>
  iso ? new Date(iso).toISOString().slice(0, 10) : '—';
