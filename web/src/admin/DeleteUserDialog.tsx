// Deleting a person asks what becomes of their honey jars: handed to someone picked by name, or deleted with
// them. Their conversations go; the audit records stay.
import { useState } from 'react';
import { useMutation } from '@apollo/client/react';
import { useStepUp } from '../auth/step-up';
import { PersonPicker } from '../people/PersonPicker';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Modal } from '../ui/Modal';
import { deleteUserInput, type DeleteUserChoice } from './delete-user';
import { DeleteUserDocument } from './documents';

export function DeleteUserDialog({
  user,
  onClose,
  onDeleted,
}: {
  user: { id: string; displayName: string } | null;
  onClose(): void;
  onDeleted(): void;
}) {
  const [choice, setChoice] = useState<DeleteUserChoice>({ honeyJars: 'TRANSFER', transferTo: null });
  const [problem, setProblem] = useState<unknown>(null);
  const [remove, { loading }] = useMutation(DeleteUserDocument);
  const stepUp = useStepUp();

  const close = () => {
    setChoice({ honeyJars: 'TRANSFER', transferTo: null });
    setProblem(null);
    onClose();
  };

  async function confirm() {
    if (!user) return;
    const checked = deleteUserInput(user.id, choice);
    if ('problem' in checked) return setProblem(new Error(checked.problem));
    try {
      await stepUp(() => remove({ variables: { input: checked.input } }));
      setChoice({ honeyJars: 'TRANSFER', transferTo: null });
      setProblem(null);
      onDeleted();
    } catch (error) {
      setProblem(error);
    }
  }

  return (
    <Modal open={user !== null} title={`Delete ${user?.displayName ?? ''}?`} onClose={close}>
      <div className="stack">
        <p>Their sessions and API keys stop working at once and their conversations are deleted.</p>
        <fieldset>
          <legend>Their honey jars</legend>
          <label className="inline">
            <input
              type="radio"
              name="honey-jars"
              checked={choice.honeyJars === 'TRANSFER'}
              onChange={() => setChoice((c) => ({ ...c, honeyJars: 'TRANSFER' }))}
            />
            Give them to another person
          </label>
          <label className="inline">
            <input
              type="radio"
              name="honey-jars"
              checked={choice.honeyJars === 'DELETE'}
              onChange={() => setChoice((c) => ({ ...c, honeyJars: 'DELETE' }))}
            />
            Delete them with their documents
          </label>
        </fieldset>
        {choice.honeyJars === 'TRANSFER' &&
          (choice.transferTo ? (
            <p>
              New owner: <strong>{choice.transferTo.displayName}</strong>{' '}
              <button type="button" onClick={() => setChoice((c) => ({ ...c, transferTo: null }))}>
                Change
              </button>
            </p>
          ) : (
            <PersonPicker
              label="New owner of the honey jars"
              exclude={user ? [user.id] : []}
              onPick={(person) => setChoice((c) => ({ ...c, transferTo: person }))}
            />
          ))}
        {problem !== null && <ErrorNotice error={problem} />}
        <div className="actions">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="button" className="danger" disabled={loading} onClick={() => void confirm()}>
            Delete person
          </button>
        </div>
      </div>
    </Modal>
  );
}
