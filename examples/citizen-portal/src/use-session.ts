// React view of a SessionStore: re-renders on sign-in, refresh and sign-out.
import { useSyncExternalStore } from 'react';
import type { SessionStore } from './session';

export function useSignedIn(store: SessionStore): boolean {
  return useSyncExternalStore(store.subscribe, store.raw) !== null;
}
