// Sign-out: logout with the refresh token (or it stays usable), then forget everything cached.
import type { ApolloClient } from '@apollo/client';
import { PortalLogoutDocument } from './gql/graphql';
import type { SessionStore } from './session';

export async function signOut(client: ApolloClient, store: SessionStore) {
  const refreshToken = store.get()?.refreshToken ?? null;
  try {
    await client.mutate({ mutation: PortalLogoutDocument, variables: { refreshToken } });
  } finally {
    store.set(null);
    await client.clearStore();
  }
}
