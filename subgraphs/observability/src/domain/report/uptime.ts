// Uptime per component over a period, from the status history: the state at the period's start is the last
// transition before it (a component never seen down counts as up), then each transition inside the period.
import type { EntityManager } from '@mikro-orm/postgresql';
import { ComponentTransition } from '../../entities/index.ts';
import type { ComponentKind } from '../status/probe.ts';

export interface ComponentUptime {
  name: string;
  kind: ComponentKind;
  /** The state at the end of the period. */
  up: boolean;
  uptimePercent: number;
  downtimeSeconds: number;
  /** Times it went down within the period. */
  outages: number;
}

export async function componentUptime(em: EntityManager, from: Date, to: Date): Promise<ComponentUptime[]> {
  const inside = await em.find(
    ComponentTransition,
    { at: { $gte: from, $lt: to } },
    { orderBy: { at: 'asc', id: 'asc' } },
  );
  const schema = String(em.config.get('schema') ?? 'observability').replace(/"/g, '""');
  const before = await em.execute<{ component: string; kind: ComponentKind; up: boolean }[]>(
    `select distinct on (component) component, kind, up from "${schema}".component_transition
     where at < ? order by component, at desc`,
    [from],
  );
  const state = new Map(before.map((row) => [row.component, { kind: row.kind, up: row.up, since: from }]));
  const down = new Map<string, number>();
  const outages = new Map<string, number>();
  const total = to.getTime() - from.getTime();
  for (const transition of inside) {
    const current = state.get(transition.component) ?? { kind: transition.kind, up: true, since: from };
    if (!current.up)
      down.set(
        transition.component,
        (down.get(transition.component) ?? 0) + (transition.at.getTime() - current.since.getTime()),
      );
    if (current.up && !transition.up)
      outages.set(transition.component, (outages.get(transition.component) ?? 0) + 1);
    state.set(transition.component, { kind: transition.kind, up: transition.up, since: transition.at });
  }
  const components: ComponentUptime[] = [];
  for (const [name, current] of state) {
    if (!current.up) down.set(name, (down.get(name) ?? 0) + (to.getTime() - current.since.getTime()));
    const downMs = down.get(name) ?? 0;
    components.push({
      name,
      kind: current.kind,
      up: current.up,
      uptimePercent: total > 0 ? Math.round(((total - downMs) / total) * 10_000) / 100 : 100,
      downtimeSeconds: Math.round(downMs / 1000),
      outages: outages.get(name) ?? 0,
    });
  }
  return components.sort((a, b) => a.name.localeCompare(b.name));
}
