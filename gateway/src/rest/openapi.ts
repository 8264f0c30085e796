// The OpenAPI 3.1 document of the REST compatibility API, generated from the route table and, when the composed
// supergraph is present, typed from each operation's selection set.
import { existsSync, readFileSync } from 'node:fs';
import type { GraphQLSchema } from 'graphql';
import { Supergraph } from '@apollo/federation-internals';
import { API_VERSION, restRoutes, type RestRoute } from './routes.ts';
import { parameterSchema, requestBodySchema, responseDataSchema, type JsonSchema } from './json-schemas.ts';
import { queryVariables } from './variables.ts';
import { HTTP_ROUTE_DOCS, type HttpRouteDoc } from './http-route-docs.ts';
import { snakeCase } from './naming.ts';

export const OPENAPI_PATH = '/api/v1/openapi.json';
export const SUPERGRAPH_FILE = new URL('../../../schema/supergraph.graphql', import.meta.url);

const ERROR_STATUSES: Record<string, string> = {
  '400': 'Invalid input, malformed JSON, or a body over the size limit (code BAD_USER_INPUT)',
  '401':
    'No valid session (code UNAUTHENTICATED), or signing in needs the second factor too (code SECOND_FACTOR_REQUIRED)',
  '403':
    'The caller may not do this (code FORBIDDEN), or must first confirm with a second factor (code STEP_UP_REQUIRED)',
  '404': 'Not found (code NOT_FOUND)',
  '429': 'Rate limited (code RATE_LIMITED); see Retry-After',
  '500': 'Internal error, details withheld (code INTERNAL_SERVER_ERROR)',
};

/** Errors only some plain HTTP routes answer (http-route-docs.ts). */
const MORE_ERROR_STATUSES: Record<string, string> = {
  '413': 'A file or request past a limit (code BAD_USER_INPUT); the message names the limit',
  '416':
    'The Range starts past the end of the file (code RANGE_NOT_SATISFIABLE); Content-Range: bytes */{size} names its size',
  '502': "Bee's model server failed (Bee's code, such as MODEL_UNAVAILABLE)",
  '504': "Bee's model server did not answer in time (code MODEL_TIMEOUT)",
};

/** What a partial answer lacks, beside its `data` (rest/index.ts's partialAnswer). */
const WARNINGS: JsonSchema = {
  description:
    'Present only on a partial answer: a service that owns some nullable fields of `data` (such as a honey ' +
    "pot's counts) could not be reached, and those fields are null",
  type: 'array',
  items: {
    type: 'object',
    required: ['code', 'message'],
    properties: { code: { type: 'string', const: 'SERVICE_UNAVAILABLE' }, message: { type: 'string' } },
  },
};

const ERROR_RESPONSE: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'timestamp', 'request_id'],
      properties: {
        code: { type: 'string', examples: ['NOT_FOUND'] },
        message: { type: 'string' },
        timestamp: { type: 'string', format: 'date-time' },
        request_id: { type: 'string' },
      },
    },
  },
};

/** The API schema (what clients may query) of the committed supergraph, or undefined before it is composed. */
export function loadSupergraphApiSchema(file: URL = SUPERGRAPH_FILE): GraphQLSchema | undefined {
  if (!existsSync(file)) return undefined;
  return Supergraph.build(readFileSync(file, 'utf8')).apiSchema().toGraphQLJSSchema();
}

function envelope(data: JsonSchema): JsonSchema {
  return {
    type: 'object',
    required: ['api_version', 'data'],
    properties: {
      api_version: { type: 'string', const: API_VERSION },
      data,
      warnings: { $ref: '#/components/schemas/Warnings' },
    },
  };
}

