// Beeacon's component-down rule: every component checked on an interval; each up/down change is kept as the
// status history, a component down for N checks in a row raises one CRITICAL alert (and an
// `observability.health.failed` event), and the alert resolves itself when the component answers again.
//
// The state of each component (its last recorded up or down, its consecutive failed checks) lives in PostgreSQL
// (`component_check`), updated under its row lock in one transaction with the transition and the alert. So
// whichever replica checks next carries on where the last check, possibly another replica's, left off: a change is
// recorded once, the alert raised once (on the N-th failed check in a row) and resolved once. The clock claims each
// round (Periodic), so with several replicas the components are still checked once per interval; `check()` called
// directly runs a round without claiming it.
//
// A component last checked more than UNWATCHED_ROUNDS intervals ago was not watched in between (the platform, or
// this service, was stopped): the history gets a transition that is not watched at its last check, and one of
// its state now, so nobody reads that time as up (or down).
import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { eventFrom, EventTypes, Topics, type SubgraphRuntime } from '@sting/kit';
import { ComponentTransition } from '../../entities/index.ts';
import { recordAlert, resolveByFingerprint } from '../alerts.ts';
import { fingerprintOf } from '../validation.ts';
import { StatusCache } from '../status/status-cache.ts';
import type { ComponentStatus, Probe } from '../status/probe.ts';
import { schemaOf } from '../events/event-store.ts';
import { Periodic, roundClaim } from '../periodic.ts';

export interface ComponentDownSettings {
  enabled: boolean;
  intervalSeconds: number;
  consecutiveChecks: number;
}

export const COMPONENT_DOWN_RULE = 'component-down';
const SOURCE = 'observability';
/** The claim name of the health check's rounds (periodic_round). */
export const HEALTH_CHECK_ROUND = 'health-check';
export const componentDownFingerprint = (component: string) =>
  fingerprintOf(SOURCE, COMPONENT_DOWN_RULE, component);
/** Checks missed in a row after which the time since a component's last check counts as not watched. */
export const UNWATCHED_ROUNDS = 3;

export type HealthWatchOptions = {
  orm: MikroORM;
  settings: ComponentDownSettings;
  /** The subgraph's name, as events' source. */
  origin: string;
  logger?: SubgraphRuntime['logger'];
} & (
  | { probes: () => Probe[] }
  /** The runtime's status cache: a round joins a check in flight, and its result answers the reads after it. */
  | { status: StatusCache }
);

export class HealthWatch {
  readonly #options: HealthWatchOptions;
  readonly #status: StatusCache;
  // One check at a time in this replica, and one replica per round.
  readonly #clock: Periodic;

  constructor(options: HealthWatchOptions) {
    this.#options = options;
    this.#status = 'status' in options ? options.status : new StatusCache(options.probes);
    this.#clock = new Periodic(
      () => this.check(),
      'health check round',
      options.logger,
      roundClaim(options.orm, HEALTH_CHECK_ROUND),
    );
  }

  start(): void {
    const { enabled, intervalSeconds } = this.#options.settings;
    if (enabled) this.#clock.start(intervalSeconds);
  }

  stop(): Promise<void> {
    return this.#clock.stop();
  }

  /**
   * One round, unclaimed (the clock claims its rounds first): check every component, record transitions, raise or
   * resolve component-down alerts.
   */
  async check(): Promise<ComponentStatus[]> {
    const { components } = await this.#status.check();
    const em = this.#options.orm.em.fork() as EntityManager;
    for (const component of components) await em.transactional((tx) => this.#record(tx, component));
    return components;
  }

  async #record(em: EntityManager, component: ComponentStatus): Promise<void> {
    const at = new Date();
    const unwatchedMs = UNWATCHED_ROUNDS * this.#options.settings.intervalSeconds * 1000;
    const { changed, failures, unwatched } = await advance(em, component, at, unwatchedMs);
    if (unwatched)
      em.create(ComponentTransition, {
        id: randomUUID(),
        component: component.name,
        kind: component.kind,
        up: unwatched.up,
        watched: false,
        detail: null,
        at: unwatched.since,
      });
    if (changed || unwatched) {
      em.create(ComponentTransition, {
        id: randomUUID(),
        component: component.name,
        kind: component.kind,
        up: component.up,
        detail: component.up ? null : component.detail,
        at,
      });
      await em.flush();
      // Back up: whatever alert it raised while down resolves itself.
      if (component.up) await resolveByFingerprint(em, componentDownFingerprint(component.name));
    }
    if (failures === this.#options.settings.consecutiveChecks) await this.#raise(em, component, failures);
  }

  async #raise(em: EntityManager, component: ComponentStatus, failures: number): Promise<void> {
    const origin = { em, requestId: randomUUID(), runtime: { name: this.#options.origin }, viewer: null };
    const failed = eventFrom(origin, EventTypes.healthFailed, {
      component: component.name,
      kind: component.kind,
      consecutiveChecks: failures,
      detail: component.detail,
    });
    await recordAlert(
      origin,
      {
        severity: 'CRITICAL',
        title: `${component.name} is down`.slice(0, 200),
        message: `${failures} checks in a row failed: ${component.detail ?? 'no answer'}`.slice(0, 4000),
        source: SOURCE,
        fingerprint: componentDownFingerprint(component.name),
      },
      [{ topic: Topics.observability.healthFailed, event: failed }],
    );
  }
}

/**
 * Takes this check into the component's state, holding its row until the transaction ends: whether its up or down
 * changed (a component seen for the first time has changed), its failed checks in a row now, and, when its last
 * check is more than `unwatchedMs` old, that check's time and state (it was not watched since).
 */
async function advance(
  em: EntityManager,
  component: ComponentStatus,
  at: Date,
  unwatchedMs: number,
): Promise<{ changed: boolean; failures: number; unwatched?: { since: Date; up: boolean } }> {
  const table = `${schemaOf(em)}."component_check"`;
  const first = await em.execute<{ failures: number }[]>(
    `insert into ${table} ("component", "up", "failures", "since", "checked_at") values (?, ?, ?, ?, ?)
     on conflict ("component") do nothing returning "failures"`,
    [component.name, component.up, component.up ? 0 : 1, at, at],
  );
  if (first.length > 0) return { changed: true, failures: first[0].failures };
  const [last] = await em.execute<{ up: boolean; failures: number; checked_at: Date }[]>(
    `select "up", "failures", "checked_at" from ${table} where "component" = ? for update`,
    [component.name],
  );
  const checkedAt = new Date(last.checked_at);
  const unwatched =
    at.getTime() - checkedAt.getTime() > unwatchedMs ? { since: checkedAt, up: last.up } : undefined;
  const changed = last.up !== component.up;
  const failures = component.up ? 0 : last.failures + 1;
  await em.execute(
    `update ${table} set "up" = ?, "failures" = ?, "since" = case when ? then ? else "since" end, "checked_at" = ?
     where "component" = ?`,
    [component.up, failures, changed || unwatched !== undefined, at, at, component.name],
  );
  return { changed, failures, unwatched };
}
