// The REST compatibility route table: each legacy route is a named GraphQL operation from `schema/rest/`.
// Path parameters, query parameters and the JSON body become the operation's variables by name.
import { BadUserInputError } from '@sting/kit/errors.ts';
import {
  loadRestFragments,
  loadRestOperation,
  REST_OPERATIONS_DIR,
  type RestFragments,
  type RestOperation,
} from './operations.ts';
import { restNames, type RestNames } from './error-names.ts';

export const API_VERSION = '1.0';

export type RestMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RestRouteSpec {
  method: RestMethod;
  /** OpenAPI-style template: `/api/v1/honey-pots/{id}`; each `{name}` is a variable of the operation. */
  path: string;
  operation: string;
  summary: string;
  tag: string;
  /** The operation variable that receives the JSON request body. */
  body?: string;
  /** Field names to follow from the root field's value to the REST `data`. */
  unwrap?: string[];
  /** What is missing when the data comes back null: the route answers 404 naming it. */
  missing?: string;
  successStatus?: number;
}

export const REST_ROUTE_SPECS: readonly RestRouteSpec[] = [
  {
    method: 'GET',
    path: '/api/v1/honey-pots',
    operation: 'ListHoneyPots',
    summary: 'List the honey pots (honey jars) the caller may see, one page at a time (name, type, status)',
    tag: 'Honey pots',
  },
  {
    method: 'POST',
    path: '/api/v1/honey-pots',
    operation: 'CreateHoneyPot',
    summary: 'Create a honey pot',
    tag: 'Honey pots',
    body: 'input',
    successStatus: 201,
  },
  {
    method: 'GET',
    path: '/api/v1/honey-pots/{id}',
    operation: 'GetHoneyPot',
    summary: 'Read one honey pot',
    tag: 'Honey pots',
    missing: 'Honey pot',
  },
  {
    method: 'PUT',
    path: '/api/v1/honey-pots/{id}',
    operation: 'UpdateHoneyPot',
    summary: 'Change a honey pot; fields left out keep their value',
    tag: 'Honey pots',
    body: 'input',
    missing: 'Honey pot',
  },
  {
    method: 'DELETE',
    path: '/api/v1/honey-pots/{id}',
    operation: 'DeleteHoneyPot',
    summary: 'Delete a honey pot and its documents',
    tag: 'Honey pots',
    missing: 'Honey pot',
  },
  {
    method: 'GET',
    path: '/api/v1/honey-pots/{id}/documents',
    operation: 'ListHoneyPotDocuments',
    summary: 'One page of the documents of a honey pot, newest first (first 1-200, after)',
    tag: 'Honey pots',
    unwrap: ['documents'],
    missing: 'Honey pot',
  },
  {
    method: 'GET',
    path: '/api/v1/honey-pots/{id}/members',
    operation: 'ListHoneyPotMembers',
    summary:
      'One page of the members of a TEAM or RESTRICTED honey pot, in the order they were added (first 1-200, after)',
    tag: 'Honey pots',
    unwrap: ['members'],
    missing: 'Honey pot',
  },
  {
    method: 'PUT',
    path: '/api/v1/honey-pots/{id}/members/{user_id}',
    operation: 'AddHoneyPotMember',
    summary:
      'Give a person access to a TEAM or RESTRICTED honey pot (the owner or an administrator); idempotent',
    tag: 'Honey pots',
    missing: 'Honey pot',
  },
  {
    method: 'DELETE',
    path: '/api/v1/honey-pots/{id}/members/{user_id}',
    operation: 'RemoveHoneyPotMember',
    summary: "Take a member's access to a honey pot away (the owner or an administrator); idempotent",
    tag: 'Honey pots',
    missing: 'Honey pot',
  },
  {
    method: 'GET',
    path: '/api/v1/people',
    operation: 'SearchPeople',
    summary:
      'People whose name (or, for administrators, email) contains q (2 characters or more), to pick members',
    tag: 'People',
  },
  {
    method: 'GET',
    path: '/api/v1/search',
    operation: 'Search',
    summary: 'Search the honey pots the caller may read (q, limit 1-50, honey_jar); hits best first',
    tag: 'Search',
  },
  {
    method: 'GET',
    path: '/api/v1/search/correction',
    operation: 'SearchCorrection',
    summary:
      'What a search for q (and honey_jar) searches for when it takes words for typing slips; null when none',
    tag: 'Search',
  },
  {
    method: 'GET',
    path: '/api/v1/honey-pots/{id}/search',
    operation: 'SearchHoneyPot',
    summary: 'Search one honey pot (q, limit 1-50); hits best first, none when the caller may not read it',
    tag: 'Search',
  },
  {
    method: 'GET',
    path: '/api/v1/documents',
    operation: 'ListDocuments',
    summary:
      'One page of the documents across the honey pots the caller may read, newest first (type, honey_jar, from, to, limit 1-200, after)',
    tag: 'Documents',
  },
  {
    method: 'GET',
    path: '/api/v1/documents/{id}',
    operation: 'GetDocument',
    summary: 'Read one document with its processing status',
    tag: 'Documents',
    missing: 'Document',
  },
  {
    method: 'DELETE',
    path: '/api/v1/documents/{id}',
    operation: 'DeleteDocument',
    summary: 'Delete a document, its chunks and vectors',
    tag: 'Documents',
    missing: 'Document',
  },
  {
    method: 'POST',
    path: '/api/v1/documents/{id}/reprocess',
    operation: 'ReprocessDocument',
    summary: 'Ingest a document again from its stored file (its owner, uploader or an administrator)',
    tag: 'Documents',
    missing: 'Document',
  },
  {
    method: 'GET',
    path: '/api/v1/review-queue',
    operation: 'ListReviewQueue',
    summary:
      "One page of the documents proposed to the caller's PUBLIC honey pots and waiting for review, oldest first (honey_jar, first 1-200, after)",
    tag: 'Documents',
  },
  {
    method: 'POST',
    path: '/api/v1/documents/{id}/approve',
    operation: 'ApproveDocument',
    summary: "Let a proposed document into its honey pot, within the pot's quota, and queue it for ingestion",
    tag: 'Documents',
    missing: 'Document',
  },
  {
    method: 'POST',
    path: '/api/v1/documents/{id}/reject',
    operation: 'RejectDocument',
    summary: 'Turn a proposed document away; it is deleted',
    tag: 'Documents',
    missing: 'Document',
  },
  {
    method: 'GET',
    path: '/api/beeacon/status',
    operation: 'BeeaconStatus',
    summary: 'Platform health as Beeacon reports it',
    tag: 'Beeacon',
  },
  {
    method: 'GET',
    path: '/api/beeacon/pollen-filter/stats',
    operation: 'PollenFilterStats',
    summary:
      'Pollen Filter redactions per type, records and bytes across the platform, and per minute between since and until (administrators only)',
    tag: 'Beeacon',
  },
  {
    method: 'GET',
    path: '/api/beeacon/logs',
    operation: 'ListLogs',
    summary:
      'One page of the platform log records, newest first, filtered by service, level, time and text (administrators only)',
    tag: 'Beeacon',
  },
  {
    method: 'GET',
    path: '/api/beeacon/loki/status',
    operation: 'BeeaconLokiStatus',
    summary:
      'Loki reachable, the log shipping backlog, last push, records shipped and dropped (administrators only)',
    tag: 'Beeacon',
  },
  {
    method: 'GET',
    path: '/api/beeacon/grafana/status',
    operation: 'BeeaconGrafanaStatus',
    summary: 'Grafana reachable, its version and the dashboards provisioned (administrators only)',
    tag: 'Beeacon',
  },
  {
    method: 'GET',
    path: '/api/beeacon/config',
    operation: 'BeeaconConfig',
    summary: 'The observability configuration, secrets shown as references (administrators only)',
    tag: 'Beeacon',
  },
  {
    method: 'GET',
    path: '/api/beeacon/alerts',
    operation: 'ListAlerts',
    summary:
      'One page of alerts, newest first, filtered by severity, state, source and time (administrators only)',
    tag: 'Beeacon',
  },
  {
    method: 'POST',
    path: '/api/beeacon/alerts/{id}/acknowledge',
    operation: 'AcknowledgeAlert',
    summary: 'Mark an open alert as seen (administrators only)',
    tag: 'Beeacon',
  },
  {
    method: 'POST',
    path: '/api/beeacon/alerts/{id}/resolve',
    operation: 'ResolveAlert',
    summary: 'Close an alert (administrators only)',
    tag: 'Beeacon',
  },
  {
    method: 'GET',
    path: '/api/beeacon/alert-rules',
    operation: 'ListAlertRules',
    summary: 'The alert rules Beeacon evaluates, as configured, with their open alerts (administrators only)',
    tag: 'Beeacon',
  },
  {
    method: 'POST',
    path: '/api/beeacon/health-report',
    operation: 'GenerateHealthReport',
    summary:
      'Generate a health report over a period as JSON, or also as a stored PDF with charts (administrators only)',
    tag: 'Beeacon',
    body: 'input',
  },
  {
    method: 'GET',
    path: '/api/beeacon/events/summary',
    operation: 'EventSummary',
    summary: "The platform's events per day over the last N days (administrators only)",
    tag: 'Beeacon',
  },
  {
    method: 'GET',
    path: '/api/v1/audit',
    operation: 'ListAuditEvents',
    summary:
      'One page of the audit log, newest first, filtered by actor, action, target, outcome and time (administrators only)',
    tag: 'Audit',
  },
];

