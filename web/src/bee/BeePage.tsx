// Bee: the person's conversations, and in the open one the question box, the jars to ask, and the answers
// streaming token by token with numbered citations that open their passages.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { NavLink, useNavigate, useParams } from 'react-router';
import { ErrorNotice } from '../ui/ErrorNotice';
import { usePageTitle } from '../ui/page-title';
import { LoadMore } from '../ui/records';
import { Loading } from '../ui/states';
import { whenShort } from '../ui/when';
import { ConversationView, QuestionFields, type PendingQuestion } from './ConversationView';
import { ConversationsDocument, StartConversationDocument } from './documents';

/** Conversations listed at a time, most recently active first. */
const CONVERSATIONS_PAGE = 50;

export function BeePage() {
  usePageTitle('Bee');
  const { conversationId } = useParams();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const variables = { first: CONVERSATIONS_PAGE };
  const { data, loading, error, fetchMore } = useQuery(ConversationsDocument, {
    variables,
    notifyOnNetworkStatusChange: true,
  });
  const [start, started] = useMutation(StartConversationDocument, { refetchQueries: ['Conversations'] });
  const conversations = data?.conversations;
  const create = async (event: FormEvent) => {
    event.preventDefault();
    const result = await start({ variables: { title: title.trim() || null } }).catch(() => null);
    const id = result?.data?.startConversation.id;
    if (id) {
      setTitle('');
      navigate(`/bee/${id}`);
    }
  };
  return (
    <section aria-labelledby="bee-title" className="bee">
      <aside className="conversations" aria-label="Conversations">
        <h1 id="bee-title">Bee</h1>
        <form onSubmit={create} className="stack">
          <label>
            New conversation
            <input
              value={title}
              maxLength={200}
              placeholder="Title (optional)"
              onChange={(e) => setTitle(e.target.value)}
            />
          </label>
          <button type="submit" className="primary" disabled={started.loading}>
            Start
          </button>
        </form>
        {started.error && <ErrorNotice error={started.error} />}
        {error && <ErrorNotice error={error} />}
        {loading && !data && <Loading label="Loading conversations" />}
        {conversations?.nodes.length === 0 && <p className="muted">No conversations yet.</p>}
        <ul>
          {conversations?.nodes.map((c) => (
            <li key={c.id}>
              <NavLink to={`/bee/${c.id}`}>{c.title}</NavLink>{' '}
              <time className="muted" dateTime={c.updatedAt} title={new Date(c.updatedAt).toLocaleString()}>
                {whenShort(c.updatedAt)}
              </time>
            </li>
          ))}
        </ul>
        <LoadMore
          pageInfo={conversations?.pageInfo}
          loading={loading}
          fetchMore={fetchMore}
          variables={variables}
          label="Older conversations"
          loadingLabel="Loading…"
        />
      </aside>
      <div className="conversation">
        {conversationId ? <ConversationView key={conversationId} id={conversationId} /> : <AskBee />}
      </div>
    </section>
  );
}

/**
 * Asking Bee without a conversation open: the question starts one (named after it) and is asked there, once the
 * conversation's page is open and listening for the answer.
 */
function AskBee() {
  const navigate = useNavigate();
  const [question, setQuestion] = useState('');
  const [jars, setJars] = useState<string[]>([]);
  const [start, started] = useMutation(StartConversationDocument, { refetchQueries: ['Conversations'] });
  const ask = async (event: FormEvent) => {
    event.preventDefault();
    const text = question.trim();
    if (!text) return;
    const result = await start({ variables: { title: null } }).catch(() => null);
    const id = result?.data?.startConversation.id;
    if (!id) return;
    const pending: PendingQuestion = { text, honeyJarIds: jars.length ? jars : null };
    navigate(`/bee/${id}`, { state: { ask: pending } });
  };
  return (
    <form onSubmit={ask} className="stack composer">
      <p className="muted">Ask Bee about your documents, or pick a conversation to go on with.</p>
      <QuestionFields question={question} onQuestion={setQuestion} jars={jars} onJars={setJars} />
      {started.error && <ErrorNotice error={started.error} />}
      <button type="submit" className="primary" disabled={started.loading}>
        Ask
      </button>
    </form>
  );
}
