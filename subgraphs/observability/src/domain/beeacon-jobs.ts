// What Beeacon runs in the background besides the health check: the events table (recording and its
// maintenance), the evaluated alert rules and the outgoing webhooks. One set per runtime, stopped with it.
import type { MikroORM } from '@mikro-orm/postgresql';
import { configOf, type SubgraphRuntime } from '@sting/kit';
import { EventRecorder } from './events/event-recorder.ts';
import { configuredRules } from './rules/index.ts';
import { RuleEngine } from './rules/rule-engine.ts';
import { WebhookSender } from './webhooks/webhooks.ts';

export interface BeeaconJobs {
  events: EventRecorder;
  rules: RuleEngine;
  webhooks: WebhookSender;
}

export async function startBeeaconJobs(runtime: SubgraphRuntime): Promise<BeeaconJobs> {
  const config = configOf(runtime, 'observability');
  const orm = runtime.orm as unknown as MikroORM;
  const events = new EventRecorder({
    orm,
    bus: runtime.bus,
    settings: config.events,
    logger: runtime.logger,
  });
  const rules = new RuleEngine({
    orm,
    rules: configuredRules(runtime),
    origin: runtime.name,
    logger: runtime.logger,
  });
  const webhooks = new WebhookSender({
    orm,
    bus: runtime.bus,
    targets: config.webhooks.map((hook) => ({ url: hook.url, secret: hook.secret, events: hook.events })),
    logger: runtime.logger,
  });
  await events.start();
  await webhooks.start();
  rules.start(config.alerts.evaluationSeconds);
  runtime.stopHooks.push(
    async () => void (await Promise.all([events.stop(), rules.stop(), webhooks.stop()])),
  );
  return { events, rules, webhooks };
}
