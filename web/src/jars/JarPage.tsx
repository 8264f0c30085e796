// One honey jar: what it is, its documents and their processing status, and (for its owner or an admin)
// editing, archiving and deleting it.
import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Link, useNavigate, useParams } from 'react-router';
import { useViewer } from '../auth/session';
import { Badge } from '../ui/Badge';
import { describeError, ErrorNotice } from '../ui/ErrorNotice';
import { ConfirmAction, useItemAction } from '../ui/ItemAction';
import { counted } from '../ui/counted';
import { usePageTitle } from '../ui/page-title';
import { LoadMore } from '../ui/records';
import { Empty, Loading } from '../ui/states';
import { DeleteHoneyJarDocument, HoneyJarDocument, UpdateHoneyJarDocument } from './documents';
import { DocumentsTable } from '../documents/DocumentsTable';
import { Uploader } from '../documents/Uploader';
import { JarForm } from './JarForm';
import { MembersSection } from './MembersSection';
import { statusTone, typeLabel } from './labels';

const DOCUMENTS_PAGE = 50;

export function JarPage() {
  const { id = '' } = useParams();
  const viewer = useViewer();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const deleting = useItemAction<string>();
  const variables = { id, first: DOCUMENTS_PAGE };
  const { data, loading, error, refetch, fetchMore } = useQuery(HoneyJarDocument, {
    variables,
    notifyOnNetworkStatusChange: true,
  });
  usePageTitle(data?.honeyJar?.name ?? 'Honey jar');
  const [update, updated] = useMutation(UpdateHoneyJarDocument);
  const [remove] = useMutation(DeleteHoneyJarDocument, {
    // Gone from every list the cache holds; the jar list asks the server again when it is shown.
    update: (cache, result) => {
      if (!result.data?.deleteHoneyJar) return;
      cache.evict({ id: cache.identify({ __typename: 'HoneyJar', id }) });
      cache.gc();
    },
    onCompleted: (done) => done.deleteHoneyJar && navigate('/jars', { replace: true }),
  });

  if (loading && !data) return <Loading label="Loading the honey jar" />;
  // An address whose id is not an id at all (BAD_USER_INPUT) names no jar, as an unknown one does.
  if (error && describeError(error).code !== 'BAD_USER_INPUT') return <ErrorNotice error={error} />;
  const jar = data?.honeyJar;
  if (!jar)
    return (
      <Empty title="There is no honey jar here you can read.">
        <Link to="/jars">Back to your honey jars</Link>
      </Empty>
    );
  const mayManage = viewer.role === 'ADMIN' || viewer.id === jar.owner.id;
  const archived = jar.status === 'ARCHIVED';

  return (
    <section aria-labelledby="jar-title">
      <p>
        <Link to="/jars">← Honey jars</Link>
      </p>
      <header className="page-header">
        <h1 id="jar-title">{jar.name}</h1>
        {mayManage && (
          <div className="actions">
            <button type="button" onClick={() => setEditing((v) => !v)} aria-expanded={editing}>
              Edit
            </button>
            <button
              type="button"
              disabled={updated.loading}
              onClick={() =>
                update({ variables: { id, input: { status: archived ? 'ACTIVE' : 'ARCHIVED' } } })
              }
            >
              {archived ? 'Restore' : 'Archive'}
            </button>
            <button type="button" className="danger" onClick={() => deleting.ask(id)}>
              Delete
            </button>
          </div>
        )}
      </header>
      <p className="badges">
        <Badge tone="info">{typeLabel(jar.type)}</Badge>
        <Badge tone={statusTone(jar.status)}>{archived ? 'Archived' : 'Active'}</Badge>
        {jar.tags.map((tag) => (
          <Badge key={tag}>{tag}</Badge>
        ))}
      </p>
      {jar.description && <p>{jar.description}</p>}
      <p className="muted">
        Owner: {jar.owner.displayName} · created {new Date(jar.createdAt).toLocaleString()}
      </p>
      {updated.error && <ErrorNotice error={updated.error} />}
      {editing && (
        <div className="card">
          <h2>Edit honey jar</h2>
          <JarForm
            initial={{ ...jar, description: jar.description ?? '' }}
            submitLabel="Save"
            busy={updated.loading}
            onCancel={() => setEditing(false)}
            onSubmit={async (fields) => {
              const result = await update({ variables: { id, input: fields } }).catch(() => null);
              if (result?.data) setEditing(false);
            }}
          />
        </div>
      )}

      {mayManage && (jar.type === 'TEAM' || jar.type === 'RESTRICTED') && (
        <MembersSection honeyJarId={jar.id} />
      )}

      <h2>Documents</h2>
      {jar.documents.totalCount > 0 && (
        <p className="muted">
          {jar.documents.pageInfo.hasNextPage
            ? `Newest first: ${jar.documents.nodes.length.toLocaleString()} of ${counted(jar.documents.totalCount, 'document')} shown`
            : counted(jar.documents.totalCount, 'document')}
        </p>
      )}
      {!archived && viewer.role !== 'VIEWER' && (
        <Uploader
          honeyJarId={jar.id}
          onUploaded={() => void refetch()}
          proposing={jar.type === 'PUBLIC' && !mayManage}
        />
      )}
      <DocumentsTable
        honeyJarId={jar.id}
        documents={jar.documents.nodes}
        mayManage={mayManage}
        onChanged={() => void refetch()}
      />
      <LoadMore
        pageInfo={jar.documents.pageInfo}
        loading={loading}
        fetchMore={fetchMore}
        variables={variables}
        label="Load more documents"
        loadingLabel="Loading…"
      />

      <ConfirmAction
        action={deleting}
        title={() => `Delete “${jar.name}”?`}
        confirmLabel="Delete honey jar"
        run={() => remove({ variables: { id } })}
      >
        <p>Its documents are deleted with it. This cannot be undone.</p>
      </ConfirmAction>
    </section>
  );
}
