// Members of a TEAM or RESTRICTED jar, for its owner and admins: add people by picking them by name, and take
// access away again. The API does not list a jar's members yet, so the list shows the changes made here.
import { useState } from 'react';
import { useMutation } from '@apollo/client/react';
import type { PickedPerson } from '../people/person';
import { PersonPicker } from '../people/PersonPicker';
import { Badge } from '../ui/Badge';
import { ErrorNotice } from '../ui/ErrorNotice';
import { AddHoneyJarMemberDocument, RemoveHoneyJarMemberDocument } from './documents';

interface Change {
  person: PickedPerson;
  member: boolean;
}

export function MembersSection({ honeyJarId }: { honeyJarId: string }) {
  const [add, added] = useMutation(AddHoneyJarMemberDocument);
  const [remove, removed] = useMutation(RemoveHoneyJarMemberDocument);
  const [changes, setChanges] = useState<Change[]>([]);
  const [problem, setProblem] = useState<unknown>(null);

  const record = (person: PickedPerson, member: boolean) =>
    setChanges((list) => [{ person, member }, ...list.filter((c) => c.person.id !== person.id)]);

  async function change(person: PickedPerson, member: boolean) {
    setProblem(null);
    try {
      const variables = { honeyJarId, userId: person.id };
      await (member ? add({ variables }) : remove({ variables }));
      record(person, member);
    } catch (error) {
      setProblem(error);
    }
  }

  return (
    <section className="card stack" aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      <div className="filters">
        <PersonPicker label="Add a member" onPick={(person) => void change(person, true)} />
        <PersonPicker label="Remove a member" onPick={(person) => void change(person, false)} />
      </div>
      {(added.loading || removed.loading) && <p className="muted">Saving…</p>}
      {problem !== null && <ErrorNotice error={problem} />}
      {changes.length > 0 && (
        <ul className="member-changes" aria-label="Membership changes">
          {changes.map(({ person, member }) => (
            <li key={person.id}>
              {person.displayName}{' '}
              {member ? <Badge tone="good">Member</Badge> : <Badge tone="neutral">Removed</Badge>}{' '}
              <button
                type="button"
                aria-label={`${member ? 'Remove' : 'Add back'} ${person.displayName}`}
                onClick={() => void change(person, !member)}
              >
                {member ? 'Remove' : 'Add back'}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
