// One way to state who may do what: each subgraph keeps a table with a row per action (the rules that allow it
// and the scope an API key needs), and asks `authorize` / `can` instead of deciding access itself. The order of
// the checks is the same everywhere: who is asking, the gateway-only flag, the key's scope, the key's jar
// restriction, then the rules, so one request is always refused for the same reason in every subgraph.
import { ErrorCode, ForbiddenError, StingError, UnauthenticatedError } from '../errors.ts';
import type { Viewer } from '../subgraph/module.ts';
import { holdsScope, keyAllowsJar, keyJars, type Rule } from './rules.ts';
import type { ApiKeyScope } from './scopes.ts';

/**
 * What an API key needs for an action: one scope; `any-key` when every key may (reading the person a record
 * names, the platform's overall status); `no-key` when only a person's own session may (signing out, managing
 * second factors and keys themselves).
 */
export type KeyScope = ApiKeyScope | 'any-key' | 'no-key';

/** One row of a policy table. */
export interface ActionSpec<F> {
  /** The action is allowed when any one of these is. */
  rules: readonly Rule<F>[];
  /** A list means any one of those scopes (Bee's search runs as the person with the bee:chat scope). */
  scope: KeyScope | readonly [ApiKeyScope, ...ApiKeyScope[]];
  /** Only the gateway itself may do this: anyone else, anonymous callers too, is refused (FORBIDDEN). */
  gatewayOnly?: boolean;
  /**
   * The action touches the one honey jar its facts name (see `PolicyOptions.jarOf`): a key restricted to other
   * jars is refused, and a restricted key may not do it at all when the facts name no jar (creating one).
   */
  jarScoped?: boolean;
}

export interface PolicyOptions<A extends string, F> {
  /** The id of the honey jar the facts are about, for `jarScoped` rows. */
  jarOf?: (facts: F) => string | null | undefined;
  /** The FORBIDDEN message when the rules refuse a signed-in viewer (default: the generic one). */
  refusal?: (action: A) => string | undefined;
}

/** Why a viewer was refused, for callers that answer a refusal their own way (NOT_FOUND for hidden records). */
export type Refusal =
  'anonymous' | 'gateway-only' | 'no-key' | 'missing-scope' | 'outside-key-jars' | 'rules';

export type Decision = { allowed: true } | { allowed: false; refusal: Refusal; scope?: ApiKeyScope };

/** FORBIDDEN for an API key without the scope an action needs; the scope is named in the message and extensions. */
export class MissingScopeError extends StingError {
  readonly scope: ApiKeyScope;
  constructor(scope: ApiKeyScope) {
    super(ErrorCode.FORBIDDEN, `This API key lacks the scope ${scope}`, { scope });
    this.scope = scope;
  }
}

export interface Policy<A extends string, F> {
  readonly table: Readonly<Record<A, ActionSpec<F>>>;
  decide(viewer: Viewer | null, action: A, facts: F): Decision;
  can(viewer: Viewer | null, action: A, facts: F): boolean;
  /**
   * Throws UNAUTHENTICATED for an anonymous caller (FORBIDDEN for gateway-only actions), FORBIDDEN naming the
   * missing scope for an API key without it, and FORBIDDEN for everything else the table refuses.
   */
  authorize(viewer: Viewer | null, action: A, facts: F): asserts viewer is Viewer;
  /**
   * The checks that need no record (who is asking, gateway-only, the key's scope), for actions that load their
   * record first: a caller refused anyway learns nothing about the record (not even NOT_FOUND).
   */
  authorizeCaller(viewer: Viewer | null, action: A): asserts viewer is Viewer;
}

const ALLOWED: Decision = { allowed: true };

export function definePolicy<A extends string, F = undefined>(
  table: Record<A, ActionSpec<F>>,
  options: PolicyOptions<A, F> = {},
): Policy<A, F> {
  const decideCaller = (viewer: Viewer | null, action: A): Decision => {
    const spec = table[action];
    if (viewer === null) return { allowed: false, refusal: spec.gatewayOnly ? 'gateway-only' : 'anonymous' };
    if (spec.gatewayOnly && viewer.kind !== 'system') return { allowed: false, refusal: 'gateway-only' };
    if (viewer.kind === 'user' && viewer.apiKey) {
      if (spec.scope === 'no-key') return { allowed: false, refusal: 'no-key' };
      if (spec.scope !== 'any-key') {
        const anyOf = typeof spec.scope === 'string' ? [spec.scope] : spec.scope;
        if (!anyOf.some((scope) => holdsScope(viewer, scope)))
          return { allowed: false, refusal: 'missing-scope', scope: anyOf[0] };
      }
    }
    return ALLOWED;
  };

  const decide = (viewer: Viewer | null, action: A, facts: F): Decision => {
    const caller = decideCaller(viewer, action);
    if (!caller.allowed || viewer === null) return caller;
    if (table[action].jarScoped && keyJars(viewer) !== undefined) {
      const jarId = options.jarOf?.(facts);
      if (!jarId || !keyAllowsJar(viewer, jarId)) return { allowed: false, refusal: 'outside-key-jars' };
    }
    return table[action].rules.some((rule) => rule(viewer, facts))
      ? ALLOWED
      : { allowed: false, refusal: 'rules' };
  };

  return {
    table,
    decide,
    can: (viewer, action, facts) => decide(viewer, action, facts).allowed,
    authorize(viewer, action, facts): asserts viewer is Viewer {
      const decision = decide(viewer, action, facts);
      if (!decision.allowed) throw refusalError(decision, options.refusal?.(action));
    },
    authorizeCaller(viewer, action): asserts viewer is Viewer {
      const decision = decideCaller(viewer, action);
      if (!decision.allowed) throw refusalError(decision);
    },
  };
}

/** The error `authorize` throws for a refusal (exported for callers that decide first and answer later). */
export function refusalError(decision: Exclude<Decision, { allowed: true }>, message?: string): StingError {
  switch (decision.refusal) {
    case 'anonymous':
      return new UnauthenticatedError();
    case 'missing-scope':
      return new MissingScopeError(decision.scope!);
    case 'no-key':
      return new ForbiddenError('An API key cannot do this; sign in instead');
    case 'outside-key-jars':
      return new ForbiddenError('This API key is restricted to other honey jars');
    case 'gateway-only':
      return new ForbiddenError();
    case 'rules':
      return new ForbiddenError(message);
  }
}
