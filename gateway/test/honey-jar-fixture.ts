// A small real GraphQL service for gateway tests: honey-jar fields as the subgraph exposes them, held in memory,
// behind an OperationRunner that codes and masks errors the way the gateway pipeline does.
import type { IncomingHttpHeaders } from 'node:http';
import { buildSchema, execute, parse, validate, GraphQLError, type DocumentNode } from 'graphql';
import {
  BadUserInputError,
  ForbiddenError,
  RateLimitedError,
  UnauthenticatedError,
  maskError,
  type ErrorCode,
} from '@sting/kit';
import type { OperationRunner } from '../src/operation-runner.ts';

export const honeyJarSdl = /* GraphQL */ `
  scalar DateTime
  enum HoneyJarType {
    PUBLIC
    PRIVATE
    TEAM
    RESTRICTED
  }
  enum HoneyJarStatus {
    ACTIVE
    ARCHIVED
  }
  enum DocumentProcessingStatus {
    PENDING_REVIEW
    PENDING
    PROCESSING
    READY
    FAILED
  }
  enum HealthStatus {
    OK
    DEGRADED
    DOWN
  }
  enum ComponentKind {
    SUBGRAPH
    DATABASE
    CACHE
    VECTOR_STORE
  }
  type ComponentStatus {
    name: String!
    kind: ComponentKind!
    up: Boolean!
    latencyMs: Float
    detail: String
  }
  type User {
    id: ID!
    displayName: String!
  }
  type PiiFinding {
    type: String!
    count: Int!
  }
  type DocumentJar {
    id: ID!
  }
  type Document {
    id: ID!
    honeyJar: DocumentJar!
    title: String!
    fileType: String!
    contentType: String!
    size: Float!
    contentHash: String!
    processingStatus: DocumentProcessingStatus!
    progress: Float!
    processingError: String
    chunkCount: Int!
    piiFindings: [PiiFinding!]!
    createdAt: DateTime!
    updatedAt: DateTime!
  }
  type HoneyJar {
    id: ID!
    name: String!
    description: String
    type: HoneyJarType!
    status: HoneyJarStatus!
    tags: [String!]!
    owner: User!
    createdAt: DateTime!
    updatedAt: DateTime!
    documents: [Document!]!
  }
  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }
  type HoneyJarConnection {
    nodes: [HoneyJar!]!
    pageInfo: PageInfo!
  }
  type SystemStatus {
    status: HealthStatus!
    checkedAt: DateTime!
    components: [ComponentStatus!]!
    history: [ComponentTransition!]!
  }
  type ComponentTransition {
    component: String!
    kind: ComponentKind!
    up: Boolean!
    detail: String
    at: DateTime!
  }
  type PollenRedactionCount {
    type: String!
    count: Float!
  }
  type PollenFilterStats {
    since: DateTime!
    records: Float!
    bytes: Float!
    redactions: [PollenRedactionCount!]!
    totalRedactions: Float!
    instances: Int!
  }
  input CreateHoneyJarInput {
    name: String!
    description: String
    type: HoneyJarType = PRIVATE
    tags: [String!]
  }
  input UpdateHoneyJarInput {
    name: String
    description: String
    type: HoneyJarType
    tags: [String!]
  }
  type Query {
    honeyJars(first: Int, after: String): HoneyJarConnection!
    honeyJar(id: ID!): HoneyJar
    systemStatus: SystemStatus!
    pollenFilterStats: PollenFilterStats!
    document(id: ID!): Document
    documents(fileType: String, honeyJarId: ID, from: DateTime, to: DateTime, first: Int): [Document!]!
  }
  type Mutation {
    createHoneyJar(input: CreateHoneyJarInput!): HoneyJar!
    updateHoneyJar(id: ID!, input: UpdateHoneyJarInput!): HoneyJar!
    deleteHoneyJar(id: ID!): Boolean!
    deleteDocument(id: ID!): Boolean!
  }
`;

export const schema = buildSchema(honeyJarSdl);

interface Viewer {
  id: string;
  displayName: string;
}
interface Jar {
  id: string;
  name: string;
  description: string | null;
  type: string;
  status: string;
  tags: string[];
  owner: Viewer;
  createdAt: string;
  updatedAt: string;
  documents: Record<string, unknown>[];
}

/** Bearer tokens the fixture knows; `swarm` is always rate limited. */
const VIEWERS: Record<string, Viewer> = {
  beekeeper: { id: 'u-1', displayName: 'Beekeeper' },
  visitor: { id: 'u-2', displayName: 'Visitor' },
  swarm: { id: 'u-3', displayName: 'Swarm' },
};

function viewerOf(headers: IncomingHttpHeaders): Viewer {
  const token = /^Bearer (\w+)$/.exec(headers.authorization ?? '')?.[1];
  const viewer = token ? VIEWERS[token] : undefined;
  if (!viewer) throw new UnauthenticatedError();
  if (token === 'swarm') throw new RateLimitedError(7);
  return viewer;
}

function requireName(name: unknown) {
  if (typeof name === 'string' && name.trim() === '')
    throw new BadUserInputError('name must not be empty', 'name');
}

