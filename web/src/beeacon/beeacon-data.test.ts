// What Beeacon's screens compute before drawing: filters from forms, which live alerts join a filtered list,
// Pollen minutes and daily events as chart buckets, and components' up/down stretches over 24 hours.
import { describe, expect, it } from '@jest/globals';
import { alertFilter, emptyAlertForm, matchesAlertFilter } from './alert-filter';
import { eventSeries } from './event-series';
import { emptyLogForm, logFilter, readableRecord } from './log-filter';
import { bucketMinutesFor, pollenSeries } from './pollen-series';
import { reportInput } from './report-period';
import { componentTimelines, DAY_MS, duration } from './status-timeline';

describe('alert filters', () => {
  it('leaves out empty fields, makes times instants and refuses a range that ends before it starts', () => {
    expect(alertFilter(emptyAlertForm)).toEqual({ filter: {} });
    const since = '2026-11-30T10:00';
    expect(
      alertFilter({ severity: 'CRITICAL', state: 'OPEN', source: ' gateway ', since, until: '' }),
    ).toEqual({
      filter: {
        severity: 'CRITICAL',
        state: 'OPEN',
        source: 'gateway',
        since: new Date(since).toISOString(),
      },
    });
    expect(alertFilter({ ...emptyAlertForm, since: '2026-11-30T10:00', until: '2026-11-30T09:00' })).toEqual({
      problem: 'The time range ends before it starts.',
    });
  });

  it('lets a live alert into the list only when the filter would have returned it', () => {
    const alert = {
      severity: 'WARNING' as const,
      state: 'OPEN' as const,
      source: 'gateway',
      createdAt: '2026-11-30T12:00:00.000Z',
    };
    expect(matchesAlertFilter(alert, {})).toBe(true);
    expect(matchesAlertFilter(alert, { severity: 'WARNING', state: 'OPEN', source: 'gateway' })).toBe(true);
    expect(matchesAlertFilter(alert, { severity: 'CRITICAL' })).toBe(false);
    expect(matchesAlertFilter(alert, { state: 'RESOLVED' })).toBe(false);
    expect(matchesAlertFilter(alert, { source: 'manual' })).toBe(false);
    expect(matchesAlertFilter(alert, { until: '2026-11-30T12:00:00.000Z' })).toBe(false);
    expect(matchesAlertFilter(alert, { since: '2026-11-30T12:00:00.001Z' })).toBe(false);
  });
});

describe('log search', () => {
  it('sends only what was filled in, and shows a record indented or as it came', () => {
    expect(logFilter({ ...emptyLogForm, service: ' gateway ', level: 'ERROR', text: ' refused ' })).toEqual({
      filter: { service: 'gateway', level: 'ERROR', text: 'refused' },
    });
    expect(logFilter({ ...emptyLogForm, since: 'not a date' })).toEqual({
      problem: 'The “since” time is not a date.',
    });
    expect(readableRecord('{"msg":"hi","n":1}')).toBe('{\n  "msg": "hi",\n  "n": 1\n}');
    expect(readableRecord('<b>not json</b>')).toBe('<b>not json</b>');
  });
});

describe('health report period', () => {
  const now = new Date('2026-11-30T12:00:00.000Z');
  it('ends a preset now and refuses a custom period longer than 92 days or without a start', () => {
    expect(reportInput({ preset: 'week', from: '', to: '', format: 'PDF' }, now)).toEqual({
      input: { from: '2026-11-23T12:00:00.000Z', to: now.toISOString(), format: 'PDF' },
    });
    expect(reportInput({ preset: 'custom', from: '', to: '', format: 'JSON' }, now)).toEqual({
      problem: 'Choose when the period starts.',
    });
    expect(reportInput({ preset: 'custom', from: '2026-01-01T00:00', to: '', format: 'JSON' }, now)).toEqual({
      problem: 'A report covers at most 92 days.',
    });
    const custom = reportInput(
      { preset: 'custom', from: '2026-11-01T00:00', to: '2026-11-02T00:00', format: 'JSON' },
      now,
    );
    expect(custom).toEqual({
      input: {
        from: new Date('2026-11-01T00:00').toISOString(),
        to: new Date('2026-11-02T00:00').toISOString(),
        format: 'JSON',
      },
    });
  });
});

describe('Pollen Filter series', () => {
  it('buckets minutes per type over the window, most frequent type first, empty minutes counting zero', () => {
    const since = new Date('2026-11-30T11:00:00.000Z');
    const until = new Date('2026-11-30T12:00:00.000Z');
    const table = pollenSeries(
      [
        { minute: '2026-11-30T11:05:00.000Z', records: 4, redactions: [{ type: 'CARD', count: 1 }] },
        {
          minute: '2026-11-30T11:59:00.000Z',
          records: 9,
          redactions: [
            { type: 'EMAIL', count: 3 },
            { type: 'CARD', count: 1 },
          ],
        },
        { minute: '2026-11-30T11:59:00.000Z', records: 1, redactions: [{ type: 'EMAIL', count: 2 }] },
        { minute: '2026-11-30T10:00:00.000Z', records: 1, redactions: [{ type: 'EMAIL', count: 50 }] },
      ],
      since,
      until,
    );
    expect(table.bucketMinutes).toBe(1);
    expect(table.buckets).toHaveLength(60);
    expect(table.types).toEqual(['EMAIL', 'CARD']);
    expect(table.buckets[5]).toEqual({ start: '2026-11-30T11:05:00.000Z', counts: [0, 1], total: 1 });
    expect(table.buckets[59]).toEqual({ start: '2026-11-30T11:59:00.000Z', counts: [5, 1], total: 6 });
    expect(table.buckets.reduce((sum, b) => sum + b.total, 0)).toBe(7);
  });

  it('widens the buckets for a day or a week so the chart keeps about 60 bars', () => {
    expect(bucketMinutesFor(60)).toBe(1);
    expect(bucketMinutesFor(24 * 60)).toBe(30);
    expect(bucketMinutesFor(7 * 24 * 60 - 5)).toBe(180);
  });
});

