// Stage 2, size limits before parsing: the query text's tokens and nesting are counted by graphql-js's lexer alone
// (no syntax tree is built), so a megabyte of repeated fields is refused after `maxTokens` tokens instead of being
// parsed and validated (quadratic in the field count), and a query nested thousands deep gets the depth error
// instead of overflowing the stack of the recursive parser. Apollo also parses with the same `maxTokens`.
import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';
import { ErrorCode } from '@sting/kit/errors.ts';

export interface DocumentLimits {
  maxTokens: number;
  maxDepth: number;
}

/**
 * Brackets a legitimate operation within `maxDepth` may nest: each field level can add a selection set, an
 * inline fragment and argument objects or lists. Only a bound against pathological nesting; the exact depth
 * rule runs after parsing.
 */
export const nestingBound = (maxDepth: number) => maxDepth * 3 + 10;

const refuse = (message: string) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } });

const OPENING = new Set<string>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSING = new Set<string>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/** The refusal for a query text over the limits; undefined when within them (or not lexable: the parser says why). */
export function documentLimitError(query: string, limits: DocumentLimits): GraphQLError | undefined {
  const lexer = new Lexer(new Source(query));
  const maxNesting = nestingBound(limits.maxDepth);
  let tokens = 0;
  let nesting = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (++tokens > limits.maxTokens)
        return refuse(`The query has more than ${limits.maxTokens} tokens (maxTokens)`);
      if (OPENING.has(token.kind) && ++nesting > maxNesting)
        return refuse(`Operation depth exceeds the limit of ${limits.maxDepth} (maxDepth)`);
      if (CLOSING.has(token.kind)) nesting--;
    }
  } catch {
    return undefined;
  }
  return undefined;
}
