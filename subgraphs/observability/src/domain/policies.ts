// Who may see and do what in Beeacon, as one table: each row names the rules that allow the action and the scope
// an API key needs for it. Resolvers and services ask `authorize` (or `may`) and never decide access themselves.
import { definePolicy, isAdmin, isSignedIn, isSystem, type Policy, type Viewer } from '@sting/kit';

export type ObservabilityAction =
  | 'readAlerts'
  | 'raiseAlert'
  | 'manageAlerts'
  | 'readStatus'
  | 'readStatusDetail'
  | 'readPollenStats'
  | 'readEventSummary'
  | 'healthReports'
  | 'readLogs'
  | 'readIntegrations'
  | 'readObservabilityConfig';

const policy: Policy<ObservabilityAction, undefined> = definePolicy(
  {
    // Alerts describe the platform's inner workings: administrators only. The gateway itself (system) runs
    // internal checks and may raise alerts on the platform's behalf.
    readAlerts: { rules: [isAdmin, isSystem], scope: 'admin' },
    raiseAlert: { rules: [isAdmin, isSystem], scope: 'admin' },
    // Acknowledging and resolving are a person's decisions (the platform resolves its own alerts in-process).
    manageAlerts: { rules: [isAdmin], scope: 'admin' },
    // Anyone signed in (any key too) may learn whether the platform is OK, degraded or down...
    readStatus: { rules: [isSignedIn, isSystem], scope: 'any-key' },
    // ...but which component failed, its latency and the error detail (host names, ports, driver messages) are
    // for administrators: non-admins get the overall status with an empty component list.
    readStatusDetail: { rules: [isAdmin, isSystem], scope: 'admin' },
    // What the Pollen Filter caught says what kinds of personal data pass through the platform: administrators
    // only (the gateway has no use for it).
    readPollenStats: { rules: [isAdmin], scope: 'admin' },
    // The platform's event history (who signed in, how much Bee was used) and the health reports built from it.
    readEventSummary: { rules: [isAdmin], scope: 'admin' },
    healthReports: { rules: [isAdmin], scope: 'admin' },
    // Log records are filtered, yet still describe who did what and when: administrators only.
    readLogs: { rules: [isAdmin], scope: 'admin' },
    // Loki and Grafana status name internal hosts and shipping figures; the configuration names secret references.
    readIntegrations: { rules: [isAdmin], scope: 'admin' },
    readObservabilityConfig: { rules: [isAdmin], scope: 'admin' },
  },
  { refusal: () => 'Only administrators can do this' },
);

/** True when a signed-in viewer may do `action`; always false for anonymous requests. */
export function may(viewer: Viewer | null, action: ObservabilityAction): boolean {
  return policy.can(viewer, action, undefined);
}

/** UNAUTHENTICATED for an anonymous viewer, FORBIDDEN (naming a key's missing scope) when the table says no. */
export function authorize(viewer: Viewer | null, action: ObservabilityAction): asserts viewer is Viewer {
  policy.authorize(viewer, action, undefined);
}
