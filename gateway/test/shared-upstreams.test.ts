// The registry of shared upstream subscriptions on its own: one upstream per key, events completed once and given to
// every member in order, a refusal handed to everyone who waited for it (and to no one who comes after it), a member
// that stops reading dropped without holding the others back, and the upstream closed exactly when the last member
// leaves.
import { describe, it, expect } from '@jest/globals';
import type { ExecutionResult } from 'graphql';
import { SharedUpstreams, type SharedSource } from '../src/subscriptions/shared-upstreams.ts';

/** An upstream the test feeds by hand, counting how often it was opened and closed. */
function manualUpstream() {
  const queue: ExecutionResult[] = [];
  let wake: ((step: IteratorResult<ExecutionResult>) => void) | undefined;
  const state = { opened: 0, closed: 0, completed: 0 };
  let ended = false;
  const end = () => {
    ended = true;
    wake?.({ done: true, value: undefined });
  };
  const push = (value: ExecutionResult) => {
    if (wake) wake({ done: false, value });
    else queue.push(value);
    wake = undefined;
  };
  const open = async (): Promise<SharedSource> => {
    state.opened++;
    return {
      events: {
        next: () =>
          queue.length
            ? Promise.resolve({ done: false, value: queue.shift()! })
            : ended
              ? Promise.resolve({ done: true, value: undefined })
              : new Promise((resolve) => (wake = resolve)),
        return: async () => {
          state.closed++;
          wake?.({ done: true, value: undefined });
          return { done: true, value: undefined };
        },
      },
      complete: async (event) => {
        state.completed++;
        return { data: { completed: event.data } };
      },
    };
  };
  return { push, end, open, state };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('SharedUpstreams', () => {
  it('opens one upstream per key and completes each event once for all members', async () => {
    const shared = new SharedUpstreams();
    const upstream = manualUpstream();
    const members = await Promise.all([1, 2, 3].map(() => shared.join('k', upstream.open)));
    expect(upstream.state.opened).toBe(1);
    const firsts = members.map((m) => (m as AsyncIterator<ExecutionResult>).next());
    upstream.push({ data: { n: 1 } });
    upstream.push({ data: { n: 2 } });
    for (const step of await Promise.all(firsts))
      expect(step).toEqual({ done: false, value: { data: { completed: { n: 1 } } } });
    for (const member of members)
      expect(await (member as AsyncIterator<ExecutionResult>).next()).toEqual({
        done: false,
        value: { data: { completed: { n: 2 } } },
      });
    expect(upstream.state.completed).toBe(2);

    const other = manualUpstream();
    const elsewhere = await shared.join('other key', other.open);
    expect(other.state.opened).toBe(1);
    expect(shared.size).toBe(2);

    // The last member of a key to leave closes its upstream, and only then.
    await (members[0] as AsyncIterator<ExecutionResult>).return!();
    await (members[1] as AsyncIterator<ExecutionResult>).return!();
    expect(upstream.state.closed).toBe(0);
    await (members[2] as AsyncIterator<ExecutionResult>).return!();
    expect(upstream.state.closed).toBe(1);
    await (elsewhere as AsyncIterator<ExecutionResult>).return!();
    expect(shared.size).toBe(0);
  });

  it('hands a refusal to every member that waited for it, and opens afresh for the next one', async () => {
    const shared = new SharedUpstreams();
    let opens = 0;
    const refusal: ExecutionResult = { errors: [] };
    const open = async () => {
      opens++;
      await flush();
      return refusal;
    };
    const results = await Promise.all([shared.join('k', open), shared.join('k', open)]);
    expect(results).toEqual([refusal, refusal]);
    expect(opens).toBe(1);
    expect(shared.size).toBe(0);
    await shared.join('k', open);
    expect(opens).toBe(2);
  });

  it('ends at a request error, so a subscriber who comes after it gets an answer of its own', async () => {
    // A subgraph service refuses over graphql-ws with an event holding errors and no data, then ends its stream.
    const shared = new SharedUpstreams();
    let opens = 0;
    let closed = 0;
    const open = async (): Promise<SharedSource> => {
      opens++;
      let sent = false;
      return {
        events: {
          // The refusal, then an end that has not come yet.
          next: () =>
            sent
              ? new Promise<IteratorResult<ExecutionResult>>(() => {})
              : ((sent = true), Promise.resolve({ done: false, value: { errors: [] } })),
          return: async () => {
            closed++;
            return { done: true, value: undefined };
          },
        },
        complete: async (event) => event,
      };
    };
    const first = (await shared.join('k', open)) as AsyncIterator<ExecutionResult>;
    expect(await first.next()).toEqual({ done: false, value: { errors: [] } });
    expect(await first.next()).toEqual({ done: true, value: undefined });
    expect(closed).toBe(1);
    expect(shared.size).toBe(0);
    const second = (await shared.join('k', open)) as AsyncIterator<ExecutionResult>;
    expect(opens).toBe(2);
    expect(await second.next()).toEqual({ done: false, value: { errors: [] } });
  });

  it('closes the upstream as soon as its only member leaves', async () => {
    const shared = new SharedUpstreams();
    const upstream = manualUpstream();
    const member = (await shared.join('k', upstream.open)) as AsyncIterator<ExecutionResult>;
    await member.return!();
    expect(upstream.state.closed).toBe(1);
    expect(shared.size).toBe(0);
  });

  it('drops a member that stops reading, with an error as its last event, while the others keep up', async () => {
    const shared = new SharedUpstreams({ maxQueued: 3 });
    const upstream = manualUpstream();
    const [slow, fast] = (await Promise.all(
      [1, 2].map(() => shared.join('k', upstream.open)),
    )) as AsyncIterator<ExecutionResult>[];
    const received: unknown[] = [];
    const reading = (async () => {
      for (let i = 0; i < 5; i++) received.push((await fast.next()).value);
    })();
    for (let i = 0; i < 5; i++) {
      upstream.push({ data: { n: i } });
      await flush();
    }
    await reading;
    expect(received).toHaveLength(5);
    const last = await slow.next();
    expect(last.value?.errors?.[0].message).toMatch(/not reading/);
    expect(await slow.next()).toEqual({ done: true, value: undefined });
    // The upstream stays open for the member still reading.
    expect(upstream.state.closed).toBe(0);
    await fast.return!();
    expect(upstream.state.closed).toBe(1);
  });

  it('ends every member when the upstream ends, after the events before it', async () => {
    const shared = new SharedUpstreams();
    const upstream = manualUpstream();
    const members = (await Promise.all(
      [1, 2].map(() => shared.join('k', upstream.open)),
    )) as AsyncIterator<ExecutionResult>[];
    upstream.push({ data: { n: 1 } });
    upstream.end();
    for (const member of members) {
      expect(await member.next()).toEqual({ done: false, value: { data: { completed: { n: 1 } } } });
      expect(await member.next()).toEqual({ done: true, value: undefined });
    }
    expect(shared.size).toBe(0);
    expect(upstream.state.closed).toBe(1);
  });
});
