// A jar's documents with their processing status kept live by documentStatusChanged (pending → processing with
// progress → ready, or failed with the reason), and the actions on each: open, view (a PDF or text, in a new tab),
// download, reprocess, delete, and for proposed documents approve or reject.
import { useEffect, useRef } from 'react';
import { useMutation, useSubscription } from '@apollo/client/react';
import { Link } from 'react-router';
import type { JarDocumentFieldsFragment } from '../gql/graphql';
import { Badge } from '../ui/Badge';
import { ErrorNotice } from '../ui/ErrorNotice';
import { ConfirmAction, ItemButton, useItemAction } from '../ui/ItemAction';
import { Empty } from '../ui/states';
import { ConfirmReject } from './ConfirmReject';
import { formatBytes } from './format';
import { isViewable, viewLink } from './view';
import {
  ApproveDocumentDocument,
  DeleteDocumentDocument,
  DocumentStatusChangedDocument,
  RejectDocumentDocument,
  ReprocessDocumentDocument,
} from './operations';

const tone = {
  READY: 'good',
  FAILED: 'bad',
  PROCESSING: 'info',
  PENDING: 'neutral',
  PENDING_REVIEW: 'warn',
} as const;
const statusLabel = {
  READY: 'Ready',
  FAILED: 'Failed',
  PROCESSING: 'Processing',
  PENDING: 'Pending',
  PENDING_REVIEW: 'Waiting for review',
} as const;

/**
 * While a document is still pending or processing and no change of it has arrived for this long, the list is asked
 * for again: a change made between the list being read and the subscription starting is never sent to this page.
 */
export const UNFINISHED_RECHECK_MS = 5_000;

export function DocumentsTable(props: {
  honeyJarId: string;
  documents: readonly JarDocumentFieldsFragment[];
  mayManage: boolean;
  onChanged(): void;
}) {
  const deleting = useItemAction<JarDocumentFieldsFragment>();
  const rejecting = useItemAction<JarDocumentFieldsFragment>();
  const known = new Set(props.documents.map((d) => d.id));
  // Changes of known documents land in the cache by id; a document new to this page reloads the list.
  useSubscription(DocumentStatusChangedDocument, {
    variables: { honeyJarId: props.honeyJarId },
    onData: ({ data }) => {
      const doc = data.data?.documentStatusChanged;
      if (doc && !known.has(doc.id)) props.onChanged();
    },
  });
  const onChanged = useRef(props.onChanged);
  onChanged.current = props.onChanged;
  // Any change shown restarts the wait; the finished ones need none.
  const unfinished = props.documents
    .filter((d) => d.processingStatus === 'PENDING' || d.processingStatus === 'PROCESSING')
    .map((d) => `${d.id}:${d.processingStatus}:${d.progress}`)
    .join(' ');
  useEffect(() => {
    if (!unfinished) return;
    const timer = setInterval(() => onChanged.current(), UNFINISHED_RECHECK_MS);
    return () => clearInterval(timer);
  }, [unfinished]);
  const [reprocess, reprocessed] = useMutation(ReprocessDocumentDocument);
  const [approve, approved] = useMutation(ApproveDocumentDocument);
  const [reject] = useMutation(RejectDocumentDocument, { onCompleted: props.onChanged });
  const [remove] = useMutation(DeleteDocumentDocument, { onCompleted: props.onChanged });
  const failure = reprocessed.error ?? approved.error;

  if (props.documents.length === 0) return <Empty title="No documents in this jar yet." />;
  return (
    <>
      {failure && <ErrorNotice error={failure} />}
      {/* Written out: ui/records' Table would join the first download for this one table. */}
      <div className="table-scroll">
        <table>
          <caption className="visually-hidden">Documents</caption>
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Type</th>
              <th scope="col">Size</th>
              <th scope="col">Status</th>
              <th scope="col">Passages</th>
              <th scope="col">Personal data</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {props.documents.map((doc) => (
              <tr key={doc.id}>
                <td>
                  <Link to={`/documents/${doc.id}`}>{doc.title}</Link>
                </td>
                <td>{doc.fileType.toUpperCase()}</td>
                <td>{formatBytes(doc.size)}</td>
                <td>
                  <Badge tone={tone[doc.processingStatus]}>{statusLabel[doc.processingStatus]}</Badge>
                  {doc.processingStatus === 'PROCESSING' && (
                    <progress max={1} value={doc.progress} aria-label={`Processing ${doc.title}`} />
                  )}
                  {doc.processingError && <p className="error-text">{doc.processingError}</p>}
                </td>
                <td>{doc.chunkCount}</td>
                <td>
                  {doc.piiFindings.length
                    ? doc.piiFindings.map((f) => `${f.type} × ${f.count}`).join(', ')
                    : '—'}
                </td>
                <td>
                  <div className="actions">
                    {isViewable(doc.fileType) && (
                      <a
                        href={viewLink(doc.id)}
                        target="_blank"
                        rel="noopener noreferrer"
                        aria-label={`View ${doc.title} (opens in a new tab)`}
                      >
                        View
                      </a>
                    )}
                    <a
                      href={`/api/v1/documents/${doc.id}/download`}
                      download
                      aria-label={`Download ${doc.title}`}
                    >
                      Download
                    </a>
                    {props.mayManage && doc.processingStatus === 'PENDING_REVIEW' && (
                      <>
                        <ItemButton
                          verb="Approve"
                          name={doc.title}
                          disabled={approved.loading}
                          onClick={() => void approve({ variables: { id: doc.id } })}
                        />
                        <ItemButton
                          verb="Reject"
                          name={doc.title}
                          className="danger"
                          onClick={() => rejecting.ask(doc)}
                        />
                      </>
                    )}
                    {props.mayManage &&
                      (doc.processingStatus === 'READY' || doc.processingStatus === 'FAILED') && (
                        <ItemButton
                          verb="Reprocess"
                          name={doc.title}
                          disabled={reprocessed.loading}
                          onClick={() => void reprocess({ variables: { id: doc.id } })}
                        />
                      )}
                    {props.mayManage && (
                      <ItemButton
                        verb="Delete"
                        name={doc.title}
                        className="danger"
                        onClick={() => deleting.ask(doc)}
                      />
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmAction
        action={deleting}
        title={(doc) => `Delete “${doc.title}”?`}
        confirmLabel="Delete document"
        run={(doc) => remove({ variables: { id: doc.id } })}
      >
        <p>Its passages leave search and Bee's answers.</p>
      </ConfirmAction>
      <ConfirmReject action={rejecting} run={(doc) => reject({ variables: { id: doc.id } })} />
    </>
  );
}