describe('events per day', () => {
  it('gives every day of the window a bucket and sums kinds and outcomes per type', () => {
    const table = eventSeries(
      [
        { day: '2026-11-28', type: 'user.action', events: 3 },
        { day: '2026-11-28', type: 'user.action', events: 2 },
        { day: '2026-11-30', type: 'ai.analysis.complete', events: 1 },
      ],
      '2026-11-28',
      3,
    );
    expect(table.types).toEqual(['user.action', 'ai.analysis.complete']);
    expect(table.buckets.map((b) => [b.start.slice(0, 10), b.counts])).toEqual([
      ['2026-11-28', [5, 0]],
      ['2026-11-29', [0, 0]],
      ['2026-11-30', [0, 1]],
    ]);
  });
});

describe('status timelines', () => {
  const now = Date.parse('2026-11-30T12:00:00.000Z');
  it('cuts 24 hours into up and down stretches from the transitions', () => {
    const [db, gateway] = componentTimelines(
      [
        { name: 'database', up: true },
        { name: 'gateway', up: true },
      ],
      [
        { component: 'database', up: false, at: '2026-11-30T10:00:00.000Z' },
        { component: 'database', up: true, at: '2026-11-30T10:30:00.000Z' },
      ],
      now,
    );
    expect(db!.stretches).toEqual([
      { from: now - DAY_MS, to: Date.parse('2026-11-30T10:00:00.000Z'), up: true },
      { from: Date.parse('2026-11-30T10:00:00.000Z'), to: Date.parse('2026-11-30T10:30:00.000Z'), up: false },
      { from: Date.parse('2026-11-30T10:30:00.000Z'), to: now, up: true },
    ]);
    expect(db!.downMs).toBe(30 * 60_000);
    expect(db!.outages).toBe(1);
    expect(gateway).toEqual({
      name: 'gateway',
      stretches: [{ from: now - DAY_MS, to: now, up: true }],
      downMs: 0,
      outages: 0,
    });
  });

  it('shows a stretch nothing checked as unknown, however the component was before and after', () => {
    const at = (iso: string) => Date.parse(`2026-11-30T${iso}:00.000Z`);
    const [kept, lost] = componentTimelines(
      [
        { name: 'chat', up: true },
        { name: 'redis', up: false },
      ],
      [
        { component: 'chat', up: true, watched: false, at: '2026-11-30T04:00:00.000Z' },
        { component: 'chat', up: true, watched: true, at: '2026-11-30T05:00:00.000Z' },
        // Down when checks stopped, down again when they started: one outage, not two.
        { component: 'redis', up: false, at: '2026-11-30T08:00:00.000Z' },
        { component: 'redis', up: false, watched: false, at: '2026-11-30T09:00:00.000Z' },
        { component: 'redis', up: false, at: '2026-11-30T10:00:00.000Z' },
      ],
      now,
    );
    expect(kept!.stretches).toEqual([
      { from: now - DAY_MS, to: at('04:00'), up: true },
      { from: at('04:00'), to: at('05:00'), up: null },
      { from: at('05:00'), to: now, up: true },
    ]);
    expect([kept!.downMs, kept!.outages]).toEqual([0, 0]);
    expect(lost!.stretches.map((s) => s.up)).toEqual([true, false, null, false]);
    expect(lost!.downMs).toBe(now - at('10:00') + 60 * 60_000);
    expect(lost!.outages).toBe(1);
  });

  it('has no record before a first transition up, and shows one down now as up until it went down', () => {
    const [chroma, redis] = componentTimelines(
      [
        { name: 'chroma', up: true },
        { name: 'redis', up: false },
      ],
      [
        { component: 'chroma', up: true, at: '2026-11-30T02:00:00.000Z' },
        { component: 'redis', up: false, at: '2026-11-30T11:00:00.000Z' },
      ],
      now,
    );
    expect(chroma!.stretches.map((s) => s.up)).toEqual([null, true]);
    expect(chroma!.downMs).toBe(0);
    expect(redis!.stretches.map((s) => s.up)).toEqual([true, false]);
    expect(duration(redis!.downMs)).toBe('1 h');
    expect(duration(90 * 60_000 + 20_000)).toBe('1 h 30 min');
    expect(duration(40_000)).toBe('40 s');
  });
});
