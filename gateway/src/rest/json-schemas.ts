// JSON Schemas (the dialect OpenAPI 3.1 uses) derived from a REST operation against the GraphQL schema: the
// response data from the selection set, the request body from the input type, so the document cannot drift.
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  isScalarType,
  Kind,
  typeFromAST,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
  type GraphQLField,
  type GraphQLNamedType,
} from 'graphql';
import type { RestOperation } from './operations.ts';
import { snakeCase } from './naming.ts';

export type JsonSchema = Record<string, unknown>;

const SCALARS: Record<string, JsonSchema> = {
  ID: { type: 'string' },
  String: { type: 'string' },
  Int: { type: 'integer', format: 'int32' },
  Float: { type: 'number' },
  Boolean: { type: 'boolean' },
  DateTime: { type: 'string', format: 'date-time' },
};

function scalarSchema(name: string): JsonSchema {
  return SCALARS[name] ?? { description: `GraphQL scalar ${name}` };
}

function orNull(schema: JsonSchema): JsonSchema {
  if (typeof schema.type === 'string') {
    const enumValues = schema.enum as unknown[] | undefined;
    return { ...schema, type: [schema.type, 'null'], ...(enumValues ? { enum: [...enumValues, null] } : {}) };
  }
  return { anyOf: [schema, { type: 'null' }] };
}

function describe(schema: JsonSchema, description: string | null | undefined): JsonSchema {
  return description ? { ...schema, description } : schema;
}

function enumSchema(type: GraphQLNamedType): JsonSchema {
  return isEnumType(type) ? { type: 'string', enum: type.getValues().map((v) => v.value) } : {};
}

function fieldsOf(type: GraphQLNamedType): Record<string, GraphQLField<unknown, unknown>> {
  return isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};
}

function selectionObject(type: GraphQLNamedType, selectionSet: SelectionSetNode): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const fields = fieldsOf(type);
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue; // fragments are not used by REST operations (checked at load)
    const key = snakeCase((selection.alias ?? selection.name).value);
    const name = selection.name.value;
    if (name === '__typename') {
      properties[key] = { type: 'string' };
    } else {
      const field = fields[name];
      if (!field) throw new Error(`${type.name}.${name} is not in the schema`);
      properties[key] = describe(nullableOutput(field.type, selection.selectionSet), field.description);
    }
    required.push(key);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

function outputSchema(type: GraphQLOutputType, selectionSet: SelectionSetNode | undefined): JsonSchema {
  if (isNonNullType(type)) return outputSchema(type.ofType, selectionSet);
  let schema: JsonSchema;
  if (isListType(type)) {
    const items = type.ofType;
    schema = {
      type: 'array',
      items: isNonNullType(items)
        ? outputSchema(items, selectionSet)
        : orNull(outputSchema(items, selectionSet)),
    };
  } else if (isScalarType(type)) schema = scalarSchema(type.name);
  else if (isEnumType(type)) schema = enumSchema(type);
  else if (selectionSet) schema = selectionObject(type, selectionSet);
  else schema = {};
  return schema;
}

function nullableOutput(type: GraphQLOutputType, selectionSet: SelectionSetNode | undefined): JsonSchema {
  const schema = outputSchema(type, selectionSet);
  return isNonNullType(type) ? schema : orNull(schema);
}

/**
 * Schema of the REST `data`: the root field's value, followed down `unwrap`. `neverNull` for routes that answer
 * 404 instead of a null value.
 */
export function responseDataSchema(
  schema: GraphQLSchema,
  op: RestOperation,
  unwrap: string[] = [],
  neverNull = false,
): JsonSchema {
  const root = schema.getRootType(op.definition.operation);
  if (!root) throw new Error(`The schema has no ${op.definition.operation} type`);
  const [rootSelection] = op.definition.selectionSet.selections;
  if (rootSelection.kind !== Kind.FIELD) throw new Error(`${op.name}: root selection is not a field`);
  let field = root.getFields()[rootSelection.name.value];
  if (!field) throw new Error(`${op.name}: ${root.name}.${rootSelection.name.value} is not in the schema`);
  let selectionSet = rootSelection.selectionSet;
  for (const name of unwrap) {
    const inner = selectionSet?.selections.find(
      (s) => s.kind === Kind.FIELD && (s.alias ?? s.name).value === name,
    );
    const next = fieldsOf(getNamedType(field.type))[name];
    if (!inner || inner.kind !== Kind.FIELD || !next) throw new Error(`${op.name}: cannot unwrap ${name}`);
    field = next;
    selectionSet = inner.selectionSet;
  }
  const data = neverNull ? outputSchema(field.type, selectionSet) : nullableOutput(field.type, selectionSet);
  return describe(data, field.description);
}

function inputSchema(type: GraphQLInputType, depth = 0): JsonSchema {
  if (isNonNullType(type)) return inputSchema(type.ofType, depth);
  let schema: JsonSchema;
  if (isListType(type)) schema = { type: 'array', items: inputSchema(type.ofType, depth) };
  else if (isScalarType(type)) schema = scalarSchema(type.name);
  else if (isEnumType(type)) schema = enumSchema(type);
  else if (isInputObjectType(type) && depth < 8) {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const field of Object.values(type.getFields())) {
      const key = snakeCase(field.name);
      properties[key] = describe(inputSchema(field.type, depth + 1), field.description);
      if (isNonNullType(field.type) && field.defaultValue === undefined) required.push(key);
    }
    schema = { type: 'object', properties, ...(required.length ? { required } : {}) };
  } else schema = { type: 'object' };
  return isNonNullType(type) ? schema : orNull(schema);
}

/** Schema of the JSON body that becomes `variable`; snake_case names are documented, camelCase also accepted. */
export function requestBodySchema(schema: GraphQLSchema, op: RestOperation, variable: string): JsonSchema {
  const definition = op.definition.variableDefinitions?.find((v) => v.variable.name.value === variable);
  const type = definition && typeFromAST(schema, definition.type);
  if (!type || !isInputObjectType(getNamedType(type))) {
    throw new Error(`${op.name}: $${variable} is not an input object in the schema`);
  }
  return inputSchema(getNamedType(type) as GraphQLInputType);
}

/** Schema of a query-string parameter: the variable's own scalar (or enum) type. */
export function parameterSchema(schema: GraphQLSchema | undefined, typeName: string): JsonSchema {
  const type = schema?.getType(typeName);
  if (type && isEnumType(type)) return enumSchema(type);
  return scalarSchema(typeName);
}
