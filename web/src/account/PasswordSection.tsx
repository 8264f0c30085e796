// Changing one's password: the current one is required, and every other session of the person ends with it.
import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { NewPasswordFields } from '../auth/NewPasswordFields';
import { useViewer } from '../auth/session';
import { newPasswordProblem } from '../auth/password-rules';
import { ErrorNotice } from '../ui/ErrorNotice';
import { ChangePasswordDocument, MySessionsDocument } from './documents';

export function PasswordSection() {
  const viewer = useViewer();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [change, { loading, error }] = useMutation(ChangePasswordDocument, {
    refetchQueries: [{ query: MySessionsDocument }],
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setDone(false);
    const invalid = current ? newPasswordProblem(next, repeat) : 'Enter your current password.';
    setProblem(invalid);
    if (invalid) return;
    const result = await change({ variables: { currentPassword: current, newPassword: next } }).catch(
      () => null,
    );
    if (result?.data?.changePassword) {
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(true);
    }
  }

  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <form onSubmit={submit} className="stack" noValidate>
        {/* Tells password managers whose password this is. */}
        <input type="text" autoComplete="username" value={viewer.email ?? ''} readOnly hidden />
        <label>
          Current password
          <input
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </label>
        <NewPasswordFields
          password={next}
          confirmation={repeat}
          onPassword={setNext}
          onConfirmation={setRepeat}
        />
        {problem && <ErrorNotice error={new Error(problem)} />}
        {error && <ErrorNotice error={error} />}
        {done && <p role="status">Your password is changed. Your other sessions were signed out.</p>}
        <div className="actions">
          <button type="submit" className="primary" disabled={loading}>
            Change password
          </button>
        </div>
      </form>
    </section>
  );
}
