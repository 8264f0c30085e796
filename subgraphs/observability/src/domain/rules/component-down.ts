// Beeacon's component-down rule: every component checked on an interval; each up/down change is kept as the
// status history, a component down for N checks in a row raises one CRITICAL alert (and an
// `observability.health.failed` event), and the alert resolves itself when the component answers again.
import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { eventFrom, EventTypes, Topics, type SubgraphRuntime } from '@sting/kit';
import { ComponentTransition } from '../../entities/index.ts';
import { recordAlert, resolveByFingerprint } from '../alerts.ts';
import { fingerprintOf } from '../validation.ts';
import { checkSystem } from '../status/system-status.ts';
import type { ComponentStatus, Probe } from '../status/probe.ts';
import { Periodic } from '../periodic.ts';

export interface ComponentDownSettings {
  enabled: boolean;
  intervalSeconds: number;
  consecutiveChecks: number;
}

export const COMPONENT_DOWN_RULE = 'component-down';
const SOURCE = 'observability';
export const componentDownFingerprint = (component: string) =>
  fingerprintOf(SOURCE, COMPONENT_DOWN_RULE, component);

export interface HealthWatchOptions {
  orm: MikroORM;
  probes: () => Probe[];
  settings: ComponentDownSettings;
  /** The subgraph's name, as events' source. */
  origin: string;
  logger?: SubgraphRuntime['logger'];
}

export class HealthWatch {
  readonly #options: HealthWatchOptions;
  readonly #failures = new Map<string, number>();
  /** The last recorded state per component; loaded from the history on the first check after a start. */
  #recorded: Map<string, boolean> | null = null;
  // One check at a time: a slow probe never stacks checks up.
  readonly #clock: Periodic;

  constructor(options: HealthWatchOptions) {
    this.#options = options;
    this.#clock = new Periodic(() => this.check(), 'health check round', options.logger);
  }

  start(): void {
    const { enabled, intervalSeconds } = this.#options.settings;
    if (enabled) this.#clock.start(intervalSeconds);
  }

  stop(): Promise<void> {
    return this.#clock.stop();
  }

  /** One round: check every component, record transitions, raise or resolve component-down alerts. */
  async check(): Promise<ComponentStatus[]> {
    const { components } = await checkSystem(this.#options.probes());
    const em = this.#options.orm.em.fork() as EntityManager;
    const schema = String(this.#options.orm.config.get('schema') ?? 'observability');
    const recorded = (this.#recorded ??= await lastRecordedStates(em, schema));
    for (const component of components) {
      if (recorded.get(component.name) !== component.up) {
        em.create(ComponentTransition, {
          id: randomUUID(),
          component: component.name,
          kind: component.kind,
          up: component.up,
          detail: component.up ? null : component.detail,
          at: new Date(),
        });
        await em.flush();
        recorded.set(component.name, component.up);
        // Back up: whatever alert it raised while down (before a restart too) resolves itself.
        if (component.up) await resolveByFingerprint(em, componentDownFingerprint(component.name));
      }
      const failures = component.up ? 0 : (this.#failures.get(component.name) ?? 0) + 1;
      this.#failures.set(component.name, failures);
      if (failures === this.#options.settings.consecutiveChecks) await this.#raise(em, component, failures);
    }
    return components;
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

async function lastRecordedStates(em: EntityManager, schema: string): Promise<Map<string, boolean>> {
  // The newest row per component, without reading the whole history.
  const rows = await em.execute<{ component: string; up: boolean }[]>(
    `select distinct on (component) component, up from "${schema.replace(/"/g, '""')}".component_transition order by component, at desc`,
  );
  return new Map(rows.map((row) => [row.component, row.up]));
}
