// A component's last 24 hours as up and down stretches, from the status history's transitions (oldest first).
// Transitions are recorded on change, so a component whose first transition in the window is going down was up
// before it. One whose first transition is coming up may have been down, or simply not watched yet (the first
// check after the platform's first start records every component as up): that stretch has no record. A
// transition that is not watched starts a stretch when nothing checked it (the platform was stopped): unknown too.
// With no transition at all, a component has been as it is now the whole time.

export interface Transition {
  component: string;
  up: boolean;
  /** False where checks stopped: unknown from `at` on (`up` is the state it had then). */
  watched?: boolean;
  at: string;
  detail?: string | null;
}

export interface Stretch {
  from: number;
  to: number;
  /**
   * null: nothing recorded (before the component's first transition, when that one came up, or while it was not
   * watched).
   */
  up: boolean | null;
}

export interface ComponentTimeline {
  name: string;
  stretches: Stretch[];
  downMs: number;
  outages: number;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

export function componentTimelines(
  components: readonly { name: string; up: boolean }[],
  history: readonly Transition[],
  now: number,
  windowMs = DAY_MS,
): ComponentTimeline[] {
  const start = now - windowMs;
  const names = [...new Set([...components.map((c) => c.name), ...history.map((t) => t.component)])];
  return names.map((name) => {
    const own = history
      .filter((t) => t.component === name)
      .map((t) => ({
        up: t.up,
        state: t.watched === false ? null : t.up,
        at: Math.min(now, Math.max(start, Date.parse(t.at))),
      }))
      .sort((a, b) => a.at - b.at);
    const current = components.find((c) => c.name === name);
    const first = own[0];
    // Before the first transition: as now when there is none; as it was when checks stopped, when that one is
    // where they stopped; up before going down; unknown before coming up.
    let state: boolean | null =
      first === undefined ? (current?.up ?? true) : first.state === null ? first.up : first.up ? null : true;
    let from = start;
    const stretches: Stretch[] = [];
    // Outages: going down from up, or from unknown unless it was down when checks stopped.
    let known = state;
    let outages = 0;
    for (const t of own) {
      if (t.state === state) continue;
      if (t.state === false && known !== false) outages++;
      known = t.state ?? t.up;
      if (t.at > from) stretches.push({ from, to: t.at, up: state });
      state = t.state;
      from = t.at;
    }
    if (now > from) stretches.push({ from, to: now, up: state });
    return {
      name,
      stretches,
      downMs: stretches.filter((s) => s.up === false).reduce((sum, s) => sum + s.to - s.from, 0),
      outages,
    };
  });
}

/** "2 h 5 min", "40 s": how long, for people. */
export function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}
