// Alert severities, lowest first (the order is what `minSeverity` filters by), and an alert's life cycle states.
export const AlertSeverities = ['INFO', 'WARNING', 'CRITICAL'] as const;
export type AlertSeverity = (typeof AlertSeverities)[number];

export const atLeast = (severity: AlertSeverity, minimum: AlertSeverity) =>
  AlertSeverities.indexOf(severity) >= AlertSeverities.indexOf(minimum);

export const AlertStates = ['OPEN', 'ACKNOWLEDGED', 'RESOLVED'] as const;
export type AlertState = (typeof AlertStates)[number];
/** States in which raising the same fingerprint again counts the existing alert. */
export const UnresolvedStates: readonly AlertState[] = ['OPEN', 'ACKNOWLEDGED'];
