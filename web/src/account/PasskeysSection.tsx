// Passkeys: sign in without a password. Add one (the browser asks the authenticator), rename or remove it.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { passkeyAttestation, passkeysSupported } from '../auth/passkeys';
import { useStepUp } from '../auth/step-up';
import { Badge } from '../ui/Badge';
import { ErrorNotice } from '../ui/ErrorNotice';
import { ConfirmAction, ItemButton, useItemAction } from '../ui/ItemAction';
import { Table } from '../ui/records';
import { Empty, Loading } from '../ui/states';
import {
  FinishPasskeyRegistrationDocument,
  PasskeysDocument,
  RemovePasskeyDocument,
  RenamePasskeyDocument,
  SecondFactorDocument,
  StartPasskeyRegistrationDocument,
} from './documents';
import { when } from './format';

export function passkeyNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (!trimmed) return 'Give the passkey a name, e.g. the device it lives on.';
  if (trimmed.length > 100) return 'A passkey name has at most 100 characters.';
  return null;
}

export function PasskeysSection() {
  const { data, loading, error } = useQuery(PasskeysDocument);
  const refetchQueries = [{ query: PasskeysDocument }, { query: SecondFactorDocument }];
  const [startRegistration] = useMutation(StartPasskeyRegistrationDocument);
  const [finishRegistration] = useMutation(FinishPasskeyRegistrationDocument, { refetchQueries });
  const [rename, renamed] = useMutation(RenamePasskeyDocument);
  const [remove] = useMutation(RemovePasskeyDocument, { refetchQueries });
  const [name, setName] = useState('');
  const [adding, setAdding] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const [editing, setEditing] = useState<{ id: string; name: string } | null>(null);
  const removing = useItemAction<{ id: string; name: string }>();
  const stepUp = useStepUp();
  const passkeys = data?.passkeys ?? [];

  async function add(event: FormEvent) {
    event.preventDefault();
    const invalid = passkeyNameProblem(name);
    if (invalid) return setProblem(new Error(invalid));
    setProblem(null);
    setAdding(true);
    try {
      // Someone who already has a second factor confirms it first; the whole ceremony then runs again.
      await stepUp(async () => {
        const started = await startRegistration();
        const response = await passkeyAttestation(started.data!.startPasskeyRegistration);
        return finishRegistration({ variables: { name: name.trim(), response } });
      });
      setName('');
    } catch (e) {
      setProblem(e);
    } finally {
      setAdding(false);
    }
  }

  async function saveName(event: FormEvent) {
    event.preventDefault();
    if (!editing) return;
    const invalid = passkeyNameProblem(editing.name);
    if (invalid) return setProblem(new Error(invalid));
    setProblem(null);
    const result = await rename({ variables: { id: editing.id, name: editing.name.trim() } }).catch(
      () => null,
    );
    if (result?.data) setEditing(null);
  }

  return (
    <section className="card" aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">Passkeys</h2>
      {loading && !data && <Loading label="Loading your passkeys" />}
      {error && <ErrorNotice error={error} />}
      {data && passkeys.length === 0 && <Empty title="No passkeys yet." />}
      {passkeys.length > 0 && (
        <Table columns={['Name', 'Added', 'Last used']} actions>
          {passkeys.map((passkey) => (
            <tr key={passkey.id}>
              <td>
                {editing?.id === passkey.id ? (
                  <form onSubmit={saveName} className="inline-form" noValidate>
                    <label>
                      <span className="visually-hidden">New name of {passkey.name}</span>
                      <input
                        value={editing.name}
                        autoFocus
                        maxLength={100}
                        onChange={(e) => setEditing({ id: passkey.id, name: e.target.value })}
                      />
                    </label>
                    <button type="submit" disabled={renamed.loading}>
                      Save
                    </button>
                    <button type="button" onClick={() => setEditing(null)}>
                      Cancel
                    </button>
                  </form>
                ) : (
                  <>
                    {passkey.name} {passkey.backedUp && <Badge tone="info">Synced</Badge>}
                  </>
                )}
              </td>
              <td>{when(passkey.createdAt)}</td>
              <td>{when(passkey.lastUsedAt)}</td>
              <td>
                <div className="actions">
                  <ItemButton
                    verb="Rename"
                    name={passkey.name}
                    onClick={() => setEditing({ id: passkey.id, name: passkey.name })}
                  />
                  <ItemButton verb="Remove" name={passkey.name} onClick={() => removing.ask(passkey)} />
                </div>
              </td>
            </tr>
          ))}
        </Table>
      )}
      {renamed.error && <ErrorNotice error={renamed.error} />}
      {passkeysSupported() ? (
        <form onSubmit={add} className="inline-form" noValidate>
          <label>
            Passkey name
            <input
              value={name}
              maxLength={100}
              placeholder="e.g. Laptop"
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <button type="submit" className="primary" disabled={adding}>
            {adding ? 'Waiting for your authenticator…' : 'Add a passkey'}
          </button>
        </form>
      ) : (
        <p className="muted">This browser cannot use passkeys.</p>
      )}
      {problem !== null && <ErrorNotice error={problem} />}
      <ConfirmAction
        action={removing}
        title={(passkey) => `Remove the passkey “${passkey.name}”?`}
        confirmLabel="Remove passkey"
        run={(passkey) => stepUp(() => remove({ variables: { id: passkey.id } }))}
      >
        <p>You can no longer sign in with it.</p>
      </ConfirmAction>
    </section>
  );
}
