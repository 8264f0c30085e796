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

// The member list as the jar's page shows it; both member changes answer it, so the list follows in the cache.
export const JarMembersFieldsFragment = graphql(`
  fragment JarMembersFields on HoneyJar {
    id
    members {
      id
      displayName
    }
  }
`);

export const HoneyJarMembersDocument = graphql(`
  query HoneyJarMembers($id: ID!) {
    honeyJar(id: $id) {
      ...JarMembersFields
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
