// Sign in with email and password (and, for people enrolled in TOTP, a second step asking for a code), or with a
// passkey. The gateway answers with the session cookie, made from the token the mutation selects; the app itself
// keeps the token nowhere.
import { useState, type FormEvent } from 'react';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { graphql } from '../gql';
import { describeError, ErrorNotice } from '../ui/ErrorNotice';
import { Logo } from '../ui/Logo';
import { usePageTitle } from '../ui/page-title';
import { passkeyAssertion, passkeysSupported } from './passkeys';
import { codeProblem, normalizeCode } from './second-factor-code';
import type { SignInState } from './session';

export const LoginDocument = graphql(`
  mutation Login($email: String!, $password: String!, $secondFactor: String) {
    login(email: $email, password: $password, secondFactor: $secondFactor) {
      token
      expiresAt
    }
  }
`);

export const StartPasskeySignInDocument = graphql(`
  mutation StartPasskeySignIn($email: String) {
    startPasskeySignIn(email: $email) {
      challengeId
      optionsJson
    }
  }
`);

export const FinishPasskeySignInDocument = graphql(`
  mutation FinishPasskeySignIn($challengeId: ID!, $response: String!) {
    finishPasskeySignIn(challengeId: $challengeId, response: $response) {
      token
      expiresAt
    }
  }
`);

/**
 * Signs in with a passkey (only this person's, given an email): the server's challenge, the authenticator's
 * answer, and the session the server opens for it.
 */
export function usePasskeySignIn(): (email: string | null) => Promise<void> {
  const [start] = useMutation(StartPasskeySignInDocument);
  const [finish] = useMutation(FinishPasskeySignInDocument);
  return async (email) => {
    const started = await start({ variables: { email } });
    const challenge = started.data!.startPasskeySignIn;
    const response = await passkeyAssertion(challenge.optionsJson);
    await finish({ variables: { challengeId: challenge.challengeId, response } });
  };
}

/** Only paths inside the app: `from` comes from the URL and must not send anyone elsewhere. */
export function safeReturnPath(from: string | null): string {
  return from && from.startsWith('/') && !from.startsWith('//') && !from.startsWith('/\\') ? from : '/jars';
}

export function SignIn() {
  usePageTitle('Sign in');
  const [params] = useSearchParams();
  const sessionEnded = (useLocation().state as SignInState | null)?.sessionEnded === true;
  const navigate = useNavigate();
  const client = useApolloClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [step, setStep] = useState<'password' | 'second-factor'>('password');
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [login] = useMutation(LoginDocument);
  const passkeySignIn = usePasskeySignIn();

  async function signedIn() {
    await client.resetStore().catch(() => undefined);
    navigate(safeReturnPath(params.get('from')), { replace: true });
  }

  async function attempt(work: () => Promise<boolean>) {
    setBusy(true);
    setProblem(null);
    try {
      if (await work()) await signedIn();
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  }

  function submitPassword(event: FormEvent) {
    event.preventDefault();
    void attempt(async () => {
      try {
        await login({ variables: { email, password } });
        return true;
      } catch (error) {
        if (describeError(error).code !== 'SECOND_FACTOR_REQUIRED') throw error;
        setStep('second-factor');
        return false;
      }
    });
  }

  function submitCode(event: FormEvent) {
    event.preventDefault();
    const invalid = codeProblem(code);
    if (invalid) return setProblem(new Error(invalid));
    void attempt(async () => {
      await login({ variables: { email, password, secondFactor: normalizeCode(code) } });
      return true;
    });
  }

  function signInWithPasskey() {
    void attempt(async () => {
      await passkeySignIn(email.trim() || null);
      return true;
    });
  }

  if (step === 'second-factor')
    return (
      <main className="sign-in">
        {/* Keyed apart from the password form, so React builds a new code field and its autoFocus applies. */}
        <form
          key="second-factor"
          className="card"
          onSubmit={submitCode}
          aria-labelledby="sign-in-title"
          noValidate
        >
          <h1 id="sign-in-title">
            <Logo /> Confirm it is you
          </h1>
          <p>Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>
          <label>
            Authentication code
            <input
              autoComplete="one-time-code"
              autoFocus
              spellCheck={false}
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          </label>
          {problem !== null && <ErrorNotice error={problem} />}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Checking…' : 'Verify'}
          </button>
          <button
            type="button"
            onClick={() => {
              setStep('password');
              setCode('');
              setPassword('');
              setProblem(null);
            }}
          >
            Back
          </button>
        </form>
      </main>
    );

  return (
    <main className="sign-in">
      <form key="password" className="card" onSubmit={submitPassword} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">
          <Logo /> Sign in to STING
        </h1>
        {sessionEnded && <p className="muted">Your session ended. Sign in to go back where you were.</p>}
        <label>
          Email
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {problem !== null && <ErrorNotice error={problem} />}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {passkeysSupported() && (
          <>
            <p className="muted or">or, without a password</p>
            <button type="button" onClick={signInWithPasskey} disabled={busy}>
              Use a passkey
            </button>
          </>
        )}
      </form>
    </main>
  );
}
