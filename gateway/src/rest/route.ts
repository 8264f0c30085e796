// The REST compatibility routes as one route of the pipeline (`/api/*`): the stages authenticate, apply the CSRF
// rules and mask errors; each route's named operation then runs through the GraphQL stages as the same viewer.
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { HttpRoute } from '../pipeline/http-route.ts';
import { handleRest, OPENAPI_PATH } from './index.ts';
import { restRoutes } from './routes.ts';

/** `schema`: the API schema the gateway serves, which a request's enum values are read against. */
export function restRoute(logger: Logger, schema?: () => GraphQLSchema): HttpRoute {
  return {
    name: 'rest',
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    path: '/api/*',
    viewer: 'optional',
    runsOperation: true,
    allows(pathname) {
      if (pathname === OPENAPI_PATH) return ['GET'];
      const methods = restRoutes()
        .filter((route) => route.pattern.test(pathname))
        .map((route) => route.method);
      return methods.length ? [...new Set(methods)] : undefined;
    },
    async handle(call) {
      await handleRest(call.req, call.res, (op) => call.runOperation(op), {
        requestId: call.requestId,
        schema,
        onUnexpectedError: (err, requestId) => logger.error({ err, requestId }, 'REST route failed'),
      });
    },
  };
}
