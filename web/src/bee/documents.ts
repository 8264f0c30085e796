// GraphQL documents of Bee's screens.
import { graphql } from '../gql';

export const ConversationsDocument = graphql(`
  query Conversations($first: Int, $after: String) {
    conversations(first: $first, after: $after) {
      nodes {
        id
        title
        updatedAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const CitationFieldsFragment = graphql(`
  fragment CitationFields on Citation {
    index
    chunkId
    page
    quote
    document {
      id
      title
    }
    honeyJar {
      id
      name
    }
  }
`);

export const MessageFieldsFragment = graphql(`
  fragment MessageFields on Message {
    id
    role
    text
    status
    createdAt
    provider
    model
    errorCode
    citations {
      ...CitationFields
    }
  }
`);

export const ConversationDocument = graphql(`
  query Conversation($id: ID!, $last: Int, $before: ID) {
    conversation(id: $id) {
      id
      title
      honeyJarIds
      messageCount
      messages(last: $last, before: $before) {
        ...MessageFields
      }
    }
  }
`);

export const MessageStreamDocument = graphql(`
  subscription MessageStream($conversationId: ID!) {
    messageStream(conversationId: $conversationId) {
      __typename
      ... on MessageDelta {
        messageId
        text
      }
      ... on MessageCitation {
        messageId
        index
        citation {
          ...CitationFields
        }
      }
      ... on MessageSnapshot {
        messageId
        text
        citations {
          ...CitationFields
        }
      }
      ... on MessageCompleted {
        message {
          ...MessageFields
        }
      }
      ... on MessageFailed {
        messageId
        code
        reason: message
        requestId
      }
    }
  }
`);

export const StartConversationDocument = graphql(`
  mutation StartConversation($title: String) {
    startConversation(title: $title) {
      id
      title
      updatedAt
    }
  }
`);

export const SendMessageDocument = graphql(`
  mutation SendMessage($conversationId: ID!, $text: String!, $honeyJarIds: [ID!]) {
    sendMessage(conversationId: $conversationId, text: $text, honeyJarIds: $honeyJarIds) {
      id
    }
  }
`);

export const StopGeneratingDocument = graphql(`
  mutation StopGenerating($messageId: ID!) {
    stopGenerating(messageId: $messageId) {
      id
      status
    }
  }
`);

export const RegenerateDocument = graphql(`
  mutation Regenerate($messageId: ID!) {
    regenerate(messageId: $messageId) {
      id
      status
    }
  }
`);

export const RenameConversationDocument = graphql(`
  mutation RenameConversation($id: ID!, $title: String!) {
    renameConversation(id: $id, title: $title) {
      id
      title
    }
  }
`);

export const DeleteConversationDocument = graphql(`
  mutation DeleteConversation($id: ID!) {
    deleteConversation(id: $id)
  }
`);

export const ExportConversationDocument = graphql(`
  query ExportConversation($id: ID!, $format: ConversationExportFormat!) {
    exportConversation(id: $id, format: $format)
  }
`);
