// Stage 4, operation limits: refuses operations too deep, too aliased, too wide, with too many directives or too
// costly before the gateway plans them, so one request cannot make the planner and the subgraphs do unbounded work;
// also an operation that cannot be chosen, and inputs no resolver can store. Runs on HTTP, REST and graphql-ws.
// Depth, aliases and root fields are measured here rather than by graphql-armor: armor counts each fragment spread
// as levels of its own (measured: `{ ...F } fragment F on Query { a { ...G } } fragment G on A { b }`, depth 2, is
// reported as depth 6), so fragment-heavy client queries would be refused at our default depth, and armor has no
// root-field limit. Directives and cost come from graphql-armor.
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  getVariableValues,
  GraphQLError,
  Kind,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import { fragmentsOf } from '@sting/kit/graphql/root-fields.ts';
import type { GatewayContext } from '../context.ts';
import { inputError } from '../pipeline/input-checks.ts';
import { estimatedResultSize } from './result-size.ts';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxTokens?: number;
  maxDirectives?: number;
  maxCost?: number;
  /** How many fields an answer may hold at most, page sizes counted (result-size.ts). */
  maxResultSize?: number;
}

/** graphql-armor's directive and cost rules (validation rules, whose errors armorChecker turns into limit errors). */
function armorRules(limits: OperationLimits): ValidationRule[] {
  const off = { enabled: false };
  return new ApolloArmor({
    blockFieldSuggestion: off,
    maxTokens: off,
    maxDepth: off,
    maxAliases: off,
    maxDirectives: { n: limits.maxDirectives ?? 50 },
    costLimit: { maxCost: limits.maxCost ?? 50_000 },
  }).protect().validationRules as ValidationRule[];
}

/** The setting each graphql-armor message is about, named in the client's message as the other limits are. */
const ARMOR_LIMITS: readonly [RegExp, string][] = [
  [/^Query Cost limit/, 'maxCost'],
  [/^Directives limit/, 'maxDirectives'],
];

/**
 * The directive and cost limits a document exceeds, as BAD_USER_INPUT errors like the other limits'. Run after the
 * schema's validation rather than among its rules: Apollo reports every validation error as
 * GRAPHQL_VALIDATION_FAILED, and graphql-armor words its refusals "Syntax Error: …" though the syntax is fine.
 * A document is checked once: Apollo hands the same parsed document to every request with the same text.
 */
export function armorChecker(
  limits: OperationLimits,
): (schema: GraphQLSchema, document: DocumentNode) => GraphQLError[] {
  const rules = armorRules(limits);
  // Messages are kept, not errors: each request gets errors of its own.
  const checked = new WeakMap<DocumentNode, string[]>();
  return (schema, document) => {
    let messages = checked.get(document);
    if (!messages) {
      messages = validate(schema, document, rules).map((error) => {
        const message = error.message.replace(/^Syntax Error: /, '');
        const limit = ARMOR_LIMITS.find(([pattern]) => pattern.test(message))?.[1];
        return limit ? `${message.replace(/\.$/, '')} (${limit})` : message;
      });
      checked.set(document, messages);
    }
    return messages.map(limitError);
  };
}

export interface OperationShape {
  depth: number;
  aliases: number;
  rootFields: number;
}

interface Measure {
  depth: number;
  aliases: number;
  fields: number;
}

const NOTHING: Measure = { depth: 0, aliases: 0, fields: 0 };

/**
 * Depth, aliases and root fields of one operation with every fragment expanded. Each fragment is measured once
 * (a fragment spread many times cannot make this exponential) and a fragment cycle counts as nothing here:
 * validation refuses cycles, this only has to terminate. Introspection fields (`__schema`, `__type`) do not add
 * depth: the standard introspection query nests `ofType` deeper than any sensible limit and stays cheap.
 */
