// The citizen portal: sign in, then profile, cases, cart and orders from ONE viewer query.
import { useApolloClient, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { PortalViewerDocument } from '../gql/graphql';
import { AuthForms } from '../auth-forms';
import { ErrorBanner } from '../errors';
import type { SessionStore } from '../session';
import { signOut } from '../sign-out';
import { useSignedIn } from '../use-session';
import { Profile } from './profile';
import { Cases } from './cases';
import { Cart } from './cart';
import { Orders } from './orders';

type Tab = 'profile' | 'cases' | 'cart' | 'orders';
const TABS: Array<[Tab, string]> = [
  ['profile', 'Profile'],
  ['cases', 'My cases'],
  ['cart', 'My cart'],
  ['orders', 'My orders'],
];

export function PortalApp({ store }: { store: SessionStore }) {
  const signedIn = useSignedIn(store);
  return (
    <>
      <header className="top">
        <h1>City Services</h1>
        <a href="./agent.html">Agent console</a>
      </header>
      <main>
        {signedIn ? (
          <SignedIn store={store} />
        ) : (
          <AuthForms store={store} title="Sign in to City Services" />
        )}
      </main>
    </>
  );
}

function SignedIn({ store }: { store: SessionStore }) {
  const client = useApolloClient();
  const [tab, setTab] = useState<Tab>('profile');
  const { data, error, loading } = useQuery(PortalViewerDocument);
  const citizen = data?.viewer?.citizen;
  return (
    <>
      <nav className="tabs main-tabs">
        {TABS.map(([id, label]) => (
          <button key={id} className={tab === id ? 'active' : ''} onClick={() => setTab(id)}>
            {label}
          </button>
        ))}
        <span className="who">{data?.viewer?.session.username}</span>
        <button className="sign-out" onClick={() => void signOut(client, store)}>
          Sign out
        </button>
      </nav>
      <ErrorBanner error={error} />
      {loading && !data && <p>Loading…</p>}
      {data && !citizen && <p>Your record cannot be read right now.</p>}
      {citizen && tab === 'profile' && <Profile citizen={citizen} />}
      {citizen && tab === 'cases' && (
        <Cases cases={citizen.cases?.edges.map((e) => e.node) ?? null} />
      )}
      {citizen && tab === 'cart' && (
        <Cart cart={citizen.cart} available={!hasErrorAt(error, 'cart')} />
      )}
      {citizen && tab === 'orders' && (
        <Orders orders={citizen.orders?.edges.map((e) => e.node) ?? null} />
      )}
    </>
  );
}

/** True when one of the errors is at `field` (the cart is null both when absent and when commerce failed). */
function hasErrorAt(error: unknown, field: string) {
  const errors = (
    error as { errors?: Array<{ path?: ReadonlyArray<string | number> }> } | undefined
  )?.errors;
  return errors?.some((e) => e.path?.includes(field)) ?? false;
}
