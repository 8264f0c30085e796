// GraphQL documents of a jar's documents: staging uploads, live status, reprocessing, deleting and reviewing, and
// the queue of proposals waiting for review.
import { graphql } from '../gql';

export const JarDocumentFieldsFragment = graphql(`
  fragment JarDocumentFields on Document {
    id
    title
    fileType
    size
    processingStatus
    progress
    processingError
    chunkCount
    createdAt
    piiFindings {
      type
      count
    }
  }
`);

export const CreateUploadDocument = graphql(`
  mutation CreateUpload($honeyJarId: ID!, $filename: String!, $contentType: String, $size: Float) {
    createUpload(honeyJarId: $honeyJarId, filename: $filename, contentType: $contentType, size: $size) {
      uploadUrl
      maxBytes
      limit
      reviewRequired
    }
  }
`);

export const DocumentStatusChangedDocument = graphql(`
  subscription DocumentStatusChanged($honeyJarId: ID!) {
    documentStatusChanged(honeyJarId: $honeyJarId) {
      ...JarDocumentFields
    }
  }
`);

export const ReprocessDocumentDocument = graphql(`
  mutation ReprocessDocument($id: ID!) {
    reprocessDocument(id: $id) {
      ...JarDocumentFields
    }
  }
`);

export const DeleteDocumentDocument = graphql(`
  mutation DeleteDocument($id: ID!) {
    deleteDocument(id: $id)
  }
`);

export const ApproveDocumentDocument = graphql(`
  mutation ApproveDocument($id: ID!) {
    approveDocument(id: $id) {
      ...JarDocumentFields
    }
  }
`);

export const RejectDocumentDocument = graphql(`
  mutation RejectDocument($id: ID!) {
    rejectDocument(id: $id)
  }
`);

// The review queue: proposals waiting for the viewer's review, with their jar and who proposed them.
export const ReviewProposalFieldsFragment = graphql(`
  fragment ReviewProposalFields on Document {
    id
    title
    fileType
    size
    createdAt
    honeyJar {
      id
      name
    }
    uploadedBy {
      id
      displayName
    }
  }
`);

export const DocumentReviewQueueDocument = graphql(`
  query DocumentReviewQueue($after: String) {
    documentReviewQueue(first: 50, after: $after) {
      nodes {
        ...ReviewProposalFields
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      totalCount
    }
  }
`);
