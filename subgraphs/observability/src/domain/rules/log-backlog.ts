// The log-backlog rule: log records waiting to be shipped (to Loki, or to the embedded log store) piling up. It
// fires when the backlog is at or above the threshold and has not shrunk for `rounds` evaluations in a row
// (a burst being worked off is no alarm), and clears once the backlog is below the threshold. It reads the
// shipping of this process: in the embedded topology that is the whole platform's logging.
import { processLogShipping } from '@sting/kit';
import type { AlertRule } from './rule-engine.ts';

export interface LogBacklogSettings {
  enabled: boolean;
  threshold: number;
  rounds: number;
}

export function logBacklogRule(
  settings: LogBacklogSettings,
  read: () => number | null = () => processLogShipping()?.stats()?.backlog ?? null,
): AlertRule {
  const seen: number[] = [];
  return {
    name: 'log-backlog',
    async evaluate() {
      const backlog = read();
      if (backlog === null) return null;
      seen.push(backlog);
      if (seen.length > settings.rounds) seen.shift();
      if (backlog < settings.threshold) return [];
      const growing =
        seen.length === settings.rounds && seen.every((value, i) => i === 0 || value >= seen[i - 1]);
      if (!growing) return null;
      return [
        {
          subject: '',
          severity: 'WARNING',
          title: `${backlog} log records waiting to be shipped`,
          message:
            `The log shipping backlog is ${backlog} records (threshold ${settings.threshold}) and has not shrunk ` +
            `for ${settings.rounds} checks: ${seen.join(', ')}.`,
        },
      ];
    },
  };
}
