// The honey jars the person may read: badges for type and status, filters and search by name (applied by the
// server, so a jar on a page not yet loaded is found too), and more pages loaded as the list scrolls into view.
// New jars are created from here.
import { useEffect, useRef, useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Link, useNavigate } from 'react-router';
import type { HoneyJarStatus, HoneyJarType } from '../gql/graphql';
import { Badge } from '../ui/Badge';
import { counted } from '../ui/counted';
import { ErrorNotice } from '../ui/ErrorNotice';
import { usePageTitle } from '../ui/page-title';
import { useSettled } from '../ui/settled';
import { Empty, Loading } from '../ui/states';
import { useViewer } from '../auth/session';
import { CreateHoneyJarDocument, HoneyJarsDocument } from './documents';
import { JarForm } from './JarForm';
import { jarTypes, statusTone, typeLabel } from './labels';

const PAGE = 20;
/** Typing pauses this long before the name is searched for. */
const NAME_PAUSE_MS = 300;

export function JarsPage() {
  usePageTitle('Honey jars');
  const viewer = useViewer();
  const navigate = useNavigate();
  const [nameFilter, setNameFilter] = useState('');
  const [typeFilter, setTypeFilter] = useState<HoneyJarType | ''>('');
  const [statusFilter, setStatusFilter] = useState<HoneyJarStatus | ''>('ACTIVE');
  const [creating, setCreating] = useState(false);
  const name = useSettled(nameFilter.trim(), NAME_PAUSE_MS);
  const filter = {
    ...(name ? { name } : {}),
    ...(typeFilter ? { type: typeFilter } : {}),
    ...(statusFilter ? { status: statusFilter } : {}),
  };
  // Active jars are what the list shows unless asked otherwise: that alone is not a filter to mention.
  const filtered = Boolean(name || typeFilter || statusFilter !== 'ACTIVE');
  const variables = { first: PAGE, filter };
  const { data, loading, error, fetchMore } = useQuery(HoneyJarsDocument, {
    variables,
    // Back from a jar that was changed or deleted, the list is asked for again.
    fetchPolicy: 'cache-and-network',
    notifyOnNetworkStatusChange: true,
    // A service down leaves its fields null (the counts, while knowledge is away): the list still shows.
    errorPolicy: 'all',
  });
  const [createJar, created] = useMutation(CreateHoneyJarDocument, {
    refetchQueries: ['HoneyJars'],
    awaitRefetchQueries: true,
  });
  const connection = data?.honeyJars;
  const jars = connection?.nodes ?? [];

  const more = () => {
    if (connection?.pageInfo.hasNextPage && !loading)
      void fetchMore({ variables: { ...variables, after: connection.pageInfo.endCursor } });
  };
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = sentinel.current;
    if (!node || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && more());
    observer.observe(node);
    return () => observer.disconnect();
  });

  return (
    <section aria-labelledby="jars-title">
      <header className="page-header">
        <h1 id="jars-title">Honey jars</h1>
        {viewer.role !== 'VIEWER' && (
          <button
            type="button"
            className="primary"
            onClick={() => setCreating((v) => !v)}
            aria-expanded={creating}
          >
            New honey jar
          </button>
        )}
      </header>
      {creating && (
        <div className="card">
          <h2>New honey jar</h2>
          {created.error && <ErrorNotice error={created.error} />}
          <JarForm
            submitLabel="Create"
            busy={created.loading}
            onCancel={() => setCreating(false)}
            onSubmit={async (fields) => {
              const result = await createJar({ variables: { input: fields } }).catch(() => null);
              const id = result?.data?.createHoneyJar.id;
              if (id) navigate(`/jars/${id}`);
            }}
          />
        </div>
      )}
      <div className="filters" role="search">
        <label>
          Search by name
          <input type="search" value={nameFilter} onChange={(e) => setNameFilter(e.target.value)} />
        </label>
        <label>
          Type
          <select value={typeFilter} onChange={(e) => setTypeFilter(e.target.value as HoneyJarType | '')}>
            <option value="">Any</option>
            {jarTypes.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select
            value={statusFilter}
            onChange={(e) => setStatusFilter(e.target.value as HoneyJarStatus | '')}
          >
            <option value="">Any</option>
            <option value="ACTIVE">Active</option>
            <option value="ARCHIVED">Archived</option>
          </select>
        </label>
      </div>
      {error && <ErrorNotice error={error} />}
      {!connection && loading && <Loading label="Loading honey jars" />}
      {connection && jars.length === 0 && !connection.pageInfo.hasNextPage && (
        <Empty title={filtered ? 'No honey jar matches these filters.' : 'No honey jars yet.'}>
          {!filtered && viewer.role !== 'VIEWER' && <p>Create one to start collecting documents.</p>}
        </Empty>
      )}
      <ul className="jar-list" aria-label="Honey jars">
        {jars.map((jar) => (
          <li key={jar.id} className="card jar">
            <h2>
              <Link to={`/jars/${jar.id}`}>{jar.name}</Link>
            </h2>
            <p className="badges">
              <Badge tone="info">{typeLabel(jar.type)}</Badge>
              <Badge tone={statusTone(jar.status)}>{jar.status === 'ACTIVE' ? 'Active' : 'Archived'}</Badge>
              {jar.tags.map((tag) => (
                <Badge key={tag}>{tag}</Badge>
              ))}
            </p>
            {jar.description && <p>{jar.description}</p>}
            <p className="muted">
              {jar.documentCount === null
                ? 'Documents not counted just now'
                : counted(jar.documentCount, 'document')}{' '}
              · Owner: {jar.owner.displayName}
            </p>
          </li>
        ))}
      </ul>
      {connection?.pageInfo.hasNextPage && (
        <div ref={sentinel}>
          <button type="button" onClick={more} disabled={loading}>
            {loading ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </section>
  );
}
