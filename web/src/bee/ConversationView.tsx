// One conversation with Bee: its messages, answers streaming in from messageStream, and the controls to ask,
// stop, regenerate, copy, rename, export and delete.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useApolloClient, useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { Link, useLocation, useNavigate } from 'react-router';
import type { MessageFieldsFragment } from '../gql/graphql';
import { JarPicker } from '../search/JarPicker';
import { passageLink } from '../search/SearchPage';
import { Badge } from '../ui/Badge';
import { ErrorNotice } from '../ui/ErrorNotice';
import { ConfirmAction, useItemAction } from '../ui/ItemAction';
import { Loading } from '../ui/states';
import { AnswerText } from './AnswerText';
import { CitationLink, citedPdfPage } from './CitationLink';
import { ConversationTitle } from './ConversationTitle';
import {
  ConversationDocument,
  DeleteConversationDocument,
  ExportConversationDocument,
  MessageStreamDocument,
  RegenerateDocument,
  RenameConversationDocument,
  SendMessageDocument,
  StopGeneratingDocument,
} from './documents';
import { foldPacket, isAnswering, type LiveAnswers } from './streams';

function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  link.click();
  URL.revokeObjectURL(url);
}

function Answer(props: {
  message: MessageFieldsFragment;
  live?: LiveAnswers[string];
  onStop(): void;
  onRegenerate(): void;
}) {
  const { message, live } = props;
  const streaming = message.status === 'STREAMING' && !live?.done;
  const text = live && (streaming || live.done) ? live.text || message.text : message.text;
  const citations = live?.citations.length ? live.citations : message.citations;
  const nothingFound =
    !streaming && message.status === 'COMPLETE' && citations.length === 0 && !message.provider;
  return (
    <li className="message assistant" aria-busy={streaming}>
      <p className="muted">
        Bee {streaming && <Badge tone="info">writing…</Badge>}
        {message.status === 'CANCELLED' && <Badge>stopped</Badge>}
        {message.status === 'FAILED' && <Badge tone="bad">failed</Badge>}
        {nothingFound && <Badge tone="warn">nothing relevant found</Badge>}
      </p>
      <AnswerText text={text} citations={citations} />
      {live?.failure && (
        <p role="alert" className="notice error">
          {live.failure.message} <span className="muted">Request id: {live.failure.requestId}</span>
        </p>
      )}
      {citations.length > 0 && (
        <ol className="citations" aria-label="Sources">
          {citations.map((c) => (
            <li key={c.index} value={c.index}>
              <CitationLink citation={c} label={c.document.title}>
                {c.document.title}
              </CitationLink>
              <span className="muted">
                {' '}
                · {c.honeyJar.name}
                {c.page != null && ` · page ${c.page}`}
              </span>
              {/* The title opens a PDF itself; the passage, marked in its document, is one link away still. */}
              {citedPdfPage(c) !== null && (
                <>
                  {' · '}
                  <Link
                    to={passageLink(c.document.id, c.chunkId)}
                    aria-label={`The passage in ${c.document.title}`}
                  >
                    passage
                  </Link>
                </>
              )}
              <blockquote>{c.quote}</blockquote>
            </li>
          ))}
        </ol>
      )}
      <div className="actions">
        {streaming ? (
          <button type="button" onClick={props.onStop}>
            Stop generating
          </button>
        ) : (
          <>
            <button type="button" onClick={props.onRegenerate}>
              Regenerate
            </button>
            <button type="button" onClick={() => void navigator.clipboard?.writeText(text)}>
              Copy
            </button>
          </>
        )}
      </div>
    </li>
  );
}

/** A long conversation opens at its newest messages, this many at a time. */
const MESSAGES_PAGE = 100;

/** A question asked before its conversation was open (the Bee page's own box), asked once the page listens. */
export interface PendingQuestion {
  text: string;
  honeyJarIds: string[] | null;
}

/** The question box and the jars Bee may search: a conversation's composer, and the Bee page's own. */
export function QuestionFields(props: {
  question: string;
  onQuestion: (question: string) => void;
  jars: string[];
  onJars: (jars: string[]) => void;
}) {
  return (
    <>
      <label>
        Ask Bee
        <textarea
          rows={3}
          maxLength={8000}
          value={props.question}
          onChange={(e) => props.onQuestion(e.target.value)}
          required
        />
      </label>
      <JarPicker legend="Honey jars Bee may search" selected={props.jars} onChange={props.onJars} />
    </>
  );
}

/** How often a conversation whose answer sends nothing is read again (its stream may have opened after the end). */
const QUIET_ANSWER_POLL_MS = 3000;

