/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation Logout {\n    logout\n  }\n": typeof types.LogoutDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      token\n      expiresAt\n    }\n  }\n": typeof types.LoginDocument,
    "\n  query Me {\n    me {\n      id\n      email\n      displayName\n      role\n      createdAt\n    }\n  }\n": typeof types.MeDocument,
    "\n  query SystemStatus {\n    systemStatus {\n      status\n      checkedAt\n      components {\n        name\n        kind\n        up\n        latencyMs\n        detail\n      }\n    }\n  }\n": typeof types.SystemStatusDocument,
    "\n  query Alerts($first: Int) {\n    alerts(first: $first) {\n      id\n      severity\n      title\n      message\n      source\n      createdAt\n    }\n  }\n": typeof types.AlertsDocument,
    "\n  subscription AlertRaised {\n    alertRaised {\n      id\n      severity\n      title\n      message\n      source\n      createdAt\n    }\n  }\n": typeof types.AlertRaisedDocument,
    "\n  query PollenFilterStats {\n    pollenFilterStats {\n      since\n      records\n      bytes\n      totalRedactions\n      instances\n      redactions {\n        type\n        count\n      }\n    }\n  }\n": typeof types.PollenFilterStatsDocument,
    "\n  query HoneyJars($first: Int, $after: String) {\n    honeyJars(first: $first, after: $after) {\n      nodes {\n        id\n        name\n        description\n        type\n        status\n        tags\n        createdAt\n        owner {\n          id\n          displayName\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.HoneyJarsDocument,
    "\n  query HoneyJar($id: ID!) {\n    honeyJar(id: $id) {\n      id\n      name\n      description\n      type\n      status\n      tags\n      createdAt\n      updatedAt\n      owner {\n        id\n        displayName\n      }\n      documents {\n        id\n        title\n        fileType\n        processingStatus\n        chunkCount\n        createdAt\n      }\n    }\n  }\n": typeof types.HoneyJarDocument,
    "\n  mutation CreateHoneyJar($input: CreateHoneyJarInput!) {\n    createHoneyJar(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.CreateHoneyJarDocument,
    "\n  mutation UpdateHoneyJar($id: ID!, $input: UpdateHoneyJarInput!) {\n    updateHoneyJar(id: $id, input: $input) {\n      id\n      name\n      description\n      type\n      status\n      tags\n      updatedAt\n    }\n  }\n": typeof types.UpdateHoneyJarDocument,
    "\n  mutation DeleteHoneyJar($id: ID!) {\n    deleteHoneyJar(id: $id)\n  }\n": typeof types.DeleteHoneyJarDocument,
};
const documents: Documents = {
    "\n  mutation Logout {\n    logout\n  }\n": types.LogoutDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      token\n      expiresAt\n    }\n  }\n": types.LoginDocument,
    "\n  query Me {\n    me {\n      id\n      email\n      displayName\n      role\n      createdAt\n    }\n  }\n": types.MeDocument,
    "\n  query SystemStatus {\n    systemStatus {\n      status\n      checkedAt\n      components {\n        name\n        kind\n        up\n        latencyMs\n        detail\n      }\n    }\n  }\n": types.SystemStatusDocument,
    "\n  query Alerts($first: Int) {\n    alerts(first: $first) {\n      id\n      severity\n      title\n      message\n      source\n      createdAt\n    }\n  }\n": types.AlertsDocument,
    "\n  subscription AlertRaised {\n    alertRaised {\n      id\n      severity\n      title\n      message\n      source\n      createdAt\n    }\n  }\n": types.AlertRaisedDocument,
    "\n  query PollenFilterStats {\n    pollenFilterStats {\n      since\n      records\n      bytes\n      totalRedactions\n      instances\n      redactions {\n        type\n        count\n      }\n    }\n  }\n": types.PollenFilterStatsDocument,
    "\n  query HoneyJars($first: Int, $after: String) {\n    honeyJars(first: $first, after: $after) {\n      nodes {\n        id\n        name\n        description\n        type\n        status\n        tags\n        createdAt\n        owner {\n          id\n          displayName\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.HoneyJarsDocument,
    "\n  query HoneyJar($id: ID!) {\n    honeyJar(id: $id) {\n      id\n      name\n      description\n      type\n      status\n      tags\n      createdAt\n      updatedAt\n      owner {\n        id\n        displayName\n      }\n      documents {\n        id\n        title\n        fileType\n        processingStatus\n        chunkCount\n        createdAt\n      }\n    }\n  }\n": types.HoneyJarDocument,
    "\n  mutation CreateHoneyJar($input: CreateHoneyJarInput!) {\n    createHoneyJar(input: $input) {\n      id\n      name\n    }\n  }\n": types.CreateHoneyJarDocument,
    "\n  mutation UpdateHoneyJar($id: ID!, $input: UpdateHoneyJarInput!) {\n    updateHoneyJar(id: $id, input: $input) {\n      id\n      name\n      description\n      type\n      status\n      tags\n      updatedAt\n    }\n  }\n": types.UpdateHoneyJarDocument,
    "\n  mutation DeleteHoneyJar($id: ID!) {\n    deleteHoneyJar(id: $id)\n  }\n": types.DeleteHoneyJarDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout {\n    logout\n  }\n"): (typeof documents)["\n  mutation Logout {\n    logout\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      token\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      token\n      expiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      email\n      displayName\n      role\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      id\n      email\n      displayName\n      role\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SystemStatus {\n    systemStatus {\n      status\n      checkedAt\n      components {\n        name\n        kind\n        up\n        latencyMs\n        detail\n      }\n    }\n  }\n"): (typeof documents)["\n  query SystemStatus {\n    systemStatus {\n      status\n      checkedAt\n      components {\n        name\n        kind\n        up\n        latencyMs\n        detail\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Alerts($first: Int) {\n    alerts(first: $first) {\n      id\n      severity\n      title\n      message\n      source\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query Alerts($first: Int) {\n    alerts(first: $first) {\n      id\n      severity\n      title\n      message\n      source\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AlertRaised {\n    alertRaised {\n      id\n      severity\n      title\n      message\n      source\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  subscription AlertRaised {\n    alertRaised {\n      id\n      severity\n      title\n      message\n      source\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PollenFilterStats {\n    pollenFilterStats {\n      since\n      records\n      bytes\n      totalRedactions\n      instances\n      redactions {\n        type\n        count\n      }\n    }\n  }\n"): (typeof documents)["\n  query PollenFilterStats {\n    pollenFilterStats {\n      since\n      records\n      bytes\n      totalRedactions\n      instances\n      redactions {\n        type\n        count\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HoneyJars($first: Int, $after: String) {\n    honeyJars(first: $first, after: $after) {\n      nodes {\n        id\n        name\n        description\n        type\n        status\n        tags\n        createdAt\n        owner {\n          id\n          displayName\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query HoneyJars($first: Int, $after: String) {\n    honeyJars(first: $first, after: $after) {\n      nodes {\n        id\n        name\n        description\n        type\n        status\n        tags\n        createdAt\n        owner {\n          id\n          displayName\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HoneyJar($id: ID!) {\n    honeyJar(id: $id) {\n      id\n      name\n      description\n      type\n      status\n      tags\n      createdAt\n      updatedAt\n      owner {\n        id\n        displayName\n      }\n      documents {\n        id\n        title\n        fileType\n        processingStatus\n        chunkCount\n        createdAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query HoneyJar($id: ID!) {\n    honeyJar(id: $id) {\n      id\n      name\n      description\n      type\n      status\n      tags\n      createdAt\n      updatedAt\n      owner {\n        id\n        displayName\n      }\n      documents {\n        id\n        title\n        fileType\n        processingStatus\n        chunkCount\n        createdAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateHoneyJar($input: CreateHoneyJarInput!) {\n    createHoneyJar(input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation CreateHoneyJar($input: CreateHoneyJarInput!) {\n    createHoneyJar(input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateHoneyJar($id: ID!, $input: UpdateHoneyJarInput!) {\n    updateHoneyJar(id: $id, input: $input) {\n      id\n      name\n      description\n      type\n      status\n      tags\n      updatedAt\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateHoneyJar($id: ID!, $input: UpdateHoneyJarInput!) {\n    updateHoneyJar(id: $id, input: $input) {\n      id\n      name\n      description\n      type\n      status\n      tags\n      updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteHoneyJar($id: ID!) {\n    deleteHoneyJar(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteHoneyJar($id: ID!) {\n    deleteHoneyJar(id: $id)\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;