export interface RestRoute extends RestRouteSpec {
  op: RestOperation;
  pathParams: string[];
  pattern: RegExp;
  /** The parameter that fills each of the operation's variables and arguments, for error messages. */
  names: RestNames;
}

function compile(spec: RestRouteSpec, dir: URL, fragments: RestFragments): RestRoute {
  const op = loadRestOperation(spec.operation, dir, fragments);
  const pathParams = [...spec.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const declared = new Set(op.variables.map((v) => v.name));
  for (const name of [...pathParams, ...(spec.body ? [spec.body] : [])]) {
    if (!declared.has(name)) throw new Error(`${spec.operation} has no variable $${name} for ${spec.path}`);
  }
  const source = spec.path
    .split(/\{\w+\}/)
    .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('([^/]+)');
  return {
    ...spec,
    op,
    pathParams,
    pattern: new RegExp(`^${source}/?$`),
    names: restNames(op, pathParams, spec.body),
  };
}

let table: readonly RestRoute[] | undefined;

/** The compiled route table, loaded on first use; call at start-up to fail fast on a broken operation file. */
export function restRoutes(dir: URL = REST_OPERATIONS_DIR): readonly RestRoute[] {
  const compileAll = () => {
    const fragments = loadRestFragments(dir);
    return REST_ROUTE_SPECS.map((spec) => compile(spec, dir, fragments));
  };
  if (dir !== REST_OPERATIONS_DIR) return compileAll();
  table ??= compileAll();
  return table;
}

function decodePathSegment(segment: string, name: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadUserInputError(`The path parameter ${name} is not valid percent-encoding`, name);
  }
}

export type RouteMatch =
  | { kind: 'route'; route: RestRoute; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: RestMethod[] }
  | { kind: 'none' };

export function matchRoute(routes: readonly RestRoute[], method: string, pathname: string): RouteMatch {
  const allowed: RestMethod[] = [];
  for (const route of routes) {
    const m = route.pattern.exec(pathname);
    if (!m) continue;
    if (route.method !== method) {
      allowed.push(route.method);
      continue;
    }
    const params: Record<string, string> = {};
    route.pathParams.forEach((name, i) => {
      params[name] = decodePathSegment(m[i + 1], name);
    });
    return { kind: 'route', route, params };
  }
  return allowed.length ? { kind: 'method-not-allowed', allowed } : { kind: 'none' };
}
