// My cases: the list (status shown), opening a new case, one case with its comments.
import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import {
  PortalAddCaseCommentDocument,
  PortalCaseDocument,
  PortalCreateCaseDocument,
  PortalViewerDocument,
  type CaseSummaryFieldsFragment,
} from '../gql/graphql';
import { byField, date, ErrorBanner, FieldErrors, label } from '../errors';
import { newIdempotencyKey } from '../session';

// Status changes made by an agent reach the portal by polling every 10 s. The graph also pushes
// them live (the `caseUpdated` subscription over graphql-ws or SSE on /graphql; see the root
// README's "Live case updates"); the portal keeps to plain HTTP queries so it needs no socket.
const CASE_POLL_MS = 10_000;

export function Cases({ cases }: { cases: CaseSummaryFieldsFragment[] | null }) {
  const [openId, setOpenId] = useState<string | null>(null);
  if (openId) return <CaseDetail id={openId} onBack={() => setOpenId(null)} />;
  return (
    <section className="card" data-testid="cases">
      <h2>My cases</h2>
      {cases === null ? (
        <p>Your cases cannot be shown right now.</p>
      ) : cases.length === 0 ? (
        <p>You have no cases.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Number</th>
              <th>Subject</th>
              <th>Status</th>
              <th>Opened</th>
            </tr>
          </thead>
          <tbody>
            {cases.map((c) => (
              <tr key={c.id}>
                <td>{c.caseNumber}</td>
                <td>
                  <button className="link" onClick={() => setOpenId(c.id)}>
                    {c.subject}
                  </button>
                </td>
                <td>
                  <span className={`status status-${c.status.toLowerCase()}`}>
                    {label(c.status)}
                  </span>
                </td>
                <td>{date(c.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <NewCase onCreated={setOpenId} />
    </section>
  );
}

function NewCase({ onCreated }: { onCreated: (id: string) => void }) {
  // One key per case being written: a resend after a lost answer returns the same case.
  const [key, setKey] = useState(() => newIdempotencyKey('case'));
  const [create, { data, loading }] = useMutation(PortalCreateCaseDocument, {
    refetchQueries: [PortalViewerDocument],
    awaitRefetchQueries: true,
  });
  const errors = byField(data?.createCase.userErrors);
  return (
    <form
      className="new-case"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const res = await create({
          variables: {
            input: {
              idempotencyKey: key,
              subject: String(f.get('subject')),
              description: String(f.get('description')) || null,
            },
          },
        });
        const created = res.data?.createCase.case;
        if (created) {
          form.reset();
          setKey(newIdempotencyKey('case'));
          onCreated(created.id);
        }
      }}
    >
      <h3>Open a new case</h3>
      <FieldErrors messages={errors.rest(['subject', 'description'])} />
      <label>
        Subject
        <input name="subject" />
      </label>
      <FieldErrors messages={errors.of('subject')} />
      <label>
        Description
        <textarea name="description" rows={3} />
      </label>
      <FieldErrors messages={errors.of('description')} />
      <button type="submit" disabled={loading}>
        Open case
      </button>
    </form>
  );
}

function CaseDetail({ id, onBack }: { id: string; onBack: () => void }) {
  const { data, error } = useQuery(PortalCaseDocument, {
    variables: { id },
    pollInterval: CASE_POLL_MS,
  });
  const [key, setKey] = useState(() => newIdempotencyKey('comment'));
  const [addComment, added] = useMutation(PortalAddCaseCommentDocument, {
    refetchQueries: [PortalCaseDocument],
    awaitRefetchQueries: true,
  });
  const errors = byField(added.data?.addCaseComment.userErrors);
  const c = data?.case;
  return (
    <section className="card" data-testid="case-detail">
      <button className="link" onClick={onBack}>
        ← All cases
      </button>
      <ErrorBanner error={error} />
      {c === null && <p>This case was not found.</p>}
      {c && (
        <>
          <h2>
            {c.caseNumber} · {c.subject}
          </h2>
          <p>
            Status:{' '}
            <span className={`status status-${c.status.toLowerCase()}`}>{label(c.status)}</span> ·
            opened {date(c.createdAt)}
          </p>
          {c.description && <p>{c.description}</p>}
          <h3>Comments</h3>
          <ol className="comments" data-testid="comments">
            {c.comments.map((m) => (
              <li key={m.id}>
                <time>{date(m.createdAt)}</time> {m.body}
              </li>
            ))}
          </ol>
          <form
            onSubmit={async (e) => {
              e.preventDefault();
              const form = e.currentTarget;
              const res = await addComment({
                variables: {
                  input: {
                    caseId: id,
                    body: String(new FormData(form).get('body')),
                    idempotencyKey: key,
                  },
                },
              });
              if (res.data?.addCaseComment.comment) {
                form.reset();
                setKey(newIdempotencyKey('comment'));
              }
            }}
          >
            <label>
              Add a comment
              <textarea name="body" rows={2} />
            </label>
            <FieldErrors messages={errors.of('body')} />
            <FieldErrors messages={errors.rest(['body'])} />
            <button type="submit" disabled={added.loading}>
              Add comment
            </button>
          </form>
        </>
      )}
    </section>
  );
}
