// GraphQL documents of the honey jar screens.
import { graphql } from '../gql';

export const HoneyJarsDocument = graphql(`
  query HoneyJars($first: Int, $after: String, $filter: HoneyJarFilter) {
    honeyJars(first: $first, after: $after, filter: $filter) {
      nodes {
        id
        name
        description
        type
        status
        tags
        createdAt
        documentCount
        owner {
          id
          displayName
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const HoneyJarDocument = graphql(`
  query HoneyJar($id: ID!, $first: Int, $after: String) {
    honeyJar(id: $id) {
      id
      name
      description
      type
      status
      tags
      createdAt
      updatedAt
      owner {
        id
        displayName
      }
      documents(first: $first, after: $after) {
        nodes {
          ...JarDocumentFields
        }
        pageInfo {
          hasNextPage
          endCursor
        }
        totalCount
      }
    }
  }
`);

export const CreateHoneyJarDocument = graphql(`
  mutation CreateHoneyJar($input: CreateHoneyJarInput!) {
    createHoneyJar(input: $input) {
      id
      name
    }
  }
`);

export const UpdateHoneyJarDocument = graphql(`
  mutation UpdateHoneyJar($id: ID!, $input: UpdateHoneyJarInput!) {
    updateHoneyJar(id: $id, input: $input) {
      id
      name
      description
      type
      status
      tags
      updatedAt
    }
  }
`);

export const DeleteHoneyJarDocument = graphql(`
  mutation DeleteHoneyJar($id: ID!) {
    deleteHoneyJar(id: $id)
  }
`);

// A page of a jar's members as the jar's page shows them, in the order they were added.
export const JarMemberPageFragment = graphql(`
  fragment JarMemberPage on HoneyJarMemberConnection {
    nodes {
      id
      displayName
    }
    pageInfo {
      hasNextPage
      endCursor
    }
    totalCount
  }
`);

// Both member changes answer the first page, so the list follows in the cache.
export const JarMembersFieldsFragment = graphql(`
  fragment JarMembersFields on HoneyJar {
    id
    members(first: 100) {
      ...JarMemberPage
    }
  }
`);

export const HoneyJarMembersDocument = graphql(`
  query HoneyJarMembers($id: ID!, $after: String) {
    honeyJar(id: $id) {
      id
      members(first: 100, after: $after) {
        ...JarMemberPage
      }
    }
  }
`);

export const AddHoneyJarMemberDocument = graphql(`
  mutation AddHoneyJarMember($honeyJarId: ID!, $userId: ID!) {
    addHoneyJarMember(honeyJarId: $honeyJarId, userId: $userId) {
      ...JarMembersFields
    }
  }
`);

export const RemoveHoneyJarMemberDocument = graphql(`
  mutation RemoveHoneyJarMember($honeyJarId: ID!, $userId: ID!) {
    removeHoneyJarMember(honeyJarId: $honeyJarId, userId: $userId) {
      ...JarMembersFields
    }
  }
`);
