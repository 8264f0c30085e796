// One document: what it is, its processing state, and its passages in reading order. A link from search or from
// one of Bee's citations opens the cited passage, scrolled into view and marked.
import { useEffect } from 'react';
import { useQuery } from '@apollo/client/react';
import { Link, useParams, useSearchParams } from 'react-router';
import { graphql } from '../gql';
import { Badge } from '../ui/Badge';
import { ErrorNotice } from '../ui/ErrorNotice';
import { usePageTitle } from '../ui/page-title';
import { Empty, Loading } from '../ui/states';
import { formatBytes } from './format';
import { isViewable, viewLink } from './view';
import { counted } from '../ui/counted';

const DocumentDocument = graphql(`
  query Document($id: ID!, $after: String) {
    document(id: $id) {
      id
      title
      fileType
      size
      processingStatus
      processingError
      chunkCount
      createdAt
      piiFindings {
        type
        count
      }
      honeyJar {
        id
        name
      }
      chunks(first: 100, after: $after) {
        nodes {
          id
          ordinal
          text
          headingPath
          page
          slide
          sheet
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

export function DocumentPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const focus = params.get('chunk');
  const { data, loading, error, fetchMore } = useQuery(DocumentDocument, { variables: { id } });
  const doc = data?.document;
  usePageTitle(doc?.title ?? 'Document');
  const chunks = doc?.chunks.nodes ?? [];
  const focusLoaded = !focus || chunks.some((c) => c.id === focus);

  // The cited passage may lie past the first page of chunks: keep loading until it is there.
  useEffect(() => {
    if (doc && !focusLoaded && doc.chunks.pageInfo.hasNextPage && !loading)
      void fetchMore({
        variables: { after: doc.chunks.pageInfo.endCursor },
        updateQuery: (previous, { fetchMoreResult }) =>
          !previous.document || !fetchMoreResult.document
            ? previous
            : {
                document: {
                  ...fetchMoreResult.document,
                  chunks: {
                    ...fetchMoreResult.document.chunks,
                    nodes: [...previous.document.chunks.nodes, ...fetchMoreResult.document.chunks.nodes],
                  },
                },
              },
      });
  }, [doc, focusLoaded, loading, fetchMore]);

  useEffect(() => {
    if (focus && focusLoaded) document.getElementById(`chunk-${focus}`)?.scrollIntoView({ block: 'center' });
  }, [focus, focusLoaded]);

  if (loading && !data) return <Loading label="Loading the document" />;
  if (error) return <ErrorNotice error={error} />;
  if (!doc) return <Empty title="There is no document here you can read." />;
  return (
    <section aria-labelledby="doc-title" className="stack">
      <p>
        <Link to={`/jars/${doc.honeyJar.id}`}>← {doc.honeyJar.name}</Link>
      </p>
      <header className="page-header">
        <h1 id="doc-title">{doc.title}</h1>
        <div className="actions">
          {isViewable(doc.fileType) && (
            <a className="button" href={viewLink(doc.id)} target="_blank" rel="noopener noreferrer">
              View original<span className="visually-hidden"> (opens in a new tab)</span>
            </a>
          )}
          <a className="button" href={`/api/v1/documents/${doc.id}/download`} download>
            Download original
          </a>
        </div>
      </header>
      <p className="badges">
        <Badge tone="info">{doc.fileType.toUpperCase()}</Badge>
        <Badge
          tone={
            doc.processingStatus === 'READY' ? 'good' : doc.processingStatus === 'FAILED' ? 'bad' : 'neutral'
          }
        >
          {doc.processingStatus}
        </Badge>
        <span className="muted">
          {formatBytes(doc.size)} · {counted(doc.chunkCount, 'passage')} · added{' '}
          {new Date(doc.createdAt).toLocaleString()}
        </span>
      </p>
      {doc.processingError && (
        <p role="alert" className="notice error">
          {doc.processingError}
        </p>
      )}
      {doc.piiFindings.length > 0 && (
        <p className="muted">
          Personal data found: {doc.piiFindings.map((f) => `${f.type} × ${f.count}`).join(', ')}
        </p>
      )}
      {chunks.length === 0 ? (
        <Empty title="No passages yet." />
      ) : (
        <ol className="passages" aria-label="Passages">
          {chunks.map((chunk) => (
            <li
              key={chunk.id}
              id={`chunk-${chunk.id}`}
              className={chunk.id === focus ? 'passage focused' : 'passage'}
              aria-current={chunk.id === focus ? 'location' : undefined}
            >
              <p className="muted">
                {[
                  chunk.page != null && `page ${chunk.page}`,
                  chunk.slide != null && `slide ${chunk.slide}`,
                  chunk.sheet && `sheet ${chunk.sheet}`,
                  chunk.headingPath.join(' › '),
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </p>
              <p className="passage-text">{chunk.text}</p>
            </li>
          ))}
        </ol>
      )}
      {!focusLoaded && <Loading label="Finding the passage" />}
    </section>
  );
}
