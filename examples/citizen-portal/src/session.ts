// The session in sessionStorage: it survives a reload of the tab, ends with the tab, and is never
// shared between the citizen portal and the agent view (each page has its own key).
import type { SessionTokensFieldsFragment } from './gql/graphql';

export type Tokens = SessionTokensFieldsFragment;

export interface SessionStore {
  get(): Tokens | null;
  /** The stored text, for React's useSyncExternalStore (stable between changes). */
  raw(): string | null;
  set(tokens: Tokens | null): void;
  subscribe(listener: () => void): () => void;
}

export function createSessionStore(key: string): SessionStore {
  const listeners = new Set<() => void>();
  return {
    get() {
      const raw = sessionStorage.getItem(key);
      if (!raw) return null;
      try {
        return JSON.parse(raw) as Tokens;
      } catch {
        return null;
      }
    },
    raw: () => sessionStorage.getItem(key),
    set(tokens) {
      if (tokens) sessionStorage.setItem(key, JSON.stringify(tokens));
      else sessionStorage.removeItem(key);
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** A key for one logical write (8–80 characters, as the graph asks); kept across its retries. */
export const newIdempotencyKey = (prefix: string) => `${prefix}-${crypto.randomUUID()}`;
