// Administrators manage people: add someone, search by name or email, page through, change a role, disable or
// enable, hand out a one-time password-reset link, and delete (choosing what becomes of their honey jars).
import { useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { useViewer } from '../auth/session';
import { useStepUp } from '../auth/step-up';
import type { Role } from '../gql/graphql';
import { when } from '../account/format';
import { Badge } from '../ui/Badge';
import { ErrorNotice } from '../ui/ErrorNotice';
import { ItemButton, useItemAction } from '../ui/ItemAction';
import { Modal } from '../ui/Modal';
import { usePageTitle } from '../ui/page-title';
import { SecretOnce } from '../ui/SecretOnce';
import { LoadMore, Table } from '../ui/records';
import { Empty, Loading } from '../ui/states';
import { DeleteUserDialog } from './DeleteUserDialog';
import { NewPersonDialog } from './NewPersonDialog';
import { RoleOptions } from './RoleOptions';
import {
  CreatePasswordResetLinkDocument,
  DisableUserDocument,
  EnableUserDocument,
  SetUserRoleDocument,
  UsersDocument,
} from './documents';

const PAGE = 20;

interface Filter {
  search?: string;
  role?: Role;
  disabled?: boolean;
}

export function PeoplePage() {
  usePageTitle('People');
  const viewer = useViewer();
  const stepUp = useStepUp();
  const [text, setText] = useState('');
  const [role, setRole] = useState('');
  const [status, setStatus] = useState('');
  const [filter, setFilter] = useState<Filter>({});
  const variables = { filter, first: PAGE };
  const { data, loading, error, fetchMore, refetch } = useQuery(UsersDocument, {
    variables,
    notifyOnNetworkStatusChange: true,
  });
  const [setUserRole] = useMutation(SetUserRoleDocument);
  const [disableUser] = useMutation(DisableUserDocument);
  const [enableUser] = useMutation(EnableUserDocument);
  const [createLink] = useMutation(CreatePasswordResetLinkDocument);
  // A change disables its row's controls while it runs; deleting asks first, in a dialog of its own.
  const action = useItemAction<{ id: string; displayName: string }>();
  const [link, setLink] = useState<{ name: string; url: string; expiresAt: string } | null>(null);
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState('');
  const people = data?.users.edges.map((edge) => edge.node) ?? [];
  const pageInfo = data?.users.pageInfo;

  function applyFilter(event: FormEvent) {
    event.preventDefault();
    setFilter({
      ...(text.trim() ? { search: text.trim() } : {}),
      ...(role ? { role: role as Role } : {}),
      ...(status ? { disabled: status === 'disabled' } : {}),
    });
  }

  return (
    <section aria-labelledby="people-title" className="stack">
      <header className="page-header">
        <h1 id="people-title">People</h1>
        <button
          type="button"
          className="primary"
          onClick={() => {
            setAdded('');
            setAdding(true);
          }}
        >
          New person
        </button>
      </header>
      <p role="status">{added}</p>
      <form className="filters" onSubmit={applyFilter} role="search" aria-label="People">
        <label>
          Name or email
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value)}>
            <option value="">Any role</option>
            <RoleOptions />
          </select>
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">Anyone</option>
            <option value="enabled">Active</option>
            <option value="disabled">Disabled</option>
          </select>
        </label>
        <button type="submit" className="primary">
          Search
        </button>
      </form>
      {action.error !== null && <ErrorNotice error={action.error} />}
      {error && <ErrorNotice error={error} />}
      {loading && !data && <Loading label="Loading people" />}
      {data && people.length === 0 && <Empty title="Nobody matches these filters." />}
      {data && people.length > 0 && (
        <p className="muted" role="status">
          {data.users.totalCount} {data.users.totalCount === 1 ? 'person' : 'people'}
        </p>
      )}
      {people.length > 0 && (
        <Table columns={['Name', 'Email', 'Role', 'Status', 'Last sign-in']} actions>
          {people.map((person) => {
            const self = person.id === viewer.id;
            const busy = action.running?.id === person.id;
            return (
              <tr key={person.id}>
                <td>
                  {person.displayName} {self && <Badge tone="info">You</Badge>}
                </td>
                <td>{person.email}</td>
                <td>
                  <RoleChoice
                    person={person}
                    disabled={self || busy}
                    save={(next) => stepUp(() => setUserRole({ variables: { id: person.id, role: next } }))}
                  />
                </td>
                <td>
                  {person.disabled ? <Badge tone="bad">Disabled</Badge> : <Badge tone="good">Active</Badge>}
                </td>
                <td>{when(person.lastSignInAt)}</td>
                <td>
                  {!self && (
                    <div className="actions">
                      <ItemButton
                        verb={person.disabled ? 'Enable' : 'Disable'}
                        name={person.displayName}
                        // Focusable while busy, as Reset link is: the step-up dialog gives focus back to it.
                        aria-disabled={busy}
                        onClick={() => {
                          if (busy) return;
                          void action.run(person, ({ id }) =>
                            // Disabling or enabling an administrator asks for a fresh second factor.
                            stepUp<unknown>(() =>
                              person.disabled
                                ? enableUser({ variables: { id } })
                                : disableUser({ variables: { id } }),
                            ),
                          );
                        }}
                      />
                      <button
                        type="button"
                        aria-disabled={busy}
                        aria-label={`Password-reset link for ${person.displayName}`}
                        onClick={() => {
                          // Still focusable while the link is made (a press meanwhile does nothing): the dialogs
                          // it opens, the step-up one and the link's, give focus back to it when they close.
                          if (busy) return;
                          void action.run(person, async ({ id, displayName }) => {
                            // The link signs in as the person: it asks for a fresh second factor.
                            const result = await stepUp(() => createLink({ variables: { userId: id } }));
                            setLink({ name: displayName, ...result.data!.createPasswordResetLink });
                          });
                        }}
                      >
                        Reset link
                      </button>
                      <ItemButton
                        verb="Delete"
                        name={person.displayName}
                        className="danger"
                        onClick={() => action.ask(person)}
                      />
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </Table>
      )}
      <LoadMore pageInfo={pageInfo} loading={loading} fetchMore={fetchMore} variables={variables} />

      <Modal
        open={link !== null}
        title={`Password-reset link for ${link?.name ?? ''}`}
        onClose={() => setLink(null)}
      >
        {link && (
          <SecretOnce label="Password-reset link" secret={link.url} what="link" onDone={() => setLink(null)}>
            <p>
              Hand this link to them. It works once, until {new Date(link.expiresAt).toLocaleTimeString()}.
              Setting a password with it signs them out everywhere and revokes their API keys.
            </p>
          </SecretOnce>
        )}
      </Modal>
      <NewPersonDialog
        open={adding}
        onClose={() => setAdding(false)}
        onCreated={(person) => {
          setAdding(false);
          setAdded(`${person.displayName} was added. Hand them their password to sign in with.`);
          void refetch();
        }}
      />
      <DeleteUserDialog
        user={action.asking}
        onClose={action.cancel}
        onDeleted={() => {
          action.cancel();
          void refetch();
        }}
      />
    </section>
  );
}

/**
 * A person's role. Choosing one only proposes it: Save sends it (through the step-up dialog when the server asks)
 * and says when it is saved, Cancel puts the saved role back. Neither control is disabled while saving, and focus
 * returns to the select when they go, so it never drops to the page.
 */
function RoleChoice({
  person,
  disabled,
  save,
}: {
  person: { displayName: string; role?: Role | null };
  disabled: boolean;
  save(role: Role): Promise<unknown>;
}) {
  const [chosen, setChosen] = useState<Role | null>(null);
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<unknown>(null);
  const select = useRef<HTMLSelectElement>(null);
  const changed = chosen !== null && chosen !== person.role;

  function choose(role: Role | null) {
    setChosen(role);
    setStatus('');
    setError(null);
  }

  function backToSelect() {
    choose(null);
    select.current?.focus();
  }

  async function submit() {
    if (chosen === null || saving) return;
    setSaving(true);
    setError(null);
    setStatus('Saving…');
    try {
      await save(chosen);
      backToSelect();
      setStatus(`${person.displayName} is now ${chosen}.`);
    } catch (failure) {
      setStatus('');
      setError(failure);
    } finally {
      setSaving(false);
    }
  }

  return (
    <>
      <div className="actions">
        <select
          ref={select}
          aria-label={`Role of ${person.displayName}`}
          value={chosen ?? person.role ?? ''}
          disabled={disabled}
          onChange={(e) => choose(e.target.value as Role)}
        >
          <RoleOptions />
        </select>
        {changed && (
          <>
            <ItemButton
              verb="Save"
              name={`role of ${person.displayName}`}
              className="primary"
              aria-disabled={saving}
              onClick={() => void submit()}
            />
            <ItemButton verb="Cancel" name={`role change of ${person.displayName}`} onClick={backToSelect} />
          </>
        )}
        <span role="status" className="muted">
          {status}
        </span>
      </div>
      {error !== null && <ErrorNotice error={error} />}
    </>
  );
}

export default PeoplePage;
