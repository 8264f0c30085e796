// Turns a REST request (path parameters, query string, JSON body) into the operation's variables. Query strings
// carry text only, so scalar variables are coerced here and a bad value is the client's 400, not a 500.
import { BadUserInputError } from '@sting/kit/errors.ts';
import type { RestRoute } from './routes.ts';
import type { RestVariable } from './operations.ts';
import { fromRestNaming, snakeCase } from './naming.ts';

function coerceScalar(variable: RestVariable, raw: string): unknown {
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
    default:
      return raw; // String, ID, enums and custom scalars are validated by the schema itself
  }
}

/** The variables a route's operation reads from the query string (everything but path params and the body). */
export function queryVariables(route: RestRoute): RestVariable[] {
  return route.op.variables.filter((v) => v.name !== route.body && !route.pathParams.includes(v.name));
}

export function buildVariables(
  route: RestRoute,
  params: Record<string, string>,
  search: URLSearchParams,
  body: object | undefined,
): Record<string, unknown> {
  const variables: Record<string, unknown> = { ...params };
  for (const variable of queryVariables(route)) {
    // Both spellings are accepted, matching the body: `?page_size=` style for legacy clients.
    const snake = snakeCase(variable.name);
    const values = search.getAll(variable.name).concat(snake === variable.name ? [] : search.getAll(snake));
    if (values.length === 0) continue;
    variables[variable.name] = variable.list
      ? values.map((raw) => coerceScalar(variable, raw))
      : coerceScalar(variable, values[values.length - 1]);
  }
  if (route.body) variables[route.body] = fromRestNaming(body ?? {});
  return variables;
}
