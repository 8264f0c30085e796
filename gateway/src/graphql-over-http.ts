// What the GraphQL-over-HTTP spec asks beyond Apollo's defaults (graphql-http's audit, tests/conformance):
// request errors answered 200 to a client that asked for application/json, GET queries from callers that carry no
// cookie, and `__type` lookups that answer null (never an error) while introspection is off.
import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type DocumentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import type { GatewayContext } from './context.ts';

/** Headers Apollo's csrfPrevention takes as proof that a browser sent a CORS preflight first. */
const PREFLIGHT_HEADER = 'apollo-require-preflight';

/**
 * A GET that carries no cookie cannot be a cross-site forgery: the browser attaches no credential the gateway
 * trusts (a bearer token is never sent by a browser on its own). Apollo's csrfPrevention refuses every GET without
 * a preflight header; such a GET is marked as if it had one. A GET with a cookie still needs the real header.
 */
export function allowCredentialFreeGet(
  method: string | undefined,
  headers: { get(name: string): string | undefined; set(name: string, value: string): unknown },
): void {
  if ((method ?? 'GET').toUpperCase() !== 'GET' || headers.get('cookie') !== undefined) return;
  if (headers.get(PREFLIGHT_HEADER) === undefined) headers.set(PREFLIGHT_HEADER, 'true');
}

/** The client named application/json and not the GraphQL response media type. */
function wantsPlainJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((part) => part.split(';')[0].trim().toLowerCase());
  return types.includes('application/json') && !types.includes('application/graphql-response+json');
}

/** Response keys of the root `__type` fields of an operation, through fragments. */
function rootTypeLookups(document: DocumentNode, operation: OperationDefinitionNode): string[] {
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])),
  );
  const keys: string[] = [];
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === '__type') keys.push(selection.alias?.value ?? '__type');
      } else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return keys;
}

/**
 * With introspection off, `__schema` is refused. `__type` is not: it answers null, as it does for a type that does
 * not exist, so a client probing one type learns nothing and a spec-conformant client still gets a valid answer.
 */
export function schemaIntrospectionRules(
  introspection: boolean,
): ((context: ValidationContext) => ASTVisitor)[] {
  if (introspection) return [];
  return [
    (context) => ({
      Field(node) {
        if (node.name.value === '__schema')
          context.reportError(
            new GraphQLError('GraphQL introspection is not allowed here', {
              nodes: node,
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
            }),
          );
      },
    }),
  ];
}

export function graphqlOverHttpPlugin(options: {
  introspection: boolean;
}): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ request }) {
      const plainJson = wantsPlainJson(request.http?.headers.get('accept'));
      let hiddenLookups: string[] = [];
      return {
        async didResolveOperation({ document, operation }) {
          if (!options.introspection && operation) hiddenLookups = rootTypeLookups(document, operation);
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (hiddenLookups.length && result.data)
            for (const key of hiddenLookups) if (key in result.data) result.data[key] = null;
          // A request error (parse, validation, variables) has errors and no data: 200 for application/json.
          if (plainJson && response.http.status === 400 && result.data === undefined && result.errors?.length)
            response.http.status = 200;
        },
      };
    },
  };
}
