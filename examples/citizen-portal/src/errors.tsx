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

export const money = (m: { amount: string; currencyCode: string } | null | undefined) =>
  m ? `${m.currencyCode === 'USD' ? '$' : `${m.currencyCode} `}${m.amount}` : '—';

export const date = (iso: string | null | undefined) =>
  iso ? new Date(iso).toISOString().slice(0, 10) : '—';
