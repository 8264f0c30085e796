// Alert severities, lowest first: the order is what `minSeverity` filters by.
export const AlertSeverities = ['INFO', 'WARNING', 'CRITICAL'] as const;
export type AlertSeverity = (typeof AlertSeverities)[number];

export const atLeast = (severity: AlertSeverity, minimum: AlertSeverity) =>
  AlertSeverities.indexOf(severity) >= AlertSeverities.indexOf(minimum);
