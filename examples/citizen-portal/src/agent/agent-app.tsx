// The agent console: an agent signs in with their OWN user (the same `login` mutation; the
// gateway makes a user with the agent permission an agent), searches a segment's members and
// opens a citizen. Agents may see any citizen; segments are agents-only.
import { useApolloClient, useLazyQuery, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { AgentCitizenDocument, AgentSegmentMembersDocument } from '../gql/graphql';
import { AuthForms } from '../auth-forms';
import { count, date, ErrorBanner, label, money } from '../errors';
import { Profile } from '../portal/profile';
import type { SessionStore } from '../session';
import { signOut } from '../sign-out';
import { useSignedIn } from '../use-session';

/** Segments the agency publishes (the graph reads a segment by API name; it has no listing). */
const KNOWN_SEGMENTS = [
  'Permit_Renewal_Due',
  'Benefit_Eligible',
  'New_Residents',
  'Springfield_Residents',
];

export function AgentApp({ store }: { store: SessionStore }) {
  const signedIn = useSignedIn(store);
  return (
    <>
      <header className="top agent">
        <h1>City Services · Agent console</h1>
        <a href="./">Citizen portal</a>
      </header>
      <main>
        {signedIn ? <Console store={store} /> : <AuthForms store={store} title="Agent sign-in" />}
      </main>
    </>
  );
}

function Console({ store }: { store: SessionStore }) {
  const client = useApolloClient();
  const [apiName, setApiName] = useState(KNOWN_SEGMENTS[0]);
  const [openId, setOpenId] = useState<string | null>(null);
  const [search, { data, error, loading, called }] = useLazyQuery(AgentSegmentMembersDocument);
  const segment = data?.segment;
  return (
    <>
      <nav className="tabs main-tabs">
        <span className="who">Agent</span>
        <button className="sign-out" onClick={() => void signOut(client, store)}>
          Sign out
        </button>
      </nav>
      <div className="columns">
        <section className="card" data-testid="segment-search">
          <h2>Segment members</h2>
          <form
            className="inline"
            onSubmit={(e) => {
              e.preventDefault();
              setOpenId(null);
              void search({ variables: { apiName, first: 25 } });
            }}
          >
            <input
              aria-label="Segment API name"
              list="segments"
              value={apiName}
              onChange={(e) => setApiName(e.target.value)}
            />
            <datalist id="segments">
              {KNOWN_SEGMENTS.map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
            <button type="submit" disabled={loading}>
              Search
            </button>
          </form>
          <ErrorBanner error={error} />
          {called && !loading && data && !segment && <p>There is no segment {apiName}.</p>}
          {segment && (
            <>
              <p>
                <strong>{segment.name}</strong> ·{' '}
                {count(segment.members.totalCount, 'member', 'members')}
                {segment.members.totalCount > segment.members.edges.length
                  ? ` (first ${segment.members.edges.length})`
                  : ''}
              </p>
              <ul className="members" data-testid="members">
                {segment.members.edges.map(({ node }) => (
                  <li key={node.id}>
                    <button className="link" onClick={() => setOpenId(node.id)}>
                      {node.displayName}
                    </button>{' '}
                    <small>
                      {node.email} ·{' '}
                      {node.cases ? count(node.cases.totalCount, 'case', 'cases') : 'cases unknown'}
                    </small>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
        {openId && <CitizenPanel id={openId} />}
      </div>
    </>
  );
}

function CitizenPanel({ id }: { id: string }) {
  const { data, error } = useQuery(AgentCitizenDocument, { variables: { id } });
  const c = data?.citizen;
  return (
    <div className="citizen-panel" data-testid="citizen-panel">
      <ErrorBanner error={error} />
      {data && !c && <p>This citizen was not found.</p>}
      {c && (
        <>
          <Profile citizen={c} />
          <section className="card">
            <h3>Cases ({c.cases?.totalCount ?? '—'})</h3>
            <ul>
              {c.cases?.edges.map(({ node }) => (
                <li key={node.id}>
                  {node.caseNumber} · {node.subject} ·{' '}
                  <span className="status">{label(node.status)}</span>
                </li>
              ))}
            </ul>
            <h3>Orders ({c.orders?.totalCount ?? '—'})</h3>
            <ul>
              {c.orders?.edges.map(({ node }) => (
                <li key={node.orderNo}>
                  {node.orderNo} · {date(node.createdAt)} · {money(node.total)}
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </div>
  );
}