export function createHoneyJarService() {
  const jars = new Map<string, Jar>();
  let next = 1;
  const add = (owner: Viewer, input: Partial<Jar> & { name: string }): Jar => {
    const jar: Jar = {
      id: `hj-${next++}`,
      description: null,
      type: 'PRIVATE',
      tags: [],
      ...input,
      status: 'ACTIVE',
      owner,
      createdAt: new Date(Date.UTC(2025, 0, next)).toISOString(),
      updatedAt: new Date(Date.UTC(2025, 0, next)).toISOString(),
      documents: [],
    };
    jars.set(jar.id, jar);
    return jar;
  };
  const mine = (viewer: Viewer, id: string): Jar => {
    const jar = jars.get(id);
    if (!jar) throw new GraphQLError(`Honey jar ${id} was not found`, { extensions: { code: 'NOT_FOUND' } });
    if (jar.owner.id !== viewer.id) throw new ForbiddenError();
    return jar;
  };
  // Documents carry their jar as knowledge's do, with the fields a test leaves out filled in.
  const allDocuments = () =>
    [...jars.values()].flatMap((jar) =>
      jar.documents.map((d) => ({
        contentType: 'application/octet-stream',
        size: 0,
        progress: 0,
        processingError: null,
        piiFindings: [],
        updatedAt: d.createdAt,
        ...d,
        honeyJar: { id: jar.id },
      })),
    ) as unknown as ({ id: string; fileType: string; honeyJar: { id: string } } & Record<string, unknown>)[];
  const root = {
    honeyJars: ({ first = 20, after }: { first?: number; after?: string }) => {
      const all = [...jars.values()];
      const start = after ? all.findIndex((j) => j.id === after) + 1 : 0;
      const nodes = all.slice(start, start + first);
      return {
        nodes,
        pageInfo: { hasNextPage: start + first < all.length, endCursor: nodes.at(-1)?.id ?? null },
      };
    },
    honeyJar: ({ id }: { id: string }) => {
      if (id === 'hj-broken') throw new Error('connection to postgres://admin:secret@db failed');
      const jar = jars.get(id);
      return jar ? { ...jar, documents: allDocuments().filter((d) => d.honeyJar.id === id) } : null;
    },
    systemStatus: () => ({
      status: 'OK',
      checkedAt: new Date().toISOString(),
      components: [{ name: 'postgres', kind: 'DATABASE', up: true, latencyMs: 1.5, detail: null }],
      history: [],
    }),
    createHoneyJar: ({ input }: { input: Jar }, ctx: { viewer: Viewer }) => {
      requireName(input.name);
      return add(ctx.viewer, input);
    },
    updateHoneyJar: ({ id, input }: { id: string; input: Partial<Jar> }, ctx: { viewer: Viewer }) => {
      requireName(input.name);
      const jar = mine(ctx.viewer, id);
      Object.assign(jar, Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)));
      return jar;
    },
    deleteHoneyJar: ({ id }: { id: string }, ctx: { viewer: Viewer }) => {
      if (!jars.has(id)) return false;
      mine(ctx.viewer, id);
      return jars.delete(id);
    },
    document: ({ id }: { id: string }) => allDocuments().find((d) => d.id === id) ?? null,
    documents: ({ fileType, honeyJarId }: { fileType?: string; honeyJarId?: string }) =>
      allDocuments().filter(
        (d) => (!fileType || d.fileType === fileType) && (!honeyJarId || d.honeyJar.id === honeyJarId),
      ),
    deleteDocument: ({ id }: { id: string }, ctx: { viewer: Viewer }) => {
      for (const jar of jars.values()) {
        const at = jar.documents.findIndex((d) => d.id === id);
        if (at < 0) continue;
        mine(ctx.viewer, jar.id);
        jar.documents.splice(at, 1);
        return true;
      }
      return false;
    },
  };
  return { jars, add, root };
}

function coded(error: GraphQLError, code: ErrorCode | 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED') {
  return new GraphQLError(error.message, { nodes: error.nodes, extensions: { code } });
}

/** Parse → validate → resolve the viewer → execute, with the gateway's error codes and masking. */
export function createTestRunner(service = createHoneyJarService()): OperationRunner & { seen: string[] } {
  const seen: string[] = [];
  const runner = async (op: Parameters<OperationRunner>[0]) => {
    seen.push(op.headers.authorization ?? '');
    const mask = (errors: readonly GraphQLError[]) =>
      errors.map((e) => maskError(e.toJSON(), e, op.requestId));
    let document: DocumentNode;
    try {
      document = parse(op.query);
    } catch (err) {
      return { errors: mask([coded(err as GraphQLError, 'GRAPHQL_PARSE_FAILED')]) };
    }
    const invalid = validate(schema, document);
    if (invalid.length) return { errors: mask(invalid.map((e) => coded(e, 'GRAPHQL_VALIDATION_FAILED'))) };
    let viewer: Viewer;
    try {
      viewer = viewerOf(op.headers);
    } catch (err) {
      return { errors: mask([new GraphQLError((err as Error).message, { originalError: err as Error })]) };
    }
    const result = await execute({
      schema,
      document,
      rootValue: service.root,
      contextValue: { viewer },
      variableValues: op.variables,
      operationName: op.operationName,
    });
    // As in Apollo Server: errors without any data come from variables that failed to coerce.
    const errors = result.errors?.map((e) => (result.data === undefined ? coded(e, 'BAD_USER_INPUT') : e));
    return { data: result.data ?? undefined, ...(errors ? { errors: mask(errors) } : {}) };
  };
  return Object.assign(runner, { seen });
}
