// Administrators manage people: search by name or email, page through, change a role, disable or enable,
// hand out a one-time password-reset link, and delete (choosing what becomes of their honey jars).
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { useViewer } from '../auth/session';
import { useStepUp } from '../auth/step-up';
import type { Role } from '../gql/graphql';
import { when } from '../account/format';
import { Badge } from '../ui/Badge';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Modal } from '../ui/Modal';
import { SecretOnce } from '../ui/SecretOnce';
import { Empty, Loading } from '../ui/states';
import { DeleteUserDialog } from './DeleteUserDialog';
import {
  CreatePasswordResetLinkDocument,
  DisableUserDocument,
  EnableUserDocument,
  SetUserRoleDocument,
  UsersDocument,
} from './documents';

const ROLES: Role[] = ['ADMIN', 'MEMBER', 'VIEWER'];
const PAGE = 20;

interface Filter {
  search?: string;
  role?: Role;
  disabled?: boolean;
}

export function PeoplePage() {
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
  const [actionError, setActionError] = useState<unknown>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [link, setLink] = useState<{ name: string; url: string; expiresAt: string } | null>(null);
  const [deleting, setDeleting] = useState<{ id: string; displayName: string } | null>(null);
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

  async function act(userId: string, action: () => Promise<unknown>) {
    setBusyId(userId);
    setActionError(null);
    try {
      await action();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusyId(null);
    }
  }

  return (
    <section aria-labelledby="people-title" className="stack">
      <h1 id="people-title">People</h1>
      <form className="filters" onSubmit={applyFilter} role="search" aria-label="People">
        <label>
          Name or email
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value)}>
            <option value="">Any role</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
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
      {actionError !== null && <ErrorNotice error={actionError} />}
      {error && <ErrorNotice error={error} />}
      {loading && !data && <Loading label="Loading people" />}
      {data && people.length === 0 && <Empty title="Nobody matches these filters." />}
      {data && people.length > 0 && (
        <p className="muted" role="status">
          {data.users.totalCount} {data.users.totalCount === 1 ? 'person' : 'people'}
        </p>
      )}
      {people.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {people.map((person) => {
              const self = person.id === viewer.id;
              const busy = busyId === person.id;
              return (
                <tr key={person.id}>
                  <td>
                    {person.displayName} {self && <Badge tone="info">You</Badge>}
                  </td>
                  <td>{person.email}</td>
                  <td>
                    <select
                      aria-label={`Role of ${person.displayName}`}
                      value={person.role ?? ''}
                      disabled={self || busy}
                      onChange={(e) => {
                        const next = e.target.value as Role;
                        void act(person.id, () =>
                          stepUp(() => setUserRole({ variables: { id: person.id, role: next } })),
                        );
                      }}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    {person.disabled ? <Badge tone="bad">Disabled</Badge> : <Badge tone="good">Active</Badge>}
                  </td>
                  <td>{when(person.lastSignInAt)}</td>
                  <td>
                    {!self && (
                      <div className="actions">
                        <button
                          type="button"
                          disabled={busy}
                          aria-label={`${person.disabled ? 'Enable' : 'Disable'} ${person.displayName}`}
                          onClick={() =>
                            void act(person.id, () =>
                              person.disabled
                                ? enableUser({ variables: { id: person.id } })
                                : disableUser({ variables: { id: person.id } }),
                            )
                          }
                        >
                          {person.disabled ? 'Enable' : 'Disable'}
                        </button>
                        <button
                          type="button"
                          disabled={busy}
                          aria-label={`Password-reset link for ${person.displayName}`}
                          onClick={() =>
                            void act(person.id, async () => {
                              const result = await createLink({ variables: { userId: person.id } });
                              const made = result.data!.createPasswordResetLink;
                              setLink({ name: person.displayName, ...made });
                            })
                          }
                        >
                          Reset link
                        </button>
                        <button
                          type="button"
                          className="danger"
                          aria-label={`Delete ${person.displayName}`}
                          onClick={() => setDeleting({ id: person.id, displayName: person.displayName })}
                        >
                          Delete
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {pageInfo?.hasNextPage && (
        <button
          type="button"
          disabled={loading}
          onClick={() => void fetchMore({ variables: { ...variables, after: pageInfo.endCursor } })}
        >
          Load more
        </button>
      )}

      <Modal
        open={link !== null}
        title={`Password-reset link for ${link?.name ?? ''}`}
        onClose={() => setLink(null)}
      >
        {link && (
          <SecretOnce label="Password-reset link" secret={link.url} what="link" onDone={() => setLink(null)}>
            <p>
              Hand this link to them. It works once, until {new Date(link.expiresAt).toLocaleTimeString()}.
            </p>
          </SecretOnce>
        )}
      </Modal>
      <DeleteUserDialog
        user={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={() => {
          setDeleting(null);
          void refetch();
        }}
      />
    </section>
  );
}

export default PeoplePage;
