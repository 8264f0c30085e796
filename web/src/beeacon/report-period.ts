// The health report form's period: a preset (the last day, week or 30 days, ending now) or a custom range from
// datetime-local inputs; the server allows at most 92 days.
import type { HealthReportInput } from '../gql/graphql';
import { timeRange } from './time-range';

export const REPORT_PRESETS = {
  day: { label: 'Last 24 hours', hours: 24 },
  week: { label: 'Last 7 days', hours: 7 * 24 },
  month: { label: 'Last 30 days', hours: 30 * 24 },
  custom: { label: 'Custom', hours: 0 },
} as const;
export type ReportPreset = keyof typeof REPORT_PRESETS;

export interface ReportForm {
  preset: ReportPreset;
  from: string;
  to: string;
  format: 'JSON' | 'PDF';
}

const MAX_DAYS = 92;

export function reportInput(form: ReportForm, now: Date): { input: HealthReportInput } | { problem: string } {
  if (form.preset !== 'custom') {
    const from = new Date(now.getTime() - REPORT_PRESETS[form.preset].hours * 3600_000);
    return { input: { from: from.toISOString(), to: now.toISOString(), format: form.format } };
  }
  if (!form.from) return { problem: 'Choose when the period starts.' };
  const checked = timeRange(form.from, form.to);
  if ('problem' in checked) return checked;
  const from = checked.range.since!;
  const to = checked.range.until ?? now.toISOString();
  if (Date.parse(to) - Date.parse(from) > MAX_DAYS * 24 * 3600_000)
    return { problem: `A report covers at most ${MAX_DAYS} days.` };
  return { input: { from, to, format: form.format } };
}
