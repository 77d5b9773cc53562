// "Sign in" GraphiQL plugin: runs the graph's own `login` mutation and writes the access token
// into the request headers editor, so a newcomer gets a working token in one step.
import { useState, type FormEvent } from 'react';
import { useGraphiQL, type GraphiQLPlugin } from '@graphiql/react';
import { authorizationHeaders, setSignedInToken } from './session';

const LOGIN = /* GraphQL */ `
  mutation SignIn($username: String!, $password: String!) {
    login(input: { username: $username, password: $password }) {
      session {
        accessToken
        expiresAt
      }
      userErrors {
        code
        message
      }
    }
  }
`;

export const graphqlUrl = () => new URL('/graphql', location.href).toString();

type Status = { kind: 'idle' | 'busy' | 'ok' | 'error'; text: string };

function SignInPanel() {
  const headerEditor = useGraphiQL((s) => s.headerEditor);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [status, setStatus] = useState<Status>({ kind: 'idle', text: '' });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setStatus({ kind: 'busy', text: 'Signing in…' });
    try {
      const res = await fetch(graphqlUrl(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query: LOGIN, variables: { username, password } }),
      });
      const body = await res.json();
      const login = body?.data?.login;
      const token: string | undefined = login?.session?.accessToken;
      if (!token) {
        const why =
          login?.userErrors?.[0]?.message ?? body?.errors?.[0]?.message ?? `HTTP ${res.status}`;
        setStatus({ kind: 'error', text: `Sign in failed: ${why}` });
        return;
      }
      setSignedInToken(token);
      headerEditor?.setValue(authorizationHeaders(token));
      setStatus({
        kind: 'ok',
        text: `Signed in as ${username}. The token is in the Headers editor; tabs showing "Bearer <token>" use it too.`,
      });
    } catch (err) {
      setStatus({ kind: 'error', text: `Sign in failed: ${(err as Error).message}` });
    }
  }

  return (
    <form className="c360-sign-in" onSubmit={submit} style={{ display: 'grid', gap: 8 }}>
      <div className="graphiql-doc-explorer-title">Sign in</div>
      <p style={{ margin: 0 }}>
        Citizen or agent credentials. Runs the <code>login</code> mutation and puts the access token
        into the request headers.
      </p>
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

export const SIGN_IN_PLUGIN: GraphiQLPlugin = {
  title: 'Sign in',
  icon: KeyIcon,
  content: SignInPanel,
};
