// The expected answer of every route in the REST table (gateway/src/rest/routes.ts), keyed `METHOD /path`, with
// the request each cell sends. A new route without a row here fails the matrix test.
import { randomUUID } from 'node:crypto';
import { administrators, authors, everyone, managesJar, readsJar, type Expectation } from './model.ts';
import type { Fixture } from './operations.ts';

export interface RestCase extends Expectation {
  path(f: Fixture): string;
  body?: unknown;
  /** Whether a successful answer shows the record (default: any 2xx). */
  saw?(body: any, f: Fixture): boolean;
  fresh?: 'jar' | 'document';
  restrictedKeyRefused?: boolean;
}

const includes = (data: unknown, id: string | undefined) =>
  id !== undefined && JSON.stringify(data).includes(id);
const admin = { scope: 'admin', target: 'none', allows: administrators } as const;

export const REST_CASES: Record<string, RestCase> = {
  'GET /api/v1/honey-pots': {
    scope: 'honey-jars:read',
    target: 'jar',
    allows: readsJar,
    path: () => '/api/v1/honey-pots?first=50',
    saw: (body, f) => includes(body.data, f.jarId),
  },
  // An empty name is refused (400) once the caller may create honey pots.
  'POST /api/v1/honey-pots': {
    scope: 'honey-jars:write',
    target: 'none',
    allows: authors,
    restrictedKeyRefused: true,
    path: () => '/api/v1/honey-pots',
    body: { name: '' },
  },
  'GET /api/v1/honey-pots/{id}': {
    scope: 'honey-jars:read',
    target: 'jar',
    allows: readsJar,
    path: (f) => `/api/v1/honey-pots/${f.jarId}`,
  },
  'PUT /api/v1/honey-pots/{id}': {
    scope: 'honey-jars:write',
    target: 'jar',
    allows: managesJar,
    path: (f) => `/api/v1/honey-pots/${f.jarId}`,
    // Refused as input (400) once the caller may change the jar: nothing is written.
    body: { name: '' },
  },
  'DELETE /api/v1/honey-pots/{id}': {
    scope: 'honey-jars:write',
    target: 'jar',
    allows: managesJar,
    fresh: 'jar',
    path: (f) => `/api/v1/honey-pots/${f.freshId ?? f.jarId}`,
  },
  'GET /api/v1/honey-pots/{id}/documents': {
    scope: 'honey-jars:read',
    target: 'jar',
    allows: readsJar,
    path: (f) => `/api/v1/honey-pots/${f.jarId}/documents`,
    saw: (body, f) => includes(body.data, f.documentId),
  },
  'GET /api/v1/honey-pots/{id}/members': {
    scope: 'honey-jars:read',
    target: 'jar',
    allows: readsJar,
    path: (f) => `/api/v1/honey-pots/${f.jarId}/members`,
  },
  // Adds the bystander (refused as input, 400, on a PRIVATE or PUBLIC jar once the caller may change it).
  'PUT /api/v1/honey-pots/{id}/members/{user_id}': {
    scope: 'honey-jars:write',
    target: 'jar',
    allows: managesJar,
    path: (f) => `/api/v1/honey-pots/${f.jarId}/members/${f.bystander.id}`,
  },
  'DELETE /api/v1/honey-pots/{id}/members/{user_id}': {
    scope: 'honey-jars:write',
    target: 'jar',
    allows: managesJar,
    path: (f) => `/api/v1/honey-pots/${f.jarId}/members/${randomUUID()}`,
  },
  'GET /api/v1/people': {
    scope: 'any-key',
    target: 'none',
    allows: authors,
    path: () => '/api/v1/people?q=bystander',
    saw: (body) => Array.isArray(body.data) && body.data.length > 0,
  },
  'GET /api/v1/search': {
    scope: ['search', 'bee:chat'],
    target: 'jar',
    allows: readsJar,
    path: (f) => `/api/v1/search?q=${f.word}&honey_jar=${f.jarId}`,
    saw: (body, f) => includes(body.data, f.jarId),
  },
  // The jar's word with two letters swapped: only a reader is told which word of the jar it was taken for.
  'GET /api/v1/search/correction': {
    scope: ['search', 'bee:chat'],
    target: 'jar',
    allows: readsJar,
    path: (f) =>
      `/api/v1/search/correction?q=${f.word.slice(0, 3) + f.word[4] + f.word[3] + f.word.slice(5)}` +
      `&honey_jar=${f.jarId}`,
    saw: (body, f) => includes(body.data, f.word),
  },
  'GET /api/v1/honey-pots/{id}/search': {
    scope: ['search', 'bee:chat'],
    target: 'jar',
    allows: readsJar,
    path: (f) => `/api/v1/honey-pots/${f.jarId}/search?q=${f.word}`,
    saw: (body, f) => includes(body.data, f.jarId),
  },
  'GET /api/v1/documents': {
    scope: 'honey-jars:read',
    target: 'jar',
    allows: readsJar,
    path: (f) => `/api/v1/documents?honey_jar=${f.jarId}`,
    saw: (body, f) => includes(body.data, f.documentId),
  },
  'GET /api/v1/documents/{id}': {
    scope: 'honey-jars:read',
    target: 'document',
    allows: readsJar,
    path: (f) => `/api/v1/documents/${f.documentId}`,
  },
  'DELETE /api/v1/documents/{id}': {
    scope: 'documents:write',
    target: 'document',
    allows: managesJar,
    fresh: 'document',
    path: (f) => `/api/v1/documents/${f.freshId ?? f.documentId}`,
  },
  'POST /api/v1/documents/{id}/reprocess': {
    scope: 'documents:write',
    target: 'document',
    allows: managesJar,
    fresh: 'document',
    path: (f) => `/api/v1/documents/${f.freshId ?? f.documentId}/reprocess`,
  },
  // The jar's proposal, to its PUBLIC jar's owner and administrators only.
  'GET /api/v1/review-queue': {
    scope: 'honey-jars:read',
    target: 'jar',
    allows: (a) => a.jarType === 'PUBLIC' && managesJar(a),
    path: (f) => `/api/v1/review-queue?honey_jar=${f.jarId}`,
    saw: (body, f) => includes(body.data, f.pendingId),
  },
  // A document that waits for no review: refused as input (400) once the caller may review the jar's proposals.
  'POST /api/v1/documents/{id}/approve': {
    scope: 'documents:write',
    target: 'document',
    allows: managesJar,
    path: (f) => `/api/v1/documents/${f.documentId}/approve`,
  },
  'POST /api/v1/documents/{id}/reject': {
    scope: 'documents:write',
    target: 'document',
    allows: managesJar,
    path: (f) => `/api/v1/documents/${f.documentId}/reject`,
  },
  'GET /api/beeacon/status': {
    scope: 'any-key',
    target: 'none',
    allows: everyone,
    path: () => '/api/beeacon/status',
  },
  'GET /api/beeacon/pollen-filter/stats': { ...admin, path: () => '/api/beeacon/pollen-filter/stats' },
  'GET /api/beeacon/alerts': { ...admin, path: () => '/api/beeacon/alerts' },
  'POST /api/beeacon/alerts/{id}/acknowledge': {
    ...admin,
    path: (f) => `/api/beeacon/alerts/${f.alertId}/acknowledge`,
  },
  'POST /api/beeacon/alerts/{id}/resolve': {
    ...admin,
    path: (f) => `/api/beeacon/alerts/${f.alertId}/resolve`,
  },
  'GET /api/v1/audit': { ...admin, path: () => '/api/v1/audit?first=1' },
  'GET /api/beeacon/logs': { ...admin, path: () => '/api/beeacon/logs?first=1' },
  'GET /api/beeacon/loki/status': { ...admin, path: () => '/api/beeacon/loki/status' },
  'GET /api/beeacon/grafana/status': { ...admin, path: () => '/api/beeacon/grafana/status' },
  'GET /api/beeacon/config': { ...admin, path: () => '/api/beeacon/config' },
  'GET /api/beeacon/alert-rules': { ...admin, path: () => '/api/beeacon/alert-rules' },
  'GET /api/beeacon/events/summary': { ...admin, path: () => '/api/beeacon/events/summary?days=1' },
  'POST /api/beeacon/health-report': { ...admin, path: () => '/api/beeacon/health-report' },
};
