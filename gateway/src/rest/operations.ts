// The REST routes' GraphQL operations: one named operation per `schema/rest/*.graphql` file, read and parsed
// once, so a broken document stops start-up instead of failing a request. The shapes several routes answer (a
// document, a honey pot) are fragments in `schema/rest/fragments.graphql`, spread by name and written into the
// operation at load, so the route table, the OpenAPI document and what is sent all see plain fields.
import { readFileSync } from 'node:fs';
import {
  Kind,
  parse,
  print,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type TypeNode,
} from 'graphql';

export const REST_OPERATIONS_DIR = new URL('../../../schema/rest/', import.meta.url);
const FRAGMENTS_FILE = 'fragments.graphql';

export interface RestOperation {
  name: string;
  /** The document text sent to the runner: the file's operation with its fragments written in. */
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

export type RestFragments = ReadonlyMap<string, FragmentDefinitionNode>;

/** The shared fragments of a directory's operations, by name (none when it has no fragments file). */
export function loadRestFragments(dir: URL = REST_OPERATIONS_DIR): RestFragments {
  const file = new URL(FRAGMENTS_FILE, dir);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw err;
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of parse(source).definitions) {
    if (definition.kind !== Kind.FRAGMENT_DEFINITION)
      throw new Error(`${file.pathname}: holds fragments only`);
    fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/** A shared fragment's selection set as text (`{ id title ... }`), for operations built in code. */
export function restFragmentSelection(name: string, dir: URL = REST_OPERATIONS_DIR): string {
  const fragments = loadRestFragments(dir);
  const fragment = fragments.get(name);
  if (!fragment) throw new Error(`No fragment ${name} in schema/rest/${FRAGMENTS_FILE}`);
  return print(inlineFragments(fragment.selectionSet, fragments, name, [name]));
}

/**
 * The selection set with each spread of a shared fragment replaced by the fragment's own selections (fragments may
 * spread others); the same object when it spreads none. An unknown name, or a fragment spreading itself, throws.
 */
function inlineFragments(
  set: SelectionSetNode,
  fragments: RestFragments,
  origin: string,
  within: readonly string[] = [],
): SelectionSetNode {
  let changed = false;
  const selections = set.selections.flatMap((selection): readonly SelectionNode[] => {
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment) throw new Error(`${origin}: no fragment ${name} in schema/rest/${FRAGMENTS_FILE}`);
      if (within.includes(name)) throw new Error(`${origin}: fragment ${name} spreads itself`);
      changed = true;
      return inlineFragments(fragment.selectionSet, fragments, origin, [...within, name]).selections;
    }
    if (!selection.selectionSet) return [selection];
    const inner = inlineFragments(selection.selectionSet, fragments, origin, within);
    if (inner === selection.selectionSet) return [selection];
    changed = true;
    return [{ ...selection, selectionSet: inner }];
  });
  return changed ? { ...set, selections } : set;
}

/**
 * Each response key once per selection set, fragments written in: a field selected twice would need its
 * selections merged, which the REST answer's schema (json-schemas.ts) does not do, so the file says it once.
 */
function checkFieldsOnce(set: SelectionSetNode, origin: string): void {
  const seen = new Set<string>();
  for (const selection of set.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const key = (selection.alias ?? selection.name).value;
    if (seen.has(key)) throw new Error(`${origin}: ${key} is selected twice in one selection set`);
    seen.add(key);
    if (selection.selectionSet) checkFieldsOnce(selection.selectionSet, origin);
  }
}

/**
 * Parses one operation document and checks the shape REST routes rely on; spreads of `fragments` are written in
 * (the file itself holds no fragment definitions).
 */
export function parseRestOperation(
  source: string,
  origin: string,
  fragments: RestFragments = new Map(),
): RestOperation {
  const document = parse(source);
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operations.length !== 1 || document.definitions.length !== 1) {
    throw new Error(`${origin}: a REST operation file holds exactly one operation and no fragments`);
  }
  const written = operations[0];
  const selectionSet = inlineFragments(written.selectionSet, fragments, origin);
  const definition = selectionSet === written.selectionSet ? written : { ...written, selectionSet };
  checkFieldsOnce(definition.selectionSet, origin);
  if (!definition.name) throw new Error(`${origin}: the operation needs a name`);
  if (definition.operation === 'subscription') throw new Error(`${origin}: subscriptions have no REST route`);
  const fields = definition.selectionSet.selections;
  if (fields.length !== 1 || fields[0].kind !== Kind.FIELD) {
    throw new Error(`${origin}: the operation selects exactly one root field`);
  }
  return {
    name: definition.name.value,
    query: definition === written ? source : print(definition),
    definition,
    rootField: (fields[0].alias ?? fields[0].name).value,
    variables: (definition.variableDefinitions ?? []).map((v) => ({
      name: v.variable.name.value,
      ...describeVariableType(v.type),
    })),
  };
}

/** Reads `<name>.graphql` from the operations directory; the file name must match the operation name. */
export function loadRestOperation(
  name: string,
  dir: URL = REST_OPERATIONS_DIR,
  fragments: RestFragments = loadRestFragments(dir),
): RestOperation {
  const file = new URL(`${name}.graphql`, dir);
  const operation = parseRestOperation(readFileSync(file, 'utf8'), file.pathname, fragments);
  if (operation.name !== name) {
    throw new Error(`${file.pathname}: holds operation ${operation.name}, expected ${name}`);
  }
  return operation;
}
