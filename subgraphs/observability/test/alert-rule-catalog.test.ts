// alertRules: every evaluated rule with its configured condition and its unresolved alerts, for administrators.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { createEvent, EventTypes } from '@sting/kit';
import { configSchema } from '@sting/kit/config/schema.ts';
import { failedSignInsRule } from '../src/domain/rules/event-rules.ts';
import { RuleEngine } from '../src/domain/rules/rule-engine.ts';
import { EventStore } from '../src/domain/events/event-store.ts';
import { projectEvent } from '../src/domain/events/projection.ts';
import { buildViewer, startObservability, type ObservabilityHarness } from './harness.ts';

const RULES = `{ alertRules { name enabled condition severity openAlerts } }`;

describe('alertRules', () => {
  let obs: ObservabilityHarness;
  beforeAll(async () => {
    const alerts = configSchema.parse({
      observability: {
        alerts: { failedSignIns: { threshold: 2, windowMinutes: 10 }, piiSpike: { enabled: false } },
      },
    }).observability.alerts;
    obs = await startObservability({ config: { topology: 'embedded', alerts } });
  });
  afterAll(async () => {
    await obs?.close();
  });

  it('lists each rule as configured, with its open alerts', async () => {
    const em = obs.em() as unknown as EntityManager;
    for (let i = 0; i < 2; i++) {
      const event = createEvent(
        EventTypes.userAction,
        { action: 'auth.sign_in', outcome: 'failure', clientAddress: '203.0.113.5' },
        { source: 'identity' },
      );
      await new EventStore().insert(em, projectEvent(event));
    }
    const engine = new RuleEngine({
      orm: obs.orm as unknown as MikroORM,
      rules: [failedSignInsRule({ enabled: true, threshold: 2, windowMinutes: 10 })],
      origin: 'observability',
    });
    await engine.evaluate();

    const result = await obs.run(buildViewer('ADMIN'), RULES);
    expect(result.errors).toBeUndefined();
    const rules = result.data!.alertRules as {
      name: string;
      enabled: boolean;
      condition: string;
      openAlerts: number;
    }[];
    expect(rules.map((rule) => rule.name)).toEqual([
      'component-down',
      'error-rate',
      'latency-p99',
      'ingestion-failures',
      'failed-sign-ins',
      'pii-spike',
      'launcher-restart',
      'log-backlog',
    ]);
    expect(rules.find((rule) => rule.name === 'failed-sign-ins')).toEqual({
      name: 'failed-sign-ins',
      enabled: true,
      condition: '2 or more failed sign-ins from one client address within 10 min',
      severity: 'WARNING',
      openAlerts: 1,
    });
    expect(rules.find((rule) => rule.name === 'pii-spike')).toMatchObject({ enabled: false, openAlerts: 0 });
    expect(rules.find((rule) => rule.name === 'error-rate')?.condition).toContain('more than 5% ');

    const member = await obs.run(buildViewer('MEMBER'), RULES);
    expect(member.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
