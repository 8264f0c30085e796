// Proposals waiting for the viewer's review: documents people proposed to the PUBLIC jars the viewer owns (every
// jar's, for an administrator), oldest first, 50 at a time, each approved into its jar or rejected away here
// rather than jar by jar.
import { useMutation, useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import type { ReviewProposalFieldsFragment as Proposal } from '../gql/graphql';
import { counted } from '../ui/counted';
import { ErrorNotice } from '../ui/ErrorNotice';
import { ItemButton, useItemAction } from '../ui/ItemAction';
import { usePageTitle } from '../ui/page-title';
import { LoadMore, Table } from '../ui/records';
import { Empty, Loading } from '../ui/states';
import { ConfirmReject } from './ConfirmReject';
import { formatBytes } from './format';
import { ApproveDocumentDocument, DocumentReviewQueueDocument, RejectDocumentDocument } from './operations';

export default function ReviewPage() {
  usePageTitle('Review');
  const variables = {};
  const { data, loading, error, fetchMore, refetch } = useQuery(DocumentReviewQueueDocument, { variables });
  const [approve] = useMutation(ApproveDocumentDocument);
  const [reject] = useMutation(RejectDocumentDocument);
  const deciding = useItemAction<Proposal>();
  const rejecting = useItemAction<Proposal>();
  const queue = data?.documentReviewQueue;

  // Either way the proposal leaves the queue: the queue is read again, from its first page. Rejecting deletes
  // the document, so it is confirmed first.
  const decide = async ({ id }: Proposal, approved: boolean) => {
    await (approved ? approve({ variables: { id } }) : reject({ variables: { id } }));
    await refetch();
  };

  if (loading && !data) return <Loading />;
  return (
    <section className="stack">
      <h1>Review</h1>
      <p className="muted">
        Documents people proposed to your public honey jars. Approved, a document is read into its jar;
        rejected, it is deleted.
      </p>
      {error && <ErrorNotice error={error} />}
      {deciding.error !== null && <ErrorNotice error={deciding.error} />}
      {!queue || queue.nodes.length === 0 ? (
        <Empty title="Nothing is waiting for your review." />
      ) : (
        <>
          <p className="muted">{`${counted(queue.totalCount, 'proposal')} waiting, oldest first`}</p>
          <Table columns={['Title', 'Honey jar', 'Proposed by', 'Size', 'Proposed']} actions>
            {queue.nodes.map((proposal) => (
              <tr key={proposal.id}>
                <td>
                  <Link to={`/documents/${proposal.id}`}>{proposal.title}</Link>
                </td>
                <td>
                  <Link to={`/jars/${proposal.honeyJar.id}`}>{proposal.honeyJar.name}</Link>
                </td>
                <td>{proposal.uploadedBy.displayName}</td>
                <td>{`${proposal.fileType.toUpperCase()}, ${formatBytes(proposal.size)}`}</td>
                <td>{new Date(proposal.createdAt).toLocaleString()}</td>
                <td>
                  <div className="actions">
                    <ItemButton
                      verb="Approve"
                      name={proposal.title}
                      disabled={deciding.running !== null}
                      onClick={() => void deciding.run(proposal, (p) => decide(p, true))}
                    />
                    <ItemButton
                      verb="Reject"
                      name={proposal.title}
                      className="danger"
                      disabled={deciding.running !== null}
                      onClick={() => rejecting.ask(proposal)}
                    />
                  </div>
                </td>
              </tr>
            ))}
          </Table>
          <LoadMore
            pageInfo={queue.pageInfo}
            loading={loading}
            fetchMore={fetchMore}
            variables={variables}
            label="More proposals"
          />
        </>
      )}
      <ConfirmReject action={rejecting} run={(p) => decide(p, false)} />
    </section>
  );
}
