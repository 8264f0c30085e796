// Where the person is signed in: each session's client, address and times, ending one or all the others.
import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Badge } from '../ui/Badge';
import { ErrorNotice } from '../ui/ErrorNotice';
import { ConfirmAction, useItemAction } from '../ui/ItemAction';
import { Table } from '../ui/records';
import { Loading } from '../ui/states';
import { EndOtherSessionsDocument, EndSessionDocument, MySessionsDocument } from './documents';
import { describeClient, when } from './format';
import { counted } from '../ui/counted';

export function SessionsSection() {
  const { data, loading, error } = useQuery(MySessionsDocument, { fetchPolicy: 'cache-and-network' });
  const refetchQueries = [{ query: MySessionsDocument }];
  const [endOne] = useMutation(EndSessionDocument, { refetchQueries });
  const [endOthers] = useMutation(EndOtherSessionsDocument, { refetchQueries });
  const ending = useItemAction<{ id: string }>();
  const endingOthers = useItemAction<'others'>();
  const [result, setResult] = useState<string | null>(null);
  const sessions = data?.mySessions ?? [];
  const others = sessions.filter((s) => !s.current).length;

  return (
    <section className="card" aria-labelledby="sessions-title">
      <header className="page-header">
        <h2 id="sessions-title">Sessions</h2>
        <button type="button" disabled={others === 0} onClick={() => endingOthers.ask('others')}>
          End all other sessions
        </button>
      </header>
      {loading && !data && <Loading label="Loading your sessions" />}
      {error && <ErrorNotice error={error} />}
      {ending.error !== null && <ErrorNotice error={ending.error} />}
      {result && <p role="status">{result}</p>}
      {sessions.length > 0 && (
        <Table columns={['Client', 'Address', 'Signed in', 'Last used']} actions>
          {sessions.map((session) => (
            <tr key={session.id}>
              <td>
                {describeClient(session.client)} {session.current && <Badge tone="good">This session</Badge>}{' '}
                {session.aal === 'aal2' && <Badge tone="info">Second factor</Badge>}
              </td>
              <td>{session.address ?? 'Unknown'}</td>
              <td>{when(session.createdAt)}</td>
              <td>{when(session.lastUsedAt)}</td>
              <td>
                {!session.current && (
                  <button
                    type="button"
                    disabled={ending.running !== null}
                    aria-label={`End the session of ${describeClient(session.client)} from ${session.address ?? 'an unknown address'}`}
                    onClick={() => void ending.run(session, ({ id }) => endOne({ variables: { id } }))}
                  >
                    End
                  </button>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
      <ConfirmAction
        action={endingOthers}
        title={() => 'End all other sessions?'}
        confirmLabel="End other sessions"
        run={async () => {
          const count = (await endOthers()).data!.endOtherSessions;
          setResult(`${counted(count, 'other session')} ended.`);
        }}
      >
        <p>Every other browser and device signed in as you is signed out. This one stays signed in.</p>
      </ConfirmAction>
    </section>
  );
}
