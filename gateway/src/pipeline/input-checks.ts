// Part of stage 4: inputs no resolver can store. A NUL byte is valid in a GraphQL string but PostgreSQL refuses it
// in text, which surfaced as INTERNAL_SERVER_ERROR; so does a lone UTF-16 surrogate (JSON's `"\udc00"`), which
// PostgreSQL refuses in jsonb and which text columns would otherwise store as U+FFFD in place of what was sent. Both
// are the caller's BAD_USER_INPUT, naming where they were found, whether in a variable (its value or an object key)
// or as a literal in the document (GraphQL's parser already refuses a lone surrogate there).
import { BREAK, GraphQLError, Kind, visit, type DocumentNode, type ValueNode } from 'graphql';
import { ErrorCode } from '@sting/kit/errors.ts';
import { MAX_JSON_DEPTH, jsonDepth, nestingMessage } from '@sting/kit/http/json-text.ts';

const NUL = '\u0000';

/** What makes a string unstorable, as the sentence that follows its name. */
const FLAWS = {
  nul: 'contains a NUL character, which is not allowed',
  surrogate: 'contains a lone UTF-16 surrogate, which is not valid Unicode',
} as const;
type Flaw = keyof typeof FLAWS;

/** Where an unstorable string is (`$name.path` for a variable, `field.argument.path` for a literal), and why. */
interface Found {
  path: string;
  flaw: Flaw;
}

function flawOf(text: string): Flaw | undefined {
  if (text.includes(NUL)) return 'nul';
  return text.isWellFormed() ? undefined : 'surrogate';
}

/** Why `text` cannot be stored, as a sentence naming `field`; undefined when it can. */
export function unstorableText(text: string, field: string): string | undefined {
  const flaw = flawOf(text);
  return flaw && `${field} ${FLAWS[flaw]}`;
}

function foundIn(text: string, path: string): Found | undefined {
  const flaw = flawOf(text);
  return flaw && { path, flaw };
}

// A NUL byte or a surrogate not paired with its other half, in an object key, is shown escaped in the path.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const printable = (key: string) =>
  key.replaceAll(NUL, '\\0').replace(LONE_SURROGATE, (c) => `\\u${c.charCodeAt(0).toString(16)}`);

function flawIn(value: unknown, path: string): Found | undefined {
  if (typeof value === 'string') return foundIn(value, path);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = flawIn(value[i], `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const flaw = flawOf(key);
      if (flaw) return { path: `${path}.${printable(key)}`, flaw };
      const found = flawIn(inner, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

function flawInLiteral(node: ValueNode, path: string): Found | undefined {
  if (node.kind === Kind.STRING) return foundIn(node.value, path);
  if (node.kind === Kind.LIST) {
    for (let i = 0; i < node.values.length; i++) {
      const found = flawInLiteral(node.values[i], `${path}[${i}]`);
      if (found) return found;
    }
  }
  if (node.kind === Kind.OBJECT) {
    for (const field of node.fields) {
      const found = flawInLiteral(field.value, `${path}.${field.name.value}`);
      if (found) return found;
    }
  }
  return undefined;
}

function unstorableError({ path, flaw }: Found): GraphQLError {
  return new GraphQLError(`${path} ${FLAWS[flaw]}`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, field: path, http: { status: 400 } },
  });
}

function flawInLiterals(document: DocumentNode): Found | undefined {
  let found: Found | undefined;
  visit(document, {
    Field(node) {
      for (const argument of node.arguments ?? []) {
        found ??= flawInLiteral(argument.value, `${node.name.value}.${argument.name.value}`);
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
const literalFlaws = new WeakMap<DocumentNode, Found | null>();

/**
 * What is wrong with an operation's inputs, if anything: a variable nested more than MAX_JSON_DEPTH levels deep
 * (checked first, without recursion: the walks after it, and the resolvers', recurse, and `[[[…]]]` nested
 * 100,000 deep overflowed the stack), or a string no resolver can store (a NUL byte, a lone surrogate) in a
 * variable or literal.
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
  const found = findUnstorable(document, variables);
  return found ? unstorableError(found) : undefined;
}

/** The first unstorable string: the variables' values and keys in one walk, then the document's (cached) literals. */
function findUnstorable(
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>> | undefined,
): Found | undefined {
  for (const [name, value] of Object.entries(variables ?? {})) {
    const found = flawIn(value, `$${name}`);
    if (found) return found;
  }
  let found = literalFlaws.get(document);
  if (found === undefined) literalFlaws.set(document, (found = flawInLiterals(document) ?? null));
  return found ?? undefined;
}
