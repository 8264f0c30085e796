// Who may see and do what in Beeacon, as one table of rules. Resolvers and services ask `authorize` (or `may`)
// and never decide access themselves.
import { ForbiddenError, UnauthenticatedError, type Viewer } from '@sting/kit';

export type ObservabilityAction =
  'readAlerts' | 'raiseAlert' | 'manageAlerts' | 'readStatus' | 'readStatusDetail' | 'readPollenStats';

const isAdmin = (viewer: Viewer) => viewer.kind === 'user' && viewer.role === 'ADMIN';
// The gateway itself (system) runs internal checks and may raise alerts on the platform's behalf.
const isSystem = (viewer: Viewer) => viewer.kind === 'system';

const rules: Record<ObservabilityAction, (viewer: Viewer) => boolean> = {
  // Alerts describe the platform's inner workings: administrators only.
  readAlerts: (viewer) => isAdmin(viewer) || isSystem(viewer),
  raiseAlert: (viewer) => isAdmin(viewer) || isSystem(viewer),
  // Acknowledging and resolving are a person's decisions (the platform resolves its own alerts in-process).
  manageAlerts: (viewer) => isAdmin(viewer),
  // Anyone signed in may learn whether the platform is OK, degraded or down...
  readStatus: () => true,
  // ...but which component failed, its latency and the error detail (host names, ports, driver messages) are
  // for administrators: non-admins get the overall status with an empty component list.
  readStatusDetail: (viewer) => isAdmin(viewer) || isSystem(viewer),
  // What the Pollen Filter caught says what kinds of personal data pass through the platform: administrators
  // only (the gateway has no use for it).
  readPollenStats: (viewer) => isAdmin(viewer),
};

/** True when a signed-in viewer may do `action`; always false for anonymous requests. */
export function may(viewer: Viewer | null, action: ObservabilityAction): boolean {
  return viewer !== null && rules[action](viewer);
}

/** Throws UNAUTHENTICATED for an anonymous viewer and FORBIDDEN when the rule says no. */
export function authorize(viewer: Viewer | null, action: ObservabilityAction): asserts viewer is Viewer {
  if (!viewer) throw new UnauthenticatedError();
  if (!rules[action](viewer)) throw new ForbiddenError('Only administrators can do this');
}
