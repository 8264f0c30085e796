// The REST routes' GraphQL operations: one named operation per `schema/rest/*.graphql` file, read and parsed
// once, so a broken document stops start-up instead of failing a request.
import { readFileSync } from 'node:fs';
import { Kind, parse, type OperationDefinitionNode, type TypeNode } from 'graphql';

export const REST_OPERATIONS_DIR = new URL('../../../schema/rest/', import.meta.url);

export interface RestOperation {
  name: string;
  /** The document text sent to the runner, exactly as written in the file. */
  query: string;
  definition: OperationDefinitionNode;
  /** Response key of the single root field (its alias when it has one). */
  rootField: string;
  variables: RestVariable[];
}

export interface RestVariable {
  name: string;
  /** Named type at the core of the variable's type, e.g. `Int` for `[Int!]`. */
  typeName: string;
  required: boolean;
  list: boolean;
}

function describeVariableType(type: TypeNode): { typeName: string; required: boolean; list: boolean } {
  const required = type.kind === Kind.NON_NULL_TYPE;
  const inner = type.kind === Kind.NON_NULL_TYPE ? type.type : type;
  let named: TypeNode = inner;
  while (named.kind !== Kind.NAMED_TYPE) named = named.type;
  return { typeName: named.name.value, required, list: inner.kind === Kind.LIST_TYPE };
}

/** Parses one operation document and checks the shape REST routes rely on. */
export function parseRestOperation(source: string, origin: string): RestOperation {
  const document = parse(source);
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operations.length !== 1 || document.definitions.length !== 1) {
    throw new Error(`${origin}: a REST operation file holds exactly one operation and no fragments`);
  }
  const [definition] = operations;
  if (!definition.name) throw new Error(`${origin}: the operation needs a name`);
  if (definition.operation === 'subscription') throw new Error(`${origin}: subscriptions have no REST route`);
  const fields = definition.selectionSet.selections;
  if (fields.length !== 1 || fields[0].kind !== Kind.FIELD) {
    throw new Error(`${origin}: the operation selects exactly one root field`);
  }
  return {
    name: definition.name.value,
    query: source,
    definition,
    rootField: (fields[0].alias ?? fields[0].name).value,
    variables: (definition.variableDefinitions ?? []).map((v) => ({
      name: v.variable.name.value,
      ...describeVariableType(v.type),
    })),
  };
}

/** Reads `<name>.graphql` from the operations directory; the file name must match the operation name. */
export function loadRestOperation(name: string, dir: URL = REST_OPERATIONS_DIR): RestOperation {
  const file = new URL(`${name}.graphql`, dir);
  const operation = parseRestOperation(readFileSync(file, 'utf8'), file.pathname);
  if (operation.name !== name) {
    throw new Error(`${file.pathname}: holds operation ${operation.name}, expected ${name}`);
  }
  return operation;
}
