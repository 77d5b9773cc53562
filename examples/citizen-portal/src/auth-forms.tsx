// Sign in, register (passcode by email) and reset password: the flows the session subgraph offers.
import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import {
  PortalCompletePasswordResetDocument,
  PortalCompleteRegistrationDocument,
  PortalLoginDocument,
  PortalStartPasswordResetDocument,
  PortalStartRegistrationDocument,
} from './gql/graphql';
import { byField, FieldErrors } from './errors';
import type { SessionStore } from './session';

type Mode = 'sign-in' | 'register' | 'reset';

export function AuthForms({ store, title }: { store: SessionStore; title: string }) {
  const [mode, setMode] = useState<Mode>('sign-in');
  return (
    <section className="card auth">
      <h2>{title}</h2>
      <nav className="tabs">
        <button className={mode === 'sign-in' ? 'active' : ''} onClick={() => setMode('sign-in')}>
          Sign in
        </button>
        <button className={mode === 'register' ? 'active' : ''} onClick={() => setMode('register')}>
          Register
        </button>
        <button className={mode === 'reset' ? 'active' : ''} onClick={() => setMode('reset')}>
          Reset password
        </button>
      </nav>
      {mode === 'sign-in' && <SignIn store={store} />}
      {mode === 'register' && <Register store={store} />}
      {mode === 'reset' && <ResetPassword onDone={() => setMode('sign-in')} />}
    </section>
  );
}

function SignIn({ store }: { store: SessionStore }) {
  const [login, { data, loading }] = useMutation(PortalLoginDocument);
  const errors = byField(data?.login.userErrors);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const res = await login({
      variables: {
        input: { username: String(f.get('username')), password: String(f.get('password')) },
      },
    });
    if (res.data?.login.session) store.set(res.data.login.session);
  };
  return (
    <form onSubmit={submit} className="sign-in">
      <FieldErrors messages={errors.rest(['username', 'password'])} />
      <label>
        Email
        <input name="username" type="email" autoComplete="username" required />
      </label>
      <FieldErrors messages={errors.of('username')} />
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <FieldErrors messages={errors.of('password')} />
      <button type="submit" disabled={loading}>
        Sign in
      </button>
    </form>
  );
}

function Register({ store }: { store: SessionStore }) {
  const [start, started] = useMutation(PortalStartRegistrationDocument);
  const [complete, completed] = useMutation(PortalCompleteRegistrationDocument);
  const identifier = started.data?.startRegistration.identifier;
  const startErrors = byField(started.data?.startRegistration.userErrors);
  const completeErrors = byField(completed.data?.completeRegistration.userErrors);
  if (!identifier)
    return (
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          void start({
            variables: {
              input: {
                firstName: String(f.get('firstName')),
                lastName: String(f.get('lastName')),
                email: String(f.get('email')),
                password: String(f.get('password')),
              },
            },
          });
        }}
      >
        <FieldErrors messages={startErrors.rest(['firstName', 'lastName', 'email', 'password'])} />
        {(['firstName', 'lastName', 'email', 'password'] as const).map((name) => (
          <div key={name}>
            <label>
              {
                {
                  firstName: 'First name',
                  lastName: 'Last name',
                  email: 'Email',
                  password: 'Password',
                }[name]
              }
              <input
                name={name}
                type={name === 'password' ? 'password' : name === 'email' ? 'email' : 'text'}
                required
              />
            </label>
            <FieldErrors messages={startErrors.of(name)} />
          </div>
        ))}
        <button type="submit" disabled={started.loading}>
          Send me a passcode
        </button>
      </form>
    );
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const res = await complete({
          variables: { input: { identifier, otp: String(f.get('otp')) } },
        });
        if (res.data?.completeRegistration.session)
          store.set(res.data.completeRegistration.session);
      }}
    >
      <p>We sent a passcode to your email address.</p>
      <FieldErrors messages={completeErrors.rest(['otp'])} />
      <label>
        Passcode
        <input name="otp" inputMode="numeric" autoComplete="one-time-code" required />
      </label>
      <FieldErrors messages={completeErrors.of('otp')} />
      <button type="submit" disabled={completed.loading}>
        Create my account
      </button>
    </form>
  );
}

function ResetPassword({ onDone }: { onDone: () => void }) {
  const [username, setUsername] = useState('');
  const [start, started] = useMutation(PortalStartPasswordResetDocument);
  const [complete, completed] = useMutation(PortalCompletePasswordResetDocument);
  const errors = byField(completed.data?.completePasswordReset.userErrors);
  if (completed.data?.completePasswordReset.success)
    return (
      <p className="ok">
        Your password was changed and every session was signed out.{' '}
        <button onClick={onDone}>Sign in</button>
      </p>
    );
  if (!started.data?.startPasswordReset.success)
    return (
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void start({ variables: { username } });
        }}
      >
        <label>
          Email
          <input
            name="username"
            type="email"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
        </label>
        <button type="submit" disabled={started.loading}>
          Send me a passcode
        </button>
      </form>
    );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        void complete({
          variables: {
            input: {
              username,
              otp: String(f.get('otp')),
              newPassword: String(f.get('newPassword')),
            },
          },
        });
      }}
    >
      <p>If {username} has an account, a passcode is on its way.</p>
      <FieldErrors messages={errors.rest(['otp', 'newPassword'])} />
      <label>
        Passcode
        <input name="otp" inputMode="numeric" autoComplete="one-time-code" required />
      </label>
      <FieldErrors messages={errors.of('otp')} />
      <label>
        New password
        <input name="newPassword" type="password" autoComplete="new-password" required />
      </label>
      <FieldErrors messages={errors.of('newPassword')} />
      <button type="submit" disabled={completed.loading}>
        Change my password
      </button>
    </form>
  );
}
