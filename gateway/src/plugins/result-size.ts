// Stage 4 also bounds how much an operation may ask for, not only how it is written. graphql-armor's cost counts
// each field of the query once (growing with depth), so a shallow query of wide pages is cheap to it:
// `honeyJars(first: 100) { nodes { documents(first: 200) { nodes { ...ten fields } } } }` is 220,000 fields of
// answer. Here each field counts once per object it can appear in. A list holds the page its field asks for
// (`first`, `last` or `limit`: the literal, the variable's value, else the argument's default, else DEFAULT_PAGE);
// the `nodes` or `edges` list of a paged connection holds the connection's page; any other list is taken to hold
// ASSUMED_LIST items. Fragments are expanded (each measured once), so the estimate stays linear in the query's size.
// A page larger than every list serves (`pagesRefusedAbove`: kit's MAX_PAGE_SIZE for STING's subgraphs) is refused
// by the list itself, so it counts as that refusal, not as the page: `search(first: 1000000)` then gets search's own
// "first must be between 1 and 50", naming the argument, rather than a size no list would ever have answered.
import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  Kind,
  valueFromAST,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

const PAGE_ARGUMENTS = ['first', 'last', 'limit'];
/** A paged field given no page size and declaring no default (the resolvers' usual default). */
export const DEFAULT_PAGE = 50;
/** A list with no page argument: tags, citations, highlights, members. */
export const ASSUMED_LIST = 10;
/** A page size the field will refuse: its answer is that error, nothing under it. */
const REFUSED = -1;

function pageSize(
  node: FieldNode,
  field: GraphQLField<unknown, unknown>,
  variables: Record<string, unknown>,
  refusedAbove: number,
): number | undefined {
  const declared = field.args.filter((arg) => PAGE_ARGUMENTS.includes(arg.name));
  if (declared.length === 0) return undefined;
  let size: number | undefined;
  for (const arg of declared) {
    const given = node.arguments?.find((a) => a.name.value === arg.name);
    const value = given ? valueFromAST(given.value, arg.type, variables) : arg.defaultValue;
    // Out-of-range sizes are the resolvers' to refuse; here they only must not shrink the estimate.
    if (typeof value === 'number' && Number.isFinite(value)) size = Math.max(size ?? 0, Math.abs(value));
  }
  if (size !== undefined && size > refusedAbove) return REFUSED;
  return size ?? DEFAULT_PAGE;
}

/**
 * How many fields the operation's answer can hold at most, as estimated above. `pagesRefusedAbove`: every list
 * refuses a larger page; by default none is known to, and every page counts as asked.
 */
export function estimatedResultSize(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown> = {},
  pagesRefusedAbove = Number.POSITIVE_INFINITY,
): number {
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const memo = new Map<string, number>();
  const visiting = new Set<string>();

  const fragment = (name: string, fallback: GraphQLCompositeType, page: number | undefined): number => {
    const key = `${name}:${page ?? ''}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const definition = fragments.get(name);
    if (!definition || visiting.has(key)) return 0;
    visiting.add(key);
    const type = schema.getType(definition.typeCondition.name.value);
    const size = selections(definition.selectionSet, isCompositeType(type) ? type : fallback, page);
    visiting.delete(key);
    memo.set(key, size);
    return size;
  };

  /** `page`: this selection is a paged connection's, whose `nodes` or `edges` list holds that many. */
  const selections = (
    set: SelectionSetNode,
    parent: GraphQLCompositeType,
    page: number | undefined,
  ): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) {
          total += 1;
          continue;
        }
        const field = 'getFields' in parent ? parent.getFields()[name] : undefined;
        if (!field) continue;
        const asked = pageSize(selection, field, variables, pagesRefusedAbove);
        if (asked === REFUSED) {
          total += 1;
          continue;
        }
        const listed = isListType(getNullableType(field.type));
        const connection = page !== undefined && (name === 'nodes' || name === 'edges') ? page : undefined;
        const times = listed ? (asked ?? connection ?? ASSUMED_LIST) : 1;
        const named = getNamedType(field.type);
        const inner =
          selection.selectionSet && isCompositeType(named)
            ? selections(selection.selectionSet, named, listed ? undefined : asked)
            : 0;
        total += times * (1 + inner);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        total += selections(selection.selectionSet, isCompositeType(type) ? type : parent, page);
      } else {
        total += fragment(selection.name.value, parent, page);
      }
    }
    return total;
  };

  return selections(operation.selectionSet, root, undefined);
}
