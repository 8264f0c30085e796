// Search across every honey jar the person may read, or the ones they choose. Each hit shows the passage with
// the words the search matched marked (as the server marked them in the hit's highlights: other forms of a query
// word, and the word a typing slip was taken for; none when only the meaning matched), where it is (document,
// page, headings), and opens the passage in its document. The search is the address's (q, and a jar parameter per
// jar chosen), so Back, a reload or a shared link shows its results again.
import { useState, type FormEvent } from 'react';
import { useQuery } from '@apollo/client/react';
import { Link, useSearchParams } from 'react-router';
import { ErrorNotice } from '../ui/ErrorNotice';
import { highlight, markedWords } from '../ui/highlight';
import { usePageTitle } from '../ui/page-title';
import { Empty, Loading } from '../ui/states';
import { SearchDocument } from './documents';
import { JarPicker } from './JarPicker';

export function passageLink(documentId: string, chunkId: string): string {
  return `/documents/${documentId}?chunk=${encodeURIComponent(chunkId)}`;
}

/** The address of a search: its words, and each jar chosen (none: all of them). */
function searchParams(query: string, jars: readonly string[]): URLSearchParams {
  const params = new URLSearchParams({ q: query });
  for (const id of jars) params.append('jar', id);
  return params;
}

export function SearchPage() {
  usePageTitle('Search');
  const [params, setParams] = useSearchParams();
  const query = params.get('q')?.trim() ?? '';
  const searched = params.getAll('jar');
  const { data, loading, error, refetch } = useQuery(SearchDocument, {
    variables: { query, honeyJarIds: searched.length ? searched : null, first: 20 },
    skip: !query,
    fetchPolicy: 'network-only',
  });
  const [text, setText] = useState(query);
  const [jars, setJars] = useState(searched);
  // Back and Forward bring another search into the address; the form shows it.
  const [address, setAddress] = useState(params.toString());
  if (address !== params.toString()) {
    setAddress(params.toString());
    setText(query);
    setJars(searched);
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The button stays focusable while a search runs (a disabled one would drop focus to the page): a submit
    // meanwhile is ignored instead.
    if (loading || !text.trim()) return;
    const next = searchParams(text.trim(), jars);
    if (next.toString() === params.toString()) void refetch();
    else setParams(next);
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
        <button type="submit" className="primary" aria-disabled={loading}>
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
      {data && !loading && !error && hits.length === 0 && (
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
