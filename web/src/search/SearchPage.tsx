// Search across every honey jar the person may read, or the ones they choose. Each hit shows the passage with
// the words the search matched marked (as the server marked them in the hit's highlights: other forms of a query
// word, and the word a typing slip was taken for; none when only the meaning matched), where it is (document,
// page, headings), and opens the passage in its document.
import { useState, type FormEvent } from 'react';
import { useLazyQuery } from '@apollo/client/react';
import { Link, useSearchParams } from 'react-router';
import { ErrorNotice } from '../ui/ErrorNotice';
import { highlight, markedWords } from '../ui/highlight';
import { Empty, Loading } from '../ui/states';
import { SearchDocument } from './documents';
import { JarPicker } from './JarPicker';

export function passageLink(documentId: string, chunkId: string): string {
  return `/documents/${documentId}?chunk=${encodeURIComponent(chunkId)}`;
}

export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const [jars, setJars] = useState<string[]>([]);
  const [run, { data, loading, error, called }] = useLazyQuery(SearchDocument, {
    fetchPolicy: 'network-only',
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const query = text.trim();
    if (!query) return;
    setParams({ q: query }, { replace: true });
    void run({ variables: { query, honeyJarIds: jars.length ? jars : null, first: 20 } });
  };
  const hits = data?.search ?? [];
  const correction = data?.searchCorrection ?? null;
  return (
    <section aria-labelledby="search-title" className="stack">
      <h1 id="search-title">Search</h1>
      <form role="search" onSubmit={submit} className="stack">
        <label>
          Search your documents
          <input
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            maxLength={1000}
            required
          />
        </label>
        <JarPicker legend="Honey jars to search" selected={jars} onChange={setJars} />
        <button type="submit" className="primary" disabled={loading}>
          Search
        </button>
      </form>
      {error && <ErrorNotice error={error} />}
      {loading && <Loading label="Searching" />}
      {!loading && correction && (
        <p className="notice" role="status">
          Showing results for{' '}
          <q>
            {highlight(
              correction.query,
              correction.words.map((w) => w.searched),
              'strong',
            )}
          </q>
        </p>
      )}
      {called && !loading && !error && hits.length === 0 && (
        <Empty title="Nothing found.">
          <p>No passage in the honey jars you may read matches these words.</p>
        </Empty>
      )}
      <ol className="hits" aria-label="Search results, best first">
        {hits.map((hit) => (
          <li key={hit.chunkId} className="card">
            <p className="hit-source">
              <Link to={passageLink(hit.document.id, hit.chunkId)}>{hit.document.title}</Link>
              <span className="muted">
                {' '}
                · {hit.honeyJar.name}
                {hit.page != null && ` · page ${hit.page}`}
                {hit.headingPath.length > 0 && ` · ${hit.headingPath.join(' › ')}`}
              </span>
            </p>
            <blockquote>{highlight(hit.text, markedWords(hit.highlights))}</blockquote>
          </li>
        ))}
      </ol>
    </section>
  );
}
