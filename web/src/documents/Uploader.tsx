// Adds files to a jar by drag-and-drop or the file picker, many at once, each with a progress bar for its
// transfer: stage the upload (permission and limits checked before any byte moves), then PUT the bytes. Bytes the
// jar holds already come back as that document, marked `already_stored`, and are said to be there.
import { useState, type DragEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { describeError } from '../ui/ErrorNotice';
import { formatBytes } from './format';
import { CreateUploadDocument } from './operations';
import { putWithProgress, UploadError } from './put-with-progress';

/** The file names the knowledge service reads (its ingest/detect.ts), offered first by the file picker. */
const ACCEPTED = '.pdf,.docx,.xlsx,.pptx,.html,.htm,.xhtml,.md,.markdown,.txt,.text,.log,.json,.csv';

/** The PUT's answer, the document the bytes became (snake_case, as the REST API names fields). */
interface StoredDocument {
  /** The jar held these bytes before: this is that document, and nothing new was stored or queued. */
  already_stored?: boolean;
}

interface Transfer {
  key: string;
  name: string;
  size: number;
  progress: number;
  state: 'uploading' | 'done' | 'failed';
  note?: string;
  requestId?: string;
}

/**
 * `proposing`: the viewer adds to someone else's PUBLIC jar, so each file is a proposal the jar's owner reviews
 * first; the drop zone says so before anything is sent.
 */
export function Uploader({
  honeyJarId,
  onUploaded,
  proposing = false,
}: {
  honeyJarId: string;
  onUploaded(): void;
  proposing?: boolean;
}) {
  const [transfers, setTransfers] = useState<Transfer[]>([]);
  const [dragging, setDragging] = useState(false);
  const [createUpload] = useMutation(CreateUploadDocument);
  const update = (key: string, change: Partial<Transfer>) =>
    setTransfers((list) => list.map((t) => (t.key === key ? { ...t, ...change } : t)));

  const send = async (file: File) => {
    const key = `${file.name}-${file.size}-${Math.random()}`;
    setTransfers((list) => [
      ...list,
      { key, name: file.name, size: file.size, progress: 0, state: 'uploading' },
    ]);
    try {
      const staged = await createUpload({
        variables: { honeyJarId, filename: file.name, contentType: file.type || null, size: file.size },
      });
      const upload = staged.data!.createUpload;
      const stored = await putWithProgress(upload.uploadUrl, file, (progress) => update(key, { progress }));
      update(key, {
        state: 'done',
        progress: 1,
        note: (stored as StoredDocument | undefined)?.already_stored
          ? 'Already in this jar; nothing new was added.'
          : upload.reviewRequired
            ? 'Waiting for the owner to review it.'
            : 'Uploaded; processing starts.',
      });
      onUploaded();
    } catch (error) {
      const shown =
        error instanceof UploadError
          ? { message: error.message, requestId: error.requestId }
          : describeError(error);
      update(key, { state: 'failed', note: shown.message, requestId: shown.requestId });
    }
  };
  const take = (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) void send(file);
  };
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    take(event.dataTransfer.files);
  };

  return (
    <div className="uploader">
      <div
        className={dragging ? 'drop-zone dragging' : 'drop-zone'}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
      >
        <p>{proposing ? 'Drop files here to propose them, or' : 'Drop files here, or'}</p>
        <label className="button">
          Choose files
          <input
            type="file"
            multiple
            accept={ACCEPTED}
            className="visually-hidden"
            onChange={(e) => {
              take(e.target.files);
              e.target.value = '';
            }}
          />
        </label>
        <p className="muted">PDF, Word, PowerPoint, Excel, HTML, Markdown, text, JSON or CSV.</p>
        {proposing && (
          <p className="muted">
            This jar is someone else&apos;s: what you add waits for its owner&apos;s review before anyone can
            search it.
          </p>
        )}
      </div>
      {transfers.length > 0 && (
        <ul className="transfers" aria-label="Uploads">
          {transfers.map((t) => (
            <li key={t.key}>
              <span>
                {t.name} <span className="muted">({formatBytes(t.size)})</span>
              </span>
              {/* A refused file has no transfer to show: its message takes the bar's place. */}
              {t.state !== 'failed' && (
                <progress max={1} value={t.progress} aria-label={`Upload of ${t.name}`} />
              )}
              <span
                role={t.state === 'failed' ? 'alert' : 'status'}
                className={t.state === 'failed' ? 'error-text' : 'muted'}
              >
                {t.state === 'uploading' ? `${Math.round(t.progress * 100)}%` : t.note}
                {t.requestId && ` (request id ${t.requestId})`}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
