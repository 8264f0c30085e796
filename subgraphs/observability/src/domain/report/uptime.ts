// Uptime per component over a period, from the status history: the state at the period's start is the last
// transition before it, then each transition inside the period. Time when nothing checked it is neither up nor
// down: a stretch after a transition that is not watched (until the next), the time before its first check ever
// (the platform had not run yet), and the part of the period after now. Uptime is the share of the watched time it
// was up, and the unwatched time is reported beside it.
import type { EntityManager } from '@mikro-orm/postgresql';
import { ComponentTransition } from '../../entities/index.ts';
import type { ComponentKind } from '../status/probe.ts';

export interface ComponentUptime {
  name: string;
  kind: ComponentKind;
  /** The state at the end of the period (the last known one, when it ends unwatched). */
  up: boolean;
  /** Of the time it was watched, the share it was up (100 when it was not watched at all: see unwatchedSeconds). */
  uptimePercent: number;
  downtimeSeconds: number;
  /** Time within the period when no check ran: stopped, not checked yet, or still to come. */
  unwatchedSeconds: number;
  /** Times it went down within the period. */
  outages: number;
}

/** A component's state over a stretch: up, down, or unknown (nothing checked it). */
type State = { kind: ComponentKind; up: boolean; watched: boolean; since: Date };

export async function componentUptime(
  em: EntityManager,
  from: Date,
  to: Date,
  now = new Date(),
): Promise<ComponentUptime[]> {
  const inside = await em.find(
    ComponentTransition,
    { at: { $gte: from, $lt: to } },
    { orderBy: { at: 'asc', id: 'asc' } },
  );
  const schema = String(em.config.get('schema') ?? 'observability').replace(/"/g, '""');
  const before = await em.execute<
    { component: string; kind: ComponentKind; up: boolean; watched: boolean }[]
  >(
    `select distinct on (component) component, kind, up, watched from "${schema}".component_transition
     where at < ? order by component, at desc, id desc`,
    [from],
  );
  const state = new Map<string, State>(
    before.map((row) => [row.component, { kind: row.kind, up: row.up, watched: row.watched, since: from }]),
  );
  const down = new Map<string, number>();
  const unwatched = new Map<string, number>();
  const outages = new Map<string, number>();
  const add = (totals: Map<string, number>, name: string, ms: number) =>
    totals.set(name, (totals.get(name) ?? 0) + ms);
  /** Counts the stretch the component has been in since `current.since`, up to `until`; none of it after now. */
  const close = (name: string, current: State, until: Date) => {
    const start = current.since.getTime();
    const seenUntil = Math.max(start, Math.min(until.getTime(), now.getTime()));
    if (!current.watched) add(unwatched, name, seenUntil - start);
    else if (!current.up) add(down, name, seenUntil - start);
    add(unwatched, name, until.getTime() - seenUntil);
  };
  const total = to.getTime() - from.getTime();
  for (const transition of inside) {
    const name = transition.component;
    // Its first transition ever is its first check: nothing watched it before. Counted as up before it, so a
    // component first seen down has gone down once.
    const current = state.get(name) ?? { kind: transition.kind, up: true, watched: false, since: from };
    close(name, current, transition.at);
    // Down from up (the last known state, across a stretch unwatched).
    if (transition.watched && !transition.up && current.up) add(outages, name, 1);
    state.set(name, {
      kind: transition.kind,
      up: transition.up,
      watched: transition.watched,
      since: transition.at,
    });
  }
  const components: ComponentUptime[] = [];
  for (const [name, current] of state) {
    close(name, current, to);
    const downMs = down.get(name) ?? 0;
    const watchedMs = total - (unwatched.get(name) ?? 0);
    components.push({
      name,
      kind: current.kind,
      up: current.up,
      uptimePercent: watchedMs > 0 ? Math.round(((watchedMs - downMs) / watchedMs) * 10_000) / 100 : 100,
      downtimeSeconds: Math.round(downMs / 1000),
      unwatchedSeconds: Math.round((unwatched.get(name) ?? 0) / 1000),
      outages: outages.get(name) ?? 0,
    });
  }
  return components.sort((a, b) => a.name.localeCompare(b.name));
}
