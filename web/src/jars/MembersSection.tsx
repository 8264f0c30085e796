// Members of a TEAM or RESTRICTED jar, for its owner and admins: the current members, 100 at a time in the order
// they were added (each can be removed), and more added by picking people by name. Both mutations answer the
// jar's first page of members, so the cache (and the list) follow at once.
import { useMutation, useQuery } from '@apollo/client/react';
import type { PickedPerson } from '../people/person';
import { PersonPicker } from '../people/PersonPicker';
import { ErrorNotice } from '../ui/ErrorNotice';
import { counted } from '../ui/counted';
import { ItemButton, useItemAction } from '../ui/ItemAction';
import { LoadMore } from '../ui/records';
import {
  AddHoneyJarMemberDocument,
  HoneyJarMembersDocument,
  RemoveHoneyJarMemberDocument,
} from './documents';

export function MembersSection({ honeyJarId }: { honeyJarId: string }) {
  const variables = { id: honeyJarId };
  const { data, loading, error, fetchMore } = useQuery(HoneyJarMembersDocument, { variables });
  const [add] = useMutation(AddHoneyJarMemberDocument);
  const [remove] = useMutation(RemoveHoneyJarMemberDocument);
  const changing = useItemAction<PickedPerson>();
  const page = data?.honeyJar?.members;
  const members = page?.nodes ?? [];

  const change = (person: PickedPerson, member: boolean) =>
    void changing.run(person, ({ id }) => {
      const variables = { honeyJarId, userId: id };
      return member ? add({ variables }) : remove({ variables });
    });

  return (
    <section className="card stack" aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      <PersonPicker
        label="Add a member"
        exclude={members.map((m) => m.id)}
        onPick={(person) => change(person, true)}
      />
      {changing.running !== null && <p className="muted">Saving…</p>}
      {changing.error !== null && <ErrorNotice error={changing.error} />}
      {error && <ErrorNotice error={error} />}
      {loading && !data ? (
        <p className="muted">Loading members…</p>
      ) : members.length === 0 ? (
        <p className="muted">No members yet: only the owner and administrators can read this jar.</p>
      ) : (
        <>
          {page?.pageInfo.hasNextPage && (
            <p className="muted">
              {`In the order they were added: ${members.length.toLocaleString()} of ${counted(page.totalCount, 'member')} shown`}
            </p>
          )}
          <ul className="member-changes" aria-label="Current members">
            {members.map((person) => (
              <li key={person.id}>
                {person.displayName}{' '}
                <ItemButton verb="Remove" name={person.displayName} onClick={() => change(person, false)} />
              </li>
            ))}
          </ul>
          <LoadMore
            pageInfo={page?.pageInfo}
            loading={loading}
            fetchMore={fetchMore}
            variables={variables}
            label="Load more members"
          />
        </>
      )}
    </section>
  );
}
