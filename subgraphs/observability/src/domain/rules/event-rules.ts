// The alert rules read from the events table: counts within a sliding window of recent events. Each fires while
// its count is at or above the threshold and clears once the window holds fewer.
import { EventTypes } from '@sting/kit';
import { countEvents } from '../events/event-store.ts';
import type { AlertRule, Breach } from './rule-engine.ts';

export interface CountRuleSettings {
  enabled: boolean;
  threshold: number;
  windowMinutes: number;
}

const windowStart = (now: Date, settings: CountRuleSettings) =>
  new Date(now.getTime() - settings.windowMinutes * 60_000);
const within = (settings: CountRuleSettings) => `in the last ${settings.windowMinutes} min`;

/** Documents whose ingestion failed (distinct documents, a retried failure counts once). */
export function ingestionFailuresRule(settings: CountRuleSettings): AlertRule {
  return {
    name: 'ingestion-failures',
    async evaluate(em, now) {
      const failed = await countEvents(em, {
        type: EventTypes.documentStatusChanged,
        outcome: 'FAILED',
        since: windowStart(now, settings),
        bySubject: true,
      });
      if (failed.size < settings.threshold) return [];
      const documents = `${failed.size} document${failed.size === 1 ? '' : 's'}`;
      return [
        {
          subject: '',
          severity: 'WARNING',
          title: `${documents} failed ingestion`,
          message: `${documents} failed ingestion ${within(settings)} (threshold ${settings.threshold}).`,
        },
      ];
    },
  };
}

/** Failed sign-ins per client address (identity's audit records, heard as user.action events). */
export function failedSignInsRule(settings: CountRuleSettings): AlertRule {
  return {
    name: 'failed-sign-ins',
    async evaluate(em, now) {
      const perAddress = await countEvents(em, {
        type: EventTypes.userAction,
        kind: 'auth.sign_in',
        outcome: 'failure',
        since: windowStart(now, settings),
        bySubject: true,
      });
      const breaches: Breach[] = [];
      for (const [address, count] of perAddress) {
        if (address === '' || count < settings.threshold) continue;
        breaches.push({
          subject: address,
          severity: 'WARNING',
          title: `${count} failed sign-ins from ${address}`,
          message: `${count} failed sign-ins from ${address} ${within(settings)} (threshold ${settings.threshold}).`,
        });
      }
      return breaches;
    },
  };
}

/** Personal data found by ingestion, summed over every type. */
export function piiSpikeRule(settings: CountRuleSettings): AlertRule {
  return {
    name: 'pii-spike',
    async evaluate(em, now) {
      const found = (
        await countEvents(em, { type: EventTypes.piiDetected, since: windowStart(now, settings), sum: true })
      ).get('');
      if (found === undefined || found < settings.threshold) return [];
      return [
        {
          subject: '',
          severity: 'WARNING',
          title: `${found} personal data findings`,
          message: `Ingestion found ${found} items of personal data ${within(settings)} (threshold ${settings.threshold}).`,
        },
      ];
    },
  };
}

/** Processes the launcher restarted after a crash, per process. */
export function launcherRestartsRule(settings: CountRuleSettings): AlertRule {
  return {
    name: 'launcher-restart',
    async evaluate(em, now) {
      const perProcess = await countEvents(em, {
        type: EventTypes.launcherRestart,
        since: windowStart(now, settings),
        bySubject: true,
      });
      const breaches: Breach[] = [];
      for (const [process, count] of perProcess) {
        if (count < settings.threshold) continue;
        breaches.push({
          subject: process,
          severity: 'WARNING',
          title: `${process || 'a process'} was restarted after a crash`,
          message: `The launcher restarted ${process || 'a process'} ${count} times ${within(settings)}.`,
        });
      }
      return breaches;
    },
  };
}
