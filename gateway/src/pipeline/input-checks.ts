// Part of stage 4: inputs no resolver can store. A NUL byte is valid in a GraphQL string but PostgreSQL refuses it
// in text, which surfaced as INTERNAL_SERVER_ERROR; it is the caller's BAD_USER_INPUT, naming where it was found,
// whether it came in a variable or as a literal in the document.
import { BREAK, GraphQLError, Kind, visit, type DocumentNode, type ValueNode } from 'graphql';
import { ErrorCode } from '@sting/kit/errors.ts';
import { MAX_JSON_DEPTH, jsonDepth, nestingMessage } from '@sting/kit/http/json-text.ts';

const NUL = '\u0000';

function nulIn(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulIn(value[i], `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key.includes(NUL)) return `${path}.${key.replaceAll(NUL, '\\0')}`;
      const found = nulIn(inner, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

function nulInLiteral(node: ValueNode, path: string): string | undefined {
  if (node.kind === Kind.STRING) return node.value.includes(NUL) ? path : undefined;
  if (node.kind === Kind.LIST) {
    for (let i = 0; i < node.values.length; i++) {
      const found = nulInLiteral(node.values[i], `${path}[${i}]`);
      if (found) return found;
    }
  }
  if (node.kind === Kind.OBJECT) {
    for (const field of node.fields) {
      const found = nulInLiteral(field.value, `${path}.${field.name.value}`);
      if (found) return found;
    }
  }
  return undefined;
}

function nulByteError(field: string): GraphQLError {
  return new GraphQLError(`${field} contains a NUL character, which is not allowed`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, field, http: { status: 400 } },
  });
}

function nulInLiterals(document: DocumentNode): string | undefined {
  let found: string | undefined;
  visit(document, {
    Field(node) {
      for (const argument of node.arguments ?? []) {
        found ??= nulInLiteral(argument.value, `${node.name.value}.${argument.name.value}`);
      }
      return found ? BREAK : undefined;
    },
  });
  return found;
}

/**
 * The literals' answer per parsed document: Apollo hands the same DocumentNode to every request with the same query
 * text (its document cache), so the walk runs once per query rather than once per request.
 */
const literalNuls = new WeakMap<DocumentNode, string | null>();

/**
 * What is wrong with an operation's inputs, if anything: a variable nested more than MAX_JSON_DEPTH levels deep
 * (checked first, without recursion: the walks after it, and the resolvers', recurse, and `[[[…]]]` nested
 * 100,000 deep overflowed the stack), or a NUL byte in a variable or literal.
 */
export function inputError(
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>> | undefined,
): GraphQLError | undefined {
  for (const [name, value] of Object.entries(variables ?? {})) {
    if (jsonDepth(value) > MAX_JSON_DEPTH)
      return new GraphQLError(nestingMessage(`$${name}`), {
        extensions: { code: ErrorCode.BAD_USER_INPUT, field: `$${name}`, http: { status: 400 } },
      });
  }
  const nul = findNulByte(document, variables);
  return nul ? nulByteError(nul) : undefined;
}

/** Where the first NUL byte is (`$name.path` for a variable, `field.argument.path` for a literal), if any. */
function findNulByte(
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>> | undefined,
): string | undefined {
  for (const [name, value] of Object.entries(variables ?? {})) {
    const found = nulIn(value, `$${name}`);
    if (found) return found;
  }
  let found = literalNuls.get(document);
  if (found === undefined) literalNuls.set(document, (found = nulInLiterals(document) ?? null));
  return found ?? undefined;
}
