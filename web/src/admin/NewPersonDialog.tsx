// Adding a person: their email, name, role and a first password (checked by the same rule as every other
// password), which the administrator hands over for them to change.
import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { NewPasswordFields } from '../auth/NewPasswordFields';
import { useStepUp } from '../auth/step-up';
import { newPasswordProblem } from '../auth/password-rules';
import type { Role } from '../gql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Modal } from '../ui/Modal';
import { CreateUserDocument } from './documents';
import { RoleOptions } from './RoleOptions';

const EMPTY = { email: '', displayName: '', role: 'MEMBER' as Role, password: '', confirmation: '' };

export function NewPersonDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose(): void;
  onCreated(person: { displayName: string }): void;
}) {
  const [form, setForm] = useState(EMPTY);
  const [problem, setProblem] = useState<unknown>(null);
  const [create, { loading }] = useMutation(CreateUserDocument);
  const stepUp = useStepUp();
  const set = (field: keyof typeof EMPTY) => (value: string) => setForm((f) => ({ ...f, [field]: value }));

  function reset() {
    setForm(EMPTY);
    setProblem(null);
  }

  function close() {
    reset();
    onClose();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (loading) return;
    const invalid = !form.email.trim()
      ? 'Enter their email.'
      : !form.displayName.trim()
        ? 'Enter their name.'
        : newPasswordProblem(form.password, form.confirmation);
    if (invalid) return setProblem(new Error(invalid));
    const { email, displayName, role, password } = form;
    try {
      // Making an administrator asks for a fresh second factor.
      const result = await stepUp(() =>
        create({
          variables: { input: { email: email.trim(), displayName: displayName.trim(), role, password } },
        }),
      );
      reset();
      onCreated(result.data!.createUser);
    } catch (error) {
      setProblem(error);
    }
  }

  return (
    <Modal open={open} title="New person" onClose={close}>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <label>
          Email
          <input
            type="email"
            autoComplete="off"
            value={form.email}
            onChange={(e) => set('email')(e.target.value)}
          />
        </label>
        <label>
          Display name
          <input value={form.displayName} onChange={(e) => set('displayName')(e.target.value)} />
        </label>
        <label>
          Role
          <select value={form.role} onChange={(e) => set('role')(e.target.value)}>
            <RoleOptions />
          </select>
        </label>
        <NewPasswordFields
          password={form.password}
          confirmation={form.confirmation}
          onPassword={set('password')}
          onConfirmation={set('confirmation')}
        />
        {problem !== null && <ErrorNotice error={problem} />}
        <div className="actions">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary" aria-disabled={loading}>
            {loading ? 'Adding…' : 'Add person'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
