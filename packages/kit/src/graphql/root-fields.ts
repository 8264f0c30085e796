// The root fields an operation will actually execute, found the way graphql-js collects them: through inline
// fragments and named fragment spreads, honouring @skip/@include. Whatever acts on particular fields (the
// gateway's login rate limit, session cookie and audit hook; chat's limit on exports) reads this, never only the
// document's top level.
import {
  Kind,
  valueFromASTUntyped,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

type Variables = Readonly<Record<string, unknown>> | undefined;

function included(directives: readonly DirectiveNode[] | undefined, variables: Variables): boolean {
  for (const directive of directives ?? []) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const arg = directive.arguments?.find((a) => a.name.value === 'if');
    const value = arg ? valueFromASTUntyped(arg.value, variables as Record<string, unknown>) : undefined;
    if (name === 'skip' && value === true) return false;
    if (name === 'include' && value !== true) return false;
  }
  return true;
}

export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  return fragments;
}

/**
 * Every field node selected on `selectionSet`'s own level, fragments flattened. A named fragment is entered once
 * (as graphql-js does), which also ends cycles; aliases of the same field are each returned.
 */
export function collectFields(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Variables,
): FieldNode[] {
  const fields: FieldNode[] = [];
  const entered = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (!included(selection.directives, variables)) continue;
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else if (!entered.has(selection.name.value)) {
        entered.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(selectionSet);
  return fields;
}

/** The root fields of `operation` that will execute. */
export function executedRootFields(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Variables,
): FieldNode[] {
  return collectFields(operation.selectionSet, fragmentsOf(document), variables);
}

/** The value of a field's argument (literal or variable), or undefined. */
export function argumentValue(field: FieldNode, name: string, variables: Variables): unknown {
  const argument = field.arguments?.find((a) => a.name.value === name);
  return argument ? valueFromASTUntyped(argument.value, variables as Record<string, unknown>) : undefined;
}

export const responseKey = (field: FieldNode) => field.alias?.value ?? field.name.value;
