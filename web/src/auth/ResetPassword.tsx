// Setting a new password with the one-time link an administrator handed over: /reset-password#token=…
// The token travels in the fragment, so it never reaches a server log; the page takes it and clears the address.
import { useEffect, useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { Link } from 'react-router';
import { graphql } from '../gql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Logo } from '../ui/Logo';
import { usePageTitle } from '../ui/page-title';
import { NewPasswordFields } from './NewPasswordFields';
import { newPasswordProblem, tokenFromHash } from './password-rules';

export const ResetPasswordDocument = graphql(`
  mutation ResetPassword($token: String!, $newPassword: String!) {
    resetPassword(token: $token, newPassword: $newPassword)
  }
`);

export function ResetPassword() {
  usePageTitle('Choose a new password');
  const [token] = useState(() => tokenFromHash(window.location.hash));
  useEffect(() => {
    // The token is kept in this page's state; the address bar (and history) no longer shows it.
    if (window.location.hash) window.history.replaceState(window.history.state, '', window.location.pathname);
  }, []);
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [reset, { loading, error, data }] = useMutation(ResetPasswordDocument);

  function submit(event: FormEvent) {
    event.preventDefault();
    const invalid = newPasswordProblem(password, confirmation);
    setProblem(invalid);
    if (invalid || !token) return;
    void reset({ variables: { token, newPassword: password } }).catch(() => undefined);
  }

  return (
    <main className="sign-in">
      <form className="card" onSubmit={submit} aria-labelledby="reset-title" noValidate>
        <h1 id="reset-title">
          <Logo /> Choose a new password
        </h1>
        {!token ? (
          <p role="alert" className="notice error">
            This link has no reset token. Ask an administrator for a new link.
          </p>
        ) : data?.resetPassword ? (
          <p role="status">
            Your password is set. Every session of yours has been signed out and every API key revoked: if you
            use keys, create new ones once you are back. <Link to="/sign-in">Sign in</Link> with the new
            password.
          </p>
        ) : (
          <>
            <NewPasswordFields
              password={password}
              confirmation={confirmation}
              onPassword={setPassword}
              onConfirmation={setConfirmation}
            />
            {problem && <ErrorNotice error={new Error(problem)} />}
            {error && <ErrorNotice error={error} />}
            <button type="submit" className="primary" disabled={loading}>
              {loading ? 'Saving…' : 'Set password'}
            </button>
          </>
        )}
      </form>
    </main>
  );
}
