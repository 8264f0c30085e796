// The alert rules as administrators see them: each rule's name, whether it is on, its condition in words with the
// configured figures, and how many of its alerts are unresolved.
import type { EntityManager } from '@mikro-orm/postgresql';
import { configOf, type SubgraphRuntime, type Viewer } from '@sting/kit';
import { Alert } from '../../entities/index.ts';
import { authorize } from '../policies.ts';
import { UnresolvedStates, type AlertSeverity } from '../severity.ts';
import { COMPONENT_DOWN_RULE } from './component-down.ts';
import { ruleFingerprintPattern } from './rule-engine.ts';

export interface AlertRuleView {
  name: string;
  enabled: boolean;
  condition: string;
  severity: AlertSeverity;
  openAlerts: number;
}

type Alerts = ReturnType<typeof configOf<'observability'>>['alerts'];

const within = (rule: { threshold: number; windowMinutes: number }, what: string) =>
  `${rule.threshold} or more ${what} within ${rule.windowMinutes} min`;

function catalog(alerts: Alerts): Omit<AlertRuleView, 'openAlerts'>[] {
  const every = `checked every ${alerts.evaluationSeconds} s`;
  return [
    {
      name: COMPONENT_DOWN_RULE,
      enabled: alerts.componentDown.enabled,
      condition: `a component fails ${alerts.componentDown.consecutiveChecks} health checks in a row (every ${alerts.componentDown.intervalSeconds} s)`,
      severity: 'CRITICAL',
    },
    {
      name: 'error-rate',
      enabled: alerts.errorRate.enabled,
      condition: `more than ${alerts.errorRate.threshold * 100}% of an operation type's requests fail between two checks (at least ${alerts.errorRate.minRequests} requests; ${every})`,
      severity: 'WARNING',
    },
    {
      name: 'latency-p99',
      enabled: alerts.latency.enabled,
      condition: `an operation type's p99 duration exceeds ${alerts.latency.p99Seconds} s between two checks (at least ${alerts.latency.minRequests} requests; ${every})`,
      severity: 'WARNING',
    },
    {
      name: 'ingestion-failures',
      enabled: alerts.ingestionFailures.enabled,
      condition: within(alerts.ingestionFailures, 'documents failed ingestion'),
      severity: 'WARNING',
    },
    {
      name: 'failed-sign-ins',
      enabled: alerts.failedSignIns.enabled,
      condition: within(alerts.failedSignIns, 'failed sign-ins from one client address'),
      severity: 'WARNING',
    },
    {
      name: 'pii-spike',
      enabled: alerts.piiSpike.enabled,
      condition: within(alerts.piiSpike, 'items of personal data found by ingestion'),
      severity: 'WARNING',
    },
    {
      name: 'launcher-restart',
      enabled: alerts.launcherRestarts.enabled,
      condition: within(alerts.launcherRestarts, 'restarts of one process after a crash'),
      severity: 'WARNING',
    },
    {
      name: 'log-backlog',
      enabled: alerts.logBacklog.enabled,
      condition: `${alerts.logBacklog.threshold} or more log records wait to be shipped and have not shrunk for ${alerts.logBacklog.rounds} checks`,
      severity: 'WARNING',
    },
  ];
}

export async function alertRules(scope: {
  viewer: Viewer | null;
  em: EntityManager;
  runtime: SubgraphRuntime;
}): Promise<AlertRuleView[]> {
  authorize(scope.viewer, 'readAlerts');
  const rules = catalog(configOf(scope.runtime, 'observability').alerts);
  const views: AlertRuleView[] = [];
  for (const rule of rules) {
    const openAlerts = await scope.em.count(Alert, {
      fingerprint: { $like: ruleFingerprintPattern(rule.name) },
      state: { $in: [...UnresolvedStates] },
    });
    views.push({ ...rule, openAlerts });
  }
  return views;
}
