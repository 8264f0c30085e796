// Members of a TEAM or RESTRICTED jar, for its owner and admins: the current members (each can be removed) and
// more added by picking people by name. Both mutations answer the jar's new member list, so the cache (and the
// list) follow at once.
import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import type { PickedPerson } from '../people/person';
import { PersonPicker } from '../people/PersonPicker';
import { ErrorNotice } from '../ui/ErrorNotice';
import {
  AddHoneyJarMemberDocument,
  HoneyJarMembersDocument,
  RemoveHoneyJarMemberDocument,
} from './documents';

export function MembersSection({ honeyJarId }: { honeyJarId: string }) {
  const { data, loading, error } = useQuery(HoneyJarMembersDocument, { variables: { id: honeyJarId } });
  const [add, added] = useMutation(AddHoneyJarMemberDocument);
  const [remove, removed] = useMutation(RemoveHoneyJarMemberDocument);
  const [problem, setProblem] = useState<unknown>(null);
  const members = data?.honeyJar?.members ?? [];

  async function change(person: PickedPerson, member: boolean) {
    setProblem(null);
    try {
      const variables = { honeyJarId, userId: person.id };
      await (member ? add({ variables }) : remove({ variables }));
    } catch (failure) {
      setProblem(failure);
    }
  }

  return (
    <section className="card stack" aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      <PersonPicker
        label="Add a member"
        exclude={members.map((m) => m.id)}
        onPick={(person) => void change(person, true)}
      />
      {(added.loading || removed.loading) && <p className="muted">Saving…</p>}
      {problem !== null && <ErrorNotice error={problem} />}
      {error && <ErrorNotice error={error} />}
      {loading && !data ? (
        <p className="muted">Loading members…</p>
      ) : members.length === 0 ? (
        <p className="muted">No members yet: only the owner and administrators can read this jar.</p>
      ) : (
        <ul className="member-changes" aria-label="Current members">
          {members.map((person) => (
            <li key={person.id}>
              {person.displayName}{' '}
              <button
                type="button"
                aria-label={`Remove ${person.displayName}`}
                onClick={() => void change(person, false)}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
