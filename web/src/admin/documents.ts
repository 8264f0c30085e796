// GraphQL documents of the administrators' screens: people and the audit log.
import { graphql } from '../gql';

export const PersonRowFragment = graphql(`
  fragment PersonRow on User {
    id
    displayName
    email
    role
    disabled
    lastSignInAt
    createdAt
  }
`);

export const UsersDocument = graphql(`
  query Users($filter: UserFilter, $first: Int, $after: String) {
    users(filter: $filter, first: $first, after: $after) {
      edges {
        cursor
        node {
          ...PersonRow
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      totalCount
    }
  }
`);

export const CreateUserDocument = graphql(`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      ...PersonRow
    }
  }
`);

export const SetUserRoleDocument = graphql(`
  mutation SetUserRole($id: ID!, $role: Role!) {
    setUserRole(id: $id, role: $role) {
      id
      role
    }
  }
`);

export const DisableUserDocument = graphql(`
  mutation DisableUser($id: ID!) {
    disableUser(id: $id) {
      id
      disabled
    }
  }
`);

export const EnableUserDocument = graphql(`
  mutation EnableUser($id: ID!) {
    enableUser(id: $id) {
      id
      disabled
    }
  }
`);

export const DeleteUserDocument = graphql(`
  mutation DeleteUser($input: DeleteUserInput!) {
    deleteUser(input: $input)
  }
`);

export const CreatePasswordResetLinkDocument = graphql(`
  mutation CreatePasswordResetLink($userId: ID!) {
    createPasswordResetLink(userId: $userId) {
      url
      expiresAt
    }
  }
`);

export const AuditEventsDocument = graphql(`
  query AuditEvents($filter: AuditFilter, $first: Int, $after: String) {
    auditEvents(filter: $filter, first: $first, after: $after) {
      nodes {
        id
        seq
        at
        actorType
        actorId
        actor {
          id
          displayName
          email
        }
        apiKeyId
        action
        targetType
        targetId
        outcome
        requestId
        clientAddress
        details
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const VerifyAuditLogDocument = graphql(`
  query VerifyAuditLog {
    verifyAuditLog {
      ok
      checked
      firstBrokenId
      firstBrokenSeq
      reason
    }
  }
`);
