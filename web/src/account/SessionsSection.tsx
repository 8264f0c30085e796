// Where the person is signed in: each session's client, address and times, ending one or all the others.
import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Badge } from '../ui/Badge';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/states';
import { EndOtherSessionsDocument, EndSessionDocument, MySessionsDocument } from './documents';
import { describeClient, when } from './format';

export function SessionsSection() {
  const { data, loading, error } = useQuery(MySessionsDocument, { fetchPolicy: 'cache-and-network' });
  const refetchQueries = [{ query: MySessionsDocument }];
  const [endOne, ended] = useMutation(EndSessionDocument, { refetchQueries });
  const [endOthers, endedOthers] = useMutation(EndOtherSessionsDocument, { refetchQueries });
  const [confirmOthers, setConfirmOthers] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const sessions = data?.mySessions ?? [];
  const others = sessions.filter((s) => !s.current).length;

  return (
    <section className="card" aria-labelledby="sessions-title">
      <header className="page-header">
        <h2 id="sessions-title">Sessions</h2>
        <button type="button" disabled={others === 0} onClick={() => setConfirmOthers(true)}>
          End all other sessions
        </button>
      </header>
      {loading && !data && <Loading label="Loading your sessions" />}
      {error && <ErrorNotice error={error} />}
      {ended.error && <ErrorNotice error={ended.error} />}
      {result && <p role="status">{result}</p>}
      {sessions.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">Address</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((session) => (
              <tr key={session.id}>
                <td>
                  {describeClient(session.client)}{' '}
                  {session.current && <Badge tone="good">This session</Badge>}{' '}
                  {session.aal === 'aal2' && <Badge tone="info">Second factor</Badge>}
                </td>
                <td>{session.address ?? 'Unknown'}</td>
                <td>{when(session.createdAt)}</td>
                <td>{when(session.lastUsedAt)}</td>
                <td>
                  {!session.current && (
                    <button
                      type="button"
                      disabled={ended.loading}
                      aria-label={`End the session of ${describeClient(session.client)} from ${session.address ?? 'an unknown address'}`}
                      onClick={() => void endOne({ variables: { id: session.id } }).catch(() => undefined)}
                    >
                      End
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={confirmOthers}
        title="End all other sessions?"
        confirmLabel="End other sessions"
        danger
        busy={endedOthers.loading}
        onCancel={() => setConfirmOthers(false)}
        onConfirm={async () => {
          const done = await endOthers().catch(() => null);
          const count = done?.data?.endOtherSessions;
          if (count === undefined) return;
          setConfirmOthers(false);
          setResult(`${count} other session${count === 1 ? '' : 's'} ended.`);
        }}
      >
        <p>Every other browser and device signed in as you is signed out. This one stays signed in.</p>
        {endedOthers.error && <ErrorNotice error={endedOthers.error} />}
      </ConfirmDialog>
    </section>
  );
}
