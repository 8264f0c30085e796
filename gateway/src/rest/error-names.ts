// A REST client is told about its input in the names it sent. An operation's errors name GraphQL's arguments and
// variables: `Variable "$q" of required type "String!" was not provided.`, "first must be between 1 and 50" (the
// resolver's argument, which the route fills from `limit`), "$input.name contains a NUL character". Each route
// knows which query-string, path or body parameter fills each of its variables and root-field arguments, so the
// message that reaches the client names the parameter instead: "q is required", "limit must be between 1 and 50",
// "name contains a NUL character".
import { Kind, type GraphQLFormattedError, type ValueNode } from 'graphql';
import type { RestOperation } from './operations.ts';
import { snakeCase } from './naming.ts';

export interface RestNames {
  /** Operation variable → the parameter that fills it (the body variable is not here: its fields are named). */
  variables: ReadonlyMap<string, string>;
  /**
   * Root-field argument → the parameter that fills it, for arguments given one variable (or a list of one), and
   * `argument.field` for the fields of an input object the operation writes out.
   */
  arguments: ReadonlyMap<string, string>;
  /** The variable that receives the JSON body, if any. */
  body?: string;
}

function variableOf(value: ValueNode): string | undefined {
  if (value.kind === Kind.VARIABLE) return value.name.value;
  if (value.kind === Kind.LIST && value.values.length === 1) return variableOf(value.values[0]);
  return undefined;
}

/** The parameter names of a route: path parameters as written, query parameters in the documented snake_case. */
export function restNames(op: RestOperation, pathParams: readonly string[], body?: string): RestNames {
  const variables = new Map<string, string>();
  for (const { name } of op.variables) {
    if (name !== body) variables.set(name, pathParams.includes(name) ? name : snakeCase(name));
  }
  const argumentNames = new Map<string, string>();
  const [root] = op.definition.selectionSet.selections;
  if (root.kind === Kind.FIELD) {
    for (const argument of root.arguments ?? []) {
      const variable = variableOf(argument.value);
      const parameter = variable === undefined ? undefined : variables.get(variable);
      if (parameter !== undefined) argumentNames.set(argument.name.value, parameter);
      // An input object written in the operation, its fields filled by parameters: `filter: { name: $name }`
      // makes the resolver's "filter.name must be ..." the parameter's "name must be ...".
      if (argument.value.kind !== Kind.OBJECT) continue;
      for (const field of argument.value.fields) {
        const inner = variableOf(field.value);
        const filledBy = inner === undefined ? undefined : variables.get(inner);
        if (filledBy !== undefined) argumentNames.set(`${argument.name.value}.${field.name.value}`, filledBy);
      }
    }
  }
  return { variables, arguments: argumentNames, body };
}

/**
 * The parameter a variable and the path inside it stand for: `$limit` → `limit`, `$honeyJar[0]` → `honey_jar[0]`,
 * and inside the body, `$input.honeyJarId` → `honey_jar_id` (the body itself: `body`).
 */
function parameter(names: RestNames, variable: string, inside: string): string {
  if (variable === names.body) {
    const path = inside.replace(/^\./, '');
    return path === '' ? 'body' : path.replace(/\w+/g, (segment) => snakeCase(segment));
  }
  return (names.variables.get(variable) ?? variable) + inside;
}

// graphql-js's messages for variables that are missing or do not fit their type (`at "input.type"` points inside
// an input object, from the variable's own name).
const NOT_PROVIDED = /^Variable "\$(\w+)" of required type "[^"]+" was not provided\.$/;
const INVALID = /^Variable "\$(\w+)" got invalid value (.*?)(?: at "(\w+)((?:\.\w+|\[\d+\])*)")?; ([^]*)$/;
// What graphql-js says of an input object's fields: a required one missing, or one it does not define (with, at
// times, the fields it meant: `Did you mean "name"?`).
const BODY_FIELD =
  /^Field "(\w+)" (?:of required type "[^"]+" was not provided\.|(is) not defined by type "\w+"\.(?: (Did you mean [^]*))?)$/;
// The gateway's own checks name a place inside a variable: `$q`, `$input.name`, `$tags[2]`.
const VARIABLE_PATH = /^\$(\w+)((?:\.\w+|\[\d+\])*) ([^]*)$/;

/** `message` with the GraphQL names of this route's variables and arguments replaced by its parameters' names. */
export function restMessage(names: RestNames, message: string): string {
  let m = NOT_PROVIDED.exec(message);
  if (m) return `${parameter(names, m[1], '')} is required`;
  m = INVALID.exec(message);
  if (m) {
    const place = parameter(names, m[1], m[4] ?? '');
    // A body that lacks a field, or has one the operation does not take: named by that field alone.
    const field = m[1] === names.body ? BODY_FIELD.exec(m[5]) : null;
    if (!field) return `${place} got invalid value ${m[2]}; ${m[5]}`;
    const name = (place === 'body' ? '' : `${place}.`) + snakeCase(field[1]);
    if (field[2] === undefined) return `${name} is required`;
    const suggested = field[3]?.replace(/"(\w+)"/g, (_, n: string) => `"${snakeCase(n)}"`);
    return `${name} is not a field of this body${suggested ? `. ${suggested}` : ''}`;
  }
  m = VARIABLE_PATH.exec(message);
  if (m && (names.variables.has(m[1]) || m[1] === names.body))
    return `${parameter(names, m[1], m[2])} ${m[3]}`;
  // A resolver's check names its argument first ("first must be between 1 and 50").
  const space = message.indexOf(' ');
  const named = space > 0 ? names.arguments.get(message.slice(0, space)) : undefined;
  return named === undefined ? message : named + message.slice(space);
}

/** The error as a REST client of this route is told it. */
export function restError(names: RestNames, error: GraphQLFormattedError): GraphQLFormattedError {
  const message = restMessage(names, error.message);
  return message === error.message ? error : { ...error, message };
}
