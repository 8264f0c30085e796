// The person's display name, which others see on jars and in member lists.
import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { useViewer } from '../auth/session';
import { ErrorNotice } from '../ui/ErrorNotice';
import { UpdateProfileDocument } from './documents';

export function displayNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (!trimmed) return 'Enter a display name.';
  if (trimmed.length > 120) return 'A display name has at most 120 characters.';
  return null;
}

export function ProfileSection() {
  const viewer = useViewer();
  const [name, setName] = useState(viewer.displayName);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [update, { loading, error }] = useMutation(UpdateProfileDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const invalid = displayNameProblem(name);
    setProblem(invalid);
    if (invalid) return;
    const result = await update({ variables: { input: { displayName: name.trim() } } }).catch(() => null);
    if (result?.data) setSaved(true);
  }

  return (
    <section className="card" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <form onSubmit={submit} className="stack" noValidate>
        <label>
          Display name
          <input value={name} maxLength={120} autoComplete="name" onChange={(e) => setName(e.target.value)} />
        </label>
        {problem && <ErrorNotice error={new Error(problem)} />}
        {error && <ErrorNotice error={error} />}
        {saved && <p role="status">Saved.</p>}
        <div className="actions">
          <button type="submit" className="primary" disabled={loading}>
            Save name
          </button>
        </div>
      </form>
    </section>
  );
}