export function ConversationView({ id }: { id: string }) {
  const client = useApolloClient();
  const navigate = useNavigate();
  const location = useLocation();
  const pending = (location.state as { ask?: PendingQuestion } | null)?.ask;
  const askedPending = useRef(false);
  const [question, setQuestion] = useState('');
  const [jars, setJars] = useState<string[] | null>(null);
  const [live, setLive] = useState<LiveAnswers>({});
  const deleting = useItemAction<string>();
  const [quiet, setQuiet] = useState(false);
  const { data, loading, error, refetch, fetchMore } = useQuery(ConversationDocument, {
    variables: { id, last: MESSAGES_PAGE },
    // An answer shown as being written whose stream has sent nothing: read again until it ends (its stream may
    // have opened only after it ended).
    pollInterval: quiet ? QUIET_ANSWER_POLL_MS : 0,
  });
  const [loadingEarlier, setLoadingEarlier] = useState(false);
  useSubscription(MessageStreamDocument, {
    variables: { conversationId: id },
    onData: ({ data: event }) => {
      const packet = event.data?.messageStream;
      if (!packet) return;
      setLive((answers) => foldPacket(answers, packet));
      if (packet.__typename === 'MessageCompleted' || packet.__typename === 'MessageFailed') void refetch();
    },
  });
  // The list shows the conversation risen to the top, and named after its first question.
  const [send, sent] = useMutation(SendMessageDocument, { refetchQueries: ['Conversations'] });
  const loaded = Boolean(data?.conversation);
  useEffect(() => {
    if (!pending || !loaded || askedPending.current) return;
    askedPending.current = true;
    // Asked once: a reload of this page must not ask again.
    navigate(location.pathname, { replace: true, state: null });
    void send({
      variables: { conversationId: id, text: pending.text, honeyJarIds: pending.honeyJarIds },
    })
      .then(() => refetch())
      .catch(() => null);
  }, [pending, loaded, id, location.pathname, navigate, send, refetch]);
  const streamingUnheard = Boolean(
    data?.conversation?.messages.some(
      (m) => m.role === 'ASSISTANT' && m.status === 'STREAMING' && live[m.id] === undefined,
    ),
  );
  useEffect(() => {
    if (!streamingUnheard) return setQuiet(false);
    const timer = setTimeout(() => setQuiet(true), QUIET_ANSWER_POLL_MS);
    return () => clearTimeout(timer);
  }, [streamingUnheard]);
  const [stop] = useMutation(StopGeneratingDocument);
  const [regenerate] = useMutation(RegenerateDocument);
  const [rename, renamed] = useMutation(RenameConversationDocument, {
    refetchQueries: ['Conversations'],
  });
  const [remove] = useMutation(DeleteConversationDocument, {
    refetchQueries: ['Conversations'],
    onCompleted: (done) => done.deleteConversation && navigate('/bee', { replace: true }),
  });

  if (loading && !data) return <Loading label="Loading the conversation" />;
  if (error) return <ErrorNotice error={error} />;
  const conversation = data?.conversation;
  if (!conversation) return <ErrorNotice error={new Error('There is no conversation here you can read.')} />;
  const selectedJars = jars ?? conversation.honeyJarIds ?? [];
  // One answer at a time: the next question waits until Bee has finished (or been stopped).
  const answering = isAnswering(conversation.messages, live);

  const ask = async (event: FormEvent) => {
    event.preventDefault();
    const text = question.trim();
    if (!text) return;
    const result = await send({
      variables: { conversationId: id, text, honeyJarIds: selectedJars.length ? selectedJars : null },
    }).catch(() => null);
    if (result?.data) {
      setQuestion('');
      await refetch();
    }
  };
  const exportAs = async (format: 'MARKDOWN' | 'JSON') => {
    const result = await client.query({
      query: ExportConversationDocument,
      variables: { id, format },
      fetchPolicy: 'network-only',
    });
    const text = result.data?.exportConversation ?? '';
    const markdown = format === 'MARKDOWN';
    download(
      `${conversation.title}.${markdown ? 'md' : 'json'}`,
      text,
      markdown ? 'text/markdown' : 'application/json',
    );
  };

  return (
    <div className="stack">
      <ConversationTitle
        title={conversation.title}
        save={async (title) => Boolean((await rename({ variables: { id, title } }).catch(() => null))?.data)}
        onCancel={renamed.reset}
      >
        <button type="button" onClick={() => void exportAs('MARKDOWN')}>
          Export Markdown
        </button>
        <button type="button" onClick={() => void exportAs('JSON')}>
          Export JSON
        </button>
        <button type="button" className="danger" onClick={() => deleting.ask(id)}>
          Delete
        </button>
      </ConversationTitle>
      {renamed.error && <ErrorNotice error={renamed.error} />}
      {conversation.messages.length < conversation.messageCount && (
        <button
          type="button"
          disabled={loadingEarlier}
          onClick={async () => {
            setLoadingEarlier(true);
            await fetchMore({
              variables: { id, last: MESSAGES_PAGE, before: conversation.messages[0]?.id },
            }).catch(() => null);
            setLoadingEarlier(false);
          }}
        >
          {loadingEarlier
            ? 'Loading…'
            : `Load earlier messages (${(conversation.messageCount - conversation.messages.length).toLocaleString()} more)`}
        </button>
      )}
      <ol className="messages" aria-label="Messages" aria-live="polite">
        {conversation.messages.map((message) =>
          message.role === 'ASSISTANT' ? (
            <Answer
              key={message.id}
              message={message}
              live={live[message.id]}
              onStop={() => void stop({ variables: { messageId: message.id } })}
              onRegenerate={async () => {
                setLive((answers) => ({
                  ...answers,
                  [message.id]: { text: '', citations: [], done: false },
                }));
                await regenerate({ variables: { messageId: message.id } }).catch(() => null);
                await refetch();
              }}
            />
          ) : (
            <li key={message.id} className="message user">
              <p className="muted">You</p>
              <p>{message.text}</p>
            </li>
          ),
        )}
      </ol>
      <form onSubmit={ask} className="stack composer">
        <QuestionFields question={question} onQuestion={setQuestion} jars={selectedJars} onJars={setJars} />
        {sent.error && <ErrorNotice error={sent.error} />}
        {answering && (
          <p className="muted" id="answering-note">
            Bee is still answering. Ask your next question once it has finished, or stop it.
          </p>
        )}
        <button
          type="submit"
          className="primary"
          disabled={sent.loading || answering}
          aria-describedby={answering ? 'answering-note' : undefined}
        >
          Ask
        </button>
      </form>
      <ConfirmAction
        action={deleting}
        title={() => `Delete “${conversation.title}”?`}
        confirmLabel="Delete conversation"
        run={() => remove({ variables: { id } })}
      >
        <p>Its messages and Bee's answers are deleted with it.</p>
      </ConfirmAction>
    </div>
  );
}