function operationObject(route: RestRoute, schema: GraphQLSchema | undefined): JsonSchema {
  const looseData = {
    description: `The value of ${route.op.rootField} in schema/rest/${route.op.name}.graphql`,
  };
  const parameters = [
    ...route.pathParams.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
    ...queryVariables(route).map((v) => ({
      name: snakeCase(v.name),
      in: 'query',
      required: v.required,
      schema: v.list
        ? { type: 'array', items: parameterSchema(schema, v.typeName) }
        : parameterSchema(schema, v.typeName),
    })),
  ];
  const responses: Record<string, JsonSchema> = {
    [String(route.successStatus ?? 200)]: {
      description: 'Success',
      content: {
        'application/json': {
          schema: envelope(
            schema ? responseDataSchema(schema, route.op, route.unwrap, Boolean(route.missing)) : looseData,
          ),
        },
      },
    },
  };
  for (const [status, description] of Object.entries(ERROR_STATUSES)) {
    if (status === '404' && !route.missing && route.pathParams.length === 0) continue;
    responses[status] = { $ref: `#/components/responses/Error${status}`, description };
  }
  const operation: JsonSchema = {
    operationId: route.op.name.charAt(0).toLowerCase() + route.op.name.slice(1),
    summary: route.summary,
    tags: [route.tag],
    description: `Runs the GraphQL ${route.op.definition.operation} ${route.op.name} (schema/rest/${route.op.name}.graphql).`,
    ...(parameters.length ? { parameters } : {}),
    responses,
  };
  if (route.body) {
    operation.requestBody = {
      required: true,
      description: 'Field names in snake_case (camelCase is accepted too).',
      content: {
        'application/json': {
          schema: schema ? requestBodySchema(schema, route.op, route.body) : { type: 'object' },
        },
      },
    };
  }
  return operation;
}

/** A document as the REST document list answers it (one of a page's `nodes`), for the upload routes' answers. */
function listedDocument(paths: Record<string, Record<string, JsonSchema>>): JsonSchema {
  const list = paths['/api/v1/honey-pots/{id}/documents']?.get as
    { responses: Record<string, { content: Record<string, { schema: JsonSchema }> }> } | undefined;
  const data = (
    list?.responses['200'].content['application/json'].schema as { properties?: { data?: JsonSchema } }
  )?.properties?.data as { properties?: { nodes?: { items?: JsonSchema } } } | undefined;
  return data?.properties?.nodes?.items ?? { type: 'object' };
}

/**
 * Builds the document; pass `schema` to type it against a schema other than the committed supergraph. The plain
 * HTTP routes (`httpDocs`) follow the GraphQL-backed ones.
 */
export function buildOpenApiDocument(
  schema: GraphQLSchema | undefined,
  routes = restRoutes(),
  httpDocs: readonly HttpRouteDoc[] = HTTP_ROUTE_DOCS,
): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path][route.method.toLowerCase()] = operationObject(route, schema);
  }
  const allErrors = { ...ERROR_STATUSES, ...MORE_ERROR_STATUSES };
  const parts = {
    envelope,
    document: listedDocument(paths),
    errors: (...statuses: string[]) =>
      Object.fromEntries(
        statuses.map((status) => [
          status,
          { $ref: `#/components/responses/Error${status}`, description: allErrors[status] },
        ]),
      ),
  };
  for (const route of httpDocs) {
    paths[route.path] ??= {};
    // Marked, for readers that want the route table's operations alone (the authorization matrix).
    paths[route.path][route.method.toLowerCase()] = {
      tags: [route.tag],
      ...route.operation(parts),
      'x-sting-plain-route': true,
    };
  }
  const errorResponses = Object.fromEntries(
    Object.entries(allErrors).map(([status, description]) => [
      `Error${status}`,
      { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'STING REST compatibility API',
      version: API_VERSION,
      description:
        'Legacy REST routes kept for existing clients. Each runs a named GraphQL operation through the gateway, ' +
        "except uploads, downloads and Bee's chat, which stream; the GraphQL API at /graphql is the primary " +
        'interface. A "honey pot" here is a honey jar.',
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }, { apiKeyHeader: [] }, { sessionCookie: [] }],
    tags: [...new Set([...routes, ...httpDocs].map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { Error: ERROR_RESPONSE, Warnings: WARNINGS },
      responses: errorResponses,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'A session token from login, or an API key (sting_…).',
        },
        apiKeyHeader: {
          type: 'apiKey',
          in: 'header',
          name: 'X-API-Key',
          description: 'An API key (sting_…), as createApiKey showed it.',
        },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'sting_session' },
      },
    },
  };
}

let cached: JsonSchema | undefined;

/** The served document, typed from `schema/supergraph.graphql` when it exists; built once. */
export function openApiDocument(): JsonSchema {
  cached ??= buildOpenApiDocument(loadSupergraphApiSchema());
  return cached;
}
