// Stage 4, operation limits: refuses operations too deep, too aliased, too wide, with too many directives or too
// costly before the gateway plans them, so one request cannot make the planner and the subgraphs do unbounded work;
// also an operation that cannot be chosen, and inputs no resolver can store. Runs on HTTP, REST and graphql-ws.
// Depth, aliases, root fields and cost are measured here rather than by graphql-armor: armor counts each fragment
// spread as levels of its own (measured: `{ ...F } fragment F on Query { a { ...G } } fragment G on A { b }`, depth
// 2, is reported as depth 6), so fragment-heavy client queries would be refused at our default depth, and armor has
// no root-field limit. Its cost grows by half for every fragment a selection is nested in, so the 20 nested
// fragments a client that colocates them (Apollo Client, Relay) sends around `{ me { id } }` cost 74 million
// instead of 3.5; its `flattenFragments` still adds 3 per spread and counts a fragment's fields a level deeper. Here
// an operation costs what it selects: exactly its fragment-inlined form's cost by armor's own count. Directives come
// from graphql-armor.
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  getVariableValues,
  GraphQLError,
  Kind,
  validate,
  type DocumentNode,
  type FieldNode,
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
  /** graphql-armor's cost, counted on the operation with its fragments inlined (measureOperation). */
  maxCost?: number;
  /** How many fields an answer may hold at most, page sizes counted (result-size.ts). */
  maxResultSize?: number;
  /**
   * Every list field refuses a page larger than this (STING's: kit's MAX_PAGE_SIZE), with an error naming its
   * argument: the size and cost estimates count such a field as that error, so the client gets it rather than a
   * limit no list would have reached. Unset: no list is known to refuse any page, and each counts as asked.
   */
  pagesRefusedAbove?: number;
}

/** graphql-armor's directive rule (a validation rule, whose errors armorChecker turns into limit errors). */
function armorRules(limits: OperationLimits): ValidationRule[] {
  const off = { enabled: false };
  return new ApolloArmor({
    blockFieldSuggestion: off,
    maxTokens: off,
    maxDepth: off,
    maxAliases: off,
    costLimit: off,
    maxDirectives: { n: limits.maxDirectives ?? 50 },
  }).protect().validationRules as ValidationRule[];
}

/** The setting each graphql-armor message is about, named in the client's message as the other limits are. */
const ARMOR_LIMITS: readonly [RegExp, string][] = [[/^Directives limit/, 'maxDirectives']];

/**
 * The directive limit a document exceeds, as BAD_USER_INPUT errors like the other limits'. Run after the
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
  /** graphql-armor's cost of the operation with its fragments inlined. */
  cost: number;
}

interface Measure {
  depth: number;
  aliases: number;
  fields: number;
  /** The cost of the selections as they would stand in their parent's selection set, fragments inlined. */
  cost: number;
}

const NOTHING: Measure = { depth: 0, aliases: 0, fields: 0, cost: 0 };

// graphql-armor's cost: a scalar field costs 1; an object field 2 plus one and a half times what it selects, all
// times a literal `first` or `last` on it.
const SCALAR_COST = 1;
const OBJECT_COST = 2;
const DEPTH_COST_FACTOR = 1.5;

/** A literal `first`/`last` multiplies a field's cost as in graphql-armor; undefined when the list refuses it. */
function costMultiplier(field: FieldNode, pagesRefusedAbove: number): number | undefined {
  const page = field.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'last');
  if (page?.value.kind !== Kind.INT) return 1;
  const size = Number.parseInt(page.value.value, 10);
  return size > pagesRefusedAbove ? undefined : Math.max(size, 1);
}

/**
 * Depth, aliases, root fields and cost of one operation with every fragment expanded. Each fragment is measured
 * once (a fragment spread many times cannot make this exponential) and a fragment cycle counts as nothing here:
 * validation refuses cycles, this only has to terminate. Introspection fields (`__schema`, `__type`) do not add
 * depth: the standard introspection query nests `ofType` deeper than any sensible limit and stays cheap; nor does
 * `__schema` cost anything, as in graphql-armor. A field asking for a page its list refuses (`pagesRefusedAbove`)
 * costs what its error does, as a scalar.
 */
export function measureOperation(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  pagesRefusedAbove = Number.POSITIVE_INFINITY,
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

  const fieldCost = (field: FieldNode, inner: Measure): number => {
    if (field.name.value === '__schema') return 0;
    if (!field.selectionSet) return SCALAR_COST;
    const multiplier = costMultiplier(field, pagesRefusedAbove);
    return multiplier === undefined
      ? SCALAR_COST
      : multiplier * (OBJECT_COST + DEPTH_COST_FACTOR * inner.cost);
  };

  const selections = (set: SelectionSetNode): Measure => {
    let depth = 0;
    let aliases = 0;
    let fields = 0;
    let cost = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        fields++;
        if (selection.alias) aliases++;
        const inner = selection.selectionSet ? selections(selection.selectionSet) : NOTHING;
        aliases += inner.aliases;
        cost += fieldCost(selection, inner);
        if (!selection.name.value.startsWith('__')) depth = Math.max(depth, 1 + inner.depth);
      } else {
        // A fragment's selections stand where it is spread: they cost what they would written there.
        const inner =
          selection.kind === Kind.INLINE_FRAGMENT
            ? selections(selection.selectionSet)
            : fragment(selection.name.value);
        depth = Math.max(depth, inner.depth);
        aliases += inner.aliases;
        fields += inner.fields;
        cost += inner.cost;
      }
    }
    return { depth, aliases, fields, cost };
  };

  const measured = selections(operation.selectionSet);
  return {
    depth: measured.depth,
    aliases: measured.aliases,
    rootFields: measured.fields,
    cost: measured.cost,
  };
}

/** The first limit the operation exceeds, as a client-facing message naming it; undefined when within all. */
export function operationLimitViolation(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  limits: OperationLimits,
): string | undefined {
  const shape = measureOperation(operation, fragments, limits.pagesRefusedAbove);
  if (shape.depth > limits.maxDepth)
    return `Operation depth ${shape.depth} exceeds the limit of ${limits.maxDepth} (maxDepth)`;
  if (shape.aliases > limits.maxAliases)
    return `Operation uses ${shape.aliases} aliases, more than the limit of ${limits.maxAliases} (maxAliases)`;
  if (shape.rootFields > limits.maxRootFields)
    return `Operation selects ${shape.rootFields} root fields, more than the limit of ${limits.maxRootFields} (maxRootFields)`;
  const maxCost = limits.maxCost ?? 50_000;
  // Worded as graphql-armor worded it, which clients may already look for.
  if (shape.cost > maxCost) return `Query Cost limit of ${maxCost} exceeded, found ${shape.cost} (maxCost)`;
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
  const size = estimatedResultSize(schema, operation, fragments, coerced, limits.pagesRefusedAbove);
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
