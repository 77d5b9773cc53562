// The unified profile: who the citizen is (Data Cloud), their insights and segments.
import type { CitizenProfileFieldsFragment } from '../gql/graphql';
import { date, label, money } from '../errors';

export function Profile({ citizen }: { citizen: CitizenProfileFieldsFragment }) {
  const a = citizen.address;
  return (
    <section className="card" data-testid="profile">
      <h2>{citizen.displayName}</h2>
      <dl>
        <dt>Email</dt>
        <dd>{citizen.email ?? '—'}</dd>
        <dt>Phone</dt>
        <dd>{citizen.phone ?? '—'}</dd>
        <dt>Address</dt>
        <dd>
          {a ? [a.street, a.city, a.stateCode, a.postalCode].filter(Boolean).join(', ') : '—'}
        </dd>
        <dt>Last sign-in</dt>
        <dd>{date(citizen.account?.lastLoginAt)}</dd>
      </dl>
      <h3>Insights</h3>
      {citizen.insights ? (
        <dl data-testid="insights">
          <dt>Spent on permits and fees</dt>
          <dd>{money(citizen.insights.lifetimeValue)}</dd>
          <dt>Engagement score</dt>
          <dd>{citizen.insights.engagementScore ?? '—'}</dd>
          <dt>Benefit eligibility</dt>
          <dd>{label(citizen.insights.benefitEligibility)}</dd>
        </dl>
      ) : (
        <p>No insights yet.</p>
      )}
      <h3>Segments</h3>
      <ul className="chips" data-testid="segments">
        {citizen.segments.map((s) => (
          <li key={s.apiName} title={s.apiName}>
            {s.name}
          </li>
        ))}
      </ul>
    </section>
  );
}
