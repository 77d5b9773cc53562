// "Sign in" GraphiQL plugin: runs the graph's own `login` mutation and keeps the session
// (session.ts: sessionStorage, refreshed before expiry, `logout(refreshToken:)` on sign-out). The
// fetcher sends its token with every request; nothing is written into the headers editor.
import { useState, type FormEvent } from 'react';
import type { GraphiQLPlugin } from '@graphiql/react';
import type { DemoLogin } from './examples';
import { post, signedIn, signOut } from './session';
import { useSession } from './use-session';

const LOGIN = /* GraphQL */ `
  mutation SignIn($username: String!, $password: String!) {
    login(input: { username: $username, password: $password }) {
      session {
        accessToken
        refreshToken
        expiresAt
      }
      userErrors {
        code
        message
      }
    }
  }
`;

type Status = { kind: 'idle' | 'busy' | 'error'; text: string };

function SignInPanel({ demo }: { demo: DemoLogin | null }) {
  const session = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [status, setStatus] = useState<Status>({ kind: 'idle', text: '' });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setStatus({ kind: 'busy', text: 'Signing in…' });
    try {
      const { status: http, body } = await post(LOGIN, { username, password });
      const login = body?.data?.login;
      const tokens = login?.session;
      if (!tokens?.accessToken) {
        const why = login?.userErrors?.[0]?.message ?? body?.errors?.[0]?.message ?? `HTTP ${http}`;
        setStatus({ kind: 'error', text: `Sign in failed: ${why}` });
        return;
      }
      signedIn(username, {
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken ?? null,
        expiresAt: tokens.expiresAt ?? null,
      });
      setPassword('');
      setStatus({ kind: 'idle', text: '' });
    } catch (err) {
      setStatus({ kind: 'error', text: `Sign in failed: ${(err as Error).message}` });
    }
  }

  if (session)
    return (
      <div className="c360-sign-in" style={{ display: 'grid', gap: 8 }}>
        <div className="graphiql-doc-explorer-title">Signed in</div>
        <p role="status" className="c360-sign-in-status c360-sign-in-ok" style={{ margin: 0 }}>
          Signed in as <strong className="c360-username">{session.username}</strong>. Every request
          carries this session&apos;s token (an Authorization header in the Headers editor takes
          precedence).
          {session.expiresAt &&
            ` The token is refreshed before it expires (${new Date(session.expiresAt).toLocaleTimeString()}).`}
        </p>
        {session.facts?.citizenId && (
          <p style={{ margin: 0 }}>
            Your citizen id: <code className="c360-citizen-id">{session.facts.citizenId}</code>. The
            example tabs use it (and your latest case) as their variables.
          </p>
        )}
        {session.facts && !session.facts.citizenId && (
          <p style={{ margin: 0 }}>
            Signed in without a citizen record (an agent): give ids in the Variables editor.
          </p>
        )}
        <button
          type="button"
          className="graphiql-button c360-sign-out"
          onClick={() => void signOut()}
        >
          Sign out
        </button>
      </div>
    );

  return (
    <form className="c360-sign-in" onSubmit={submit} style={{ display: 'grid', gap: 8 }}>
      <div className="graphiql-doc-explorer-title">Sign in</div>
      <p style={{ margin: 0 }}>
        Citizen or agent credentials. Runs the <code>login</code> mutation; the session lasts until
        you sign out or close the tab. Without it you are anonymous: the catalogue, sign-in,
        registration and password reset work.
      </p>
      {demo && (
        <p className="c360-demo-login" style={{ margin: 0 }}>
          Development only — demo citizen <code>{demo.username}</code> /{' '}
          <code>{demo.password}</code>{' '}
          <button
            type="button"
            className="graphiql-button c360-use-demo"
            onClick={() => {
              setUsername(demo.username);
              setPassword(demo.password);
            }}
          >
            Use
          </button>
        </p>
      )}
      <label>
        Username
        <input
          name="username"
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          style={{ display: 'block', width: '100%' }}
        />
      </label>
      <label>
        Password
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          style={{ display: 'block', width: '100%' }}
        />
      </label>
      <button type="submit" className="graphiql-button" disabled={status.kind === 'busy'}>
        Sign in
      </button>
      {status.text && (
        <p
          role="status"
          className={`c360-sign-in-status c360-sign-in-${status.kind}`}
          style={{ margin: 0 }}
        >
          {status.text}
        </p>
      )}
    </form>
  );
}

function KeyIcon() {
  return (
    <svg
      viewBox="0 0 24 24"
      width="1em"
      height="1em"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
    >
      <circle cx="8" cy="15" r="4" />
      <path d="M11 12l9-9M16 7l3 3M14 9l2 2" />
    </svg>
  );
}

/** The Sign in plugin; `demo` (development only) is offered as a one-click fill-in. */
export function signInPlugin(demo: DemoLogin | null): GraphiQLPlugin {
  return {
    title: 'Sign in',
    icon: KeyIcon,
    content: () => <SignInPanel demo={demo} />,
  };
}
