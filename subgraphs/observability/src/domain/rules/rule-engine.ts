// Beeacon's evaluated alert rules: on one clock every enabled rule says which subjects are in breach now; each
// breach raises (or counts again) its alert, and every unresolved alert of a rule whose subject is no longer in
// breach resolves itself. The open alerts themselves are the state, so a restarted or second replica carries on
// where the last one stopped. A rule that cannot decide this round (metrics unreachable) changes nothing.
//
// Every replica runs the clock, but each round is claimed first (Periodic, `periodic_round`): one replica
// evaluates it, so an alert in breach is counted once per interval and announced once, however many replicas run.
// `evaluate()` called directly runs a round without claiming it. Rules that keep readings in memory (the gateway
// traffic, the log backlog) compare with the last round their own replica ran: the first round a replica wins is
// a baseline for the metric rules. The replica whose clock ticks first usually keeps winning while it runs.
import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { SubgraphRuntime } from '@sting/kit';
import { Alert } from '../../entities/index.ts';
import { recordAlert, resolveByFingerprint } from '../alerts.ts';
import { UnresolvedStates, type AlertSeverity } from '../severity.ts';
import { fingerprintOf } from '../validation.ts';
import { Periodic, roundClaim } from '../periodic.ts';

export const RULE_SOURCE = 'observability';
/** The claim name of the rule engine's rounds (periodic_round). */
export const ALERT_RULES_ROUND = 'alert-rules';

export interface Breach {
  /** What it is about (an operation type, a client address, a process); '' for the platform as a whole. */
  subject: string;
  severity: AlertSeverity;
  title: string;
  message: string;
}

export interface AlertRule {
  name: string;
  /** The breaches now; null when the rule cannot tell this round (its open alerts stay as they are). */
  evaluate(em: EntityManager, now: Date): Promise<Breach[] | null>;
}

export const ruleFingerprint = (rule: string, subject: string) => fingerprintOf(RULE_SOURCE, rule, subject);

/** A `like` pattern matching every fingerprint of one rule: they begin with the JSON of [source, rule]. */
export const ruleFingerprintPattern = (rule: string) =>
  `${`${JSON.stringify([RULE_SOURCE, rule]).slice(0, -1)},`.replace(/[\\%_]/g, '\\$&')}%`;

export interface RuleRound {
  raised: { rule: string; subject: string; created: boolean }[];
  resolved: { rule: string; fingerprint: string }[];
}

export class RuleEngine {
  readonly #rules: AlertRule[];
  readonly #orm: MikroORM;
  readonly #origin: string;
  readonly #logger: SubgraphRuntime['logger'] | undefined;
  readonly #clock: Periodic;

  constructor(options: {
    orm: MikroORM;
    rules: AlertRule[];
    origin: string;
    logger?: SubgraphRuntime['logger'];
  }) {
    this.#rules = options.rules;
    this.#orm = options.orm;
    this.#origin = options.origin;
    this.#logger = options.logger;
    this.#clock = new Periodic(
      () => this.evaluate(),
      'alert rule round',
      options.logger,
      roundClaim(options.orm, ALERT_RULES_ROUND),
    );
  }

  start(intervalSeconds: number): void {
    if (this.#rules.length > 0) this.#clock.start(intervalSeconds);
  }

  stop(): Promise<void> {
    return this.#clock.stop();
  }

  /**
   * One round over every rule, unclaimed (the clock claims its rounds first); a failing rule is logged and the
   * others still run.
   */
  async evaluate(now = new Date()): Promise<RuleRound> {
    const round: RuleRound = { raised: [], resolved: [] };
    for (const rule of this.#rules) {
      const em = this.#orm.em.fork() as EntityManager;
      try {
        const breaches = await rule.evaluate(em, now);
        if (breaches) await this.#apply(em, rule.name, breaches, round);
      } catch (err) {
        this.#logger?.warn({ err, rule: rule.name }, 'alert rule failed');
      }
    }
    return round;
  }

  async #apply(em: EntityManager, rule: string, breaches: Breach[], round: RuleRound): Promise<void> {
    const origin = { em, requestId: randomUUID(), runtime: { name: this.#origin }, viewer: null };
    const breached = new Set<string>();
    for (const breach of breaches) {
      const fingerprint = ruleFingerprint(rule, breach.subject);
      breached.add(fingerprint);
      const { created } = await recordAlert(origin, {
        severity: breach.severity,
        title: breach.title.slice(0, 200),
        message: breach.message.slice(0, 4000),
        source: RULE_SOURCE,
        fingerprint,
      });
      round.raised.push({ rule, subject: breach.subject, created });
    }
    const open = await em.find(
      Alert,
      { fingerprint: { $like: ruleFingerprintPattern(rule) }, state: { $in: [...UnresolvedStates] } },
      { fields: ['fingerprint'] },
    );
    for (const { fingerprint } of open) {
      if (breached.has(fingerprint)) continue;
      if (await resolveByFingerprint(em, fingerprint)) round.resolved.push({ rule, fingerprint });
    }
  }
}