export function measureOperation(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): OperationShape {
  const memo = new Map<string, Measure>();
  const visiting = new Set<string>();

  const fragment = (name: string): Measure => {
    const known = memo.get(name);
    if (known) return known;
    const definition = fragments.get(name);
    if (!definition || visiting.has(name)) return NOTHING;
    visiting.add(name);
    const measured = selections(definition.selectionSet);
    visiting.delete(name);
    memo.set(name, measured);
    return measured;
  };

  const selections = (set: SelectionSetNode): Measure => {
    let depth = 0;
    let aliases = 0;
    let fields = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        fields++;
        if (selection.alias) aliases++;
        const inner = selection.selectionSet ? selections(selection.selectionSet) : NOTHING;
        aliases += inner.aliases;
        if (!selection.name.value.startsWith('__')) depth = Math.max(depth, 1 + inner.depth);
      } else {
        const inner =
          selection.kind === Kind.INLINE_FRAGMENT
            ? selections(selection.selectionSet)
            : fragment(selection.name.value);
        depth = Math.max(depth, inner.depth);
        aliases += inner.aliases;
        fields += inner.fields;
      }
    }
    return { depth, aliases, fields };
  };

  const measured = selections(operation.selectionSet);
  return { depth: measured.depth, aliases: measured.aliases, rootFields: measured.fields };
}

/** The first limit the operation exceeds, as a client-facing message naming it; undefined when within all. */
export function operationLimitViolation(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  limits: OperationLimits,
): string | undefined {
  const shape = measureOperation(operation, fragments);
  if (shape.depth > limits.maxDepth)
    return `Operation depth ${shape.depth} exceeds the limit of ${limits.maxDepth} (maxDepth)`;
  if (shape.aliases > limits.maxAliases)
    return `Operation uses ${shape.aliases} aliases, more than the limit of ${limits.maxAliases} (maxAliases)`;
  if (shape.rootFields > limits.maxRootFields)
    return `Operation selects ${shape.rootFields} root fields, more than the limit of ${limits.maxRootFields} (maxRootFields)`;
  return undefined;
}

/**
 * The operation's answer, page sizes counted, is larger than `maxResultSize`: a message saying so, else undefined.
 * `variables` are the request's, coerced here so a variable's default counts too.
 */
export function resultSizeViolation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown> | undefined,
  limits: OperationLimits,
): string | undefined {
  const max = limits.maxResultSize ?? 100_000;
  const coerced =
    getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}).coerced ?? {};
  const size = estimatedResultSize(schema, operation, fragments, coerced);
  if (size <= max) return undefined;
  return (
    `The operation could return about ${Math.round(size).toLocaleString('en')} fields, more than the limit of ` +
    `${max.toLocaleString('en')} (maxResultSize): ask for smaller pages`
  );
}

export const limitError = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });

/** Every operation in the document is checked: graphql-ws validates before it knows which one will run. */
export function operationLimitErrors(document: DocumentNode, limits: OperationLimits): GraphQLError[] {
  const fragments = fragmentsOf(document);
  const errors: GraphQLError[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const violation = operationLimitViolation(definition, fragments, limits);
    if (violation) errors.push(limitError(violation));
  }
  return errors;
}

/** graphql-ws's `validate`: the schema's own rules first (they refuse fragment cycles), then the limits. */
export function validateWithOperationLimits(limits: OperationLimits): typeof validate {
  const armor = armorChecker(limits);
  return (schema, document, rules, ...rest) => {
    const errors = validate(schema, document, rules, ...rest);
    if (errors.length) return errors;
    const limited = operationLimitErrors(document, limits);
    return limited.length ? limited : armor(schema, document);
  };
}

/** The operation a request names cannot be chosen: the client's 400, never an executor's 500. */
export function unknownOperationError(
  document: DocumentNode,
  operationName: string | undefined,
): GraphQLError {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;
  const message =
    operationName !== undefined
      ? `Unknown operation named "${operationName}"`
      : operations > 1
        ? 'Must provide operationName when the document contains several operations'
        : 'The document contains no operation';
  return new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
}

export function operationLimitsPlugin(limits: OperationLimits): ApolloServerPlugin<GatewayContext> {
  const armor = armorChecker(limits);
  return {
    async requestDidStart() {
      return {
        // After validation, before execution: the gateway plans the operation when execution starts.
        async didResolveOperation({ document, operation, request, schema }) {
          if (!operation) throw unknownOperationError(document, request.operationName ?? undefined);
          const fragments = fragmentsOf(document);
          const violation =
            operationLimitViolation(operation, fragments, limits) ??
            resultSizeViolation(schema, operation, fragments, request.variables, limits);
          if (violation) throw limitError(violation);
          const [armored] = armor(schema, document);
          if (armored) throw armored;
          const refused = inputError(document, request.variables);
          if (refused) throw refused;
        },
      };
    },
  };
}
