// Turns a REST request (path parameters, query string, JSON body) into the operation's variables. Query strings
// carry text only, so scalar variables are coerced here and a bad value is the client's 400, not a 500.
import {
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLList,
  getNullableType,
  isInputType,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { BadUserInputError } from '@sting/kit/errors.ts';
import type { RestRoute } from './routes.ts';
import type { RestVariable } from './operations.ts';
import { camelCase, fromRestNaming, snakeCase } from './naming.ts';

/**
 * An enum value as the schema spells it, when `raw` names one in another case or with - or a space for _ (`open`,
 * `pdf`, `in-progress`): REST clients write values as they read them, and GraphQL's are upper case. Anything else
 * is left as sent, for GraphQL's own error ("Did you mean …").
 */
function enumSpelling(type: GraphQLEnumType, raw: string): string {
  if (type.getValue(raw)) return raw;
  const wanted = raw.trim().replace(/[-\s]/g, '_').toUpperCase();
  return type.getValues().find((value) => value.name.toUpperCase() === wanted)?.name ?? raw;
}

/** `value` with each enum value in it spelled as the schema does (enumSpelling), following `type` through lists and inputs. */
function withEnumSpellings(value: unknown, type: GraphQLInputType): unknown {
  const named = getNullableType(type);
  if (named instanceof GraphQLList)
    return Array.isArray(value) ? value.map((item) => withEnumSpellings(item, named.ofType)) : value;
  if (named instanceof GraphQLEnumType) return typeof value === 'string' ? enumSpelling(named, value) : value;
  if (
    named instanceof GraphQLInputObjectType &&
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value)
  ) {
    const fields = named.getFields();
    return Object.fromEntries(
      Object.entries(value).map(([key, field]) => [
        key,
        fields[key] ? withEnumSpellings(field, fields[key].type) : field,
      ]),
    );
  }
  return value;
}

/** The schema's input type a variable names, when a schema is given and knows it. */
function inputTypeOf(
  schema: GraphQLSchema | undefined,
  variable: RestVariable,
): GraphQLInputType | undefined {
  const type = schema?.getType(variable.typeName);
  return type && isInputType(type) ? type : undefined;
}

function coerceScalar(variable: RestVariable, raw: string, schema?: GraphQLSchema): unknown {
  const name = snakeCase(variable.name); // as the query string names it
  switch (variable.typeName) {
    case 'Int': {
      if (!/^-?\d+$/.test(raw)) throw new BadUserInputError(`${name} must be an integer`, name);
      const n = Number(raw);
      if (!Number.isSafeInteger(n) || Math.abs(n) > 2 ** 31 - 1) {
        throw new BadUserInputError(`${name} is out of range`, name);
      }
      return n;
    }
    case 'Float': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) {
        throw new BadUserInputError(`${name} must be a number`, name);
      }
      return n;
    }
    case 'Boolean':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      throw new BadUserInputError(`${name} must be true or false`, name);
    default: {
      // String, ID, enums and custom scalars are validated by the schema itself; an enum value may come in any case.
      const type = inputTypeOf(schema, variable);
      return type instanceof GraphQLEnumType ? enumSpelling(type, raw) : raw;
    }
  }
}

/** The variables a route's operation reads from the query string (everything but path params and the body). */
export function queryVariables(route: RestRoute): RestVariable[] {
  return route.op.variables.filter((v) => v.name !== route.body && !route.pathParams.includes(v.name));
}

/** The names a query parameter is taken under: the variable's own, and its snake_case and camelCase spellings. */
const spellings = (variable: RestVariable) => [
  ...new Set([variable.name, snakeCase(variable.name), camelCase(variable.name)]),
];

/**
 * A query parameter the route does not take is refused, naming those it does: ignored, `?limit=5` on a route
 * paged by `first` would answer a full page as if it had been read.
 */
function refuseUnknownParameters(taken: RestVariable[], search: URLSearchParams): void {
  const known = new Set(taken.flatMap(spellings));
  for (const key of new Set(search.keys())) {
    if (known.has(key)) continue;
    const names = taken.map((v) => snakeCase(v.name));
    const takes = names.length ? `it takes ${names.join(', ')}` : 'it takes none';
    throw new BadUserInputError(`Unknown query parameter ${JSON.stringify(key)}: ${takes}`, key);
  }
}

/**
 * A query parameter whose bytes are not UTF-8 (`?q=%FF`) is refused, naming it: URLSearchParams would read it with
 * U+FFFD where the client's bytes were, and a search would quietly look for something else than was asked.
 */
export function refuseUndecodableQuery(search: string): void {
  const decoded = (text: string) => {
    try {
      return decodeURIComponent(text.replaceAll('+', ' '));
    } catch {
      return undefined;
    }
  };
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const [name, value] = equals < 0 ? [pair, ''] : [pair.slice(0, equals), pair.slice(equals + 1)];
    const shown = decoded(name);
    if (shown === undefined)
      throw new BadUserInputError('A query parameter name is not valid UTF-8 percent-encoding', 'query');
    if (decoded(value) === undefined)
      throw new BadUserInputError(`${shown} is not valid UTF-8 percent-encoding`, shown);
  }
}

export function buildVariables(
  route: RestRoute,
  params: Record<string, string>,
  search: URLSearchParams,
  body: object | undefined,
  /** The API schema served: enum values are spelled as it spells them; without it, as sent. */
  schema?: GraphQLSchema,
): Record<string, unknown> {
  const variables: Record<string, unknown> = { ...params };
  const taken = queryVariables(route);
  refuseUnknownParameters(taken, search);
  for (const variable of taken) {
    // Every spelling is accepted, as in bodies: `?page_size=` style for legacy clients, `?honeyJar=` as GraphQL's.
    const values = spellings(variable).flatMap((name) => search.getAll(name));
    if (values.length === 0) continue;
    // A parameter that takes one value given twice (`?first=5&first=500`, or in both spellings) is refused: which
    // one counts would be the gateway's guess, and a proxy in front may have checked the other.
    if (!variable.list && values.length > 1) {
      const name = snakeCase(variable.name);
      throw new BadUserInputError(`${name} is given ${values.length} times: give it once`, name);
    }
    variables[variable.name] = variable.list
      ? values.map((raw) => coerceScalar(variable, raw, schema))
      : coerceScalar(variable, values[0], schema);
  }
  if (route.body) {
    const input = fromRestNaming(body ?? {});
    const variable = route.op.variables.find((v) => v.name === route.body);
    const type = variable && inputTypeOf(schema, variable);
    variables[route.body] = type
      ? withEnumSpellings(input, variable.list ? new GraphQLList(type) : type)
      : input;
  }
  return variables;
}
