// The health report's figures from the events table over a period: ingestion, Bee's use, personal data found and
// sign-ins (failed ones by client address), each also per UTC day for the charts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { EventTypes } from '@sting/kit';
import { eventsWhere } from '../events/event-store.ts';

export interface DayValue {
  day: string;
  value: number;
}

export interface IngestionFigures {
  documentsReady: number;
  documentsFailed: number;
  failedPerDay: DayValue[];
  readyPerDay: DayValue[];
}

export interface BeeUsage {
  answers: number;
  tokens: number;
  people: number;
  messages: number;
  answersPerDay: DayValue[];
}

export interface SignInFigures {
  succeeded: number;
  failed: number;
  failedPerDay: DayValue[];
  topFailingAddresses: { address: string; failures: number }[];
}

interface Filter {
  type: string;
  outcome?: string;
  kind?: string;
}

export class Activity {
  readonly #em: EntityManager;
  readonly #from: Date;
  readonly #to: Date;

  constructor(em: EntityManager, from: Date, to: Date) {
    this.#em = em;
    this.#from = from;
    this.#to = to;
  }

  #where(filter: Filter): { sql: string; params: unknown[] } {
    return eventsWhere(this.#em, { ...filter, since: this.#from, until: this.#to });
  }

  async #one(select: string, filter: Filter): Promise<number> {
    const where = this.#where(filter);
    const [row] = await this.#em.execute<{ value: string | number | null }[]>(
      `select (${select})::double precision as value ${where.sql}`,
      where.params,
    );
    return Number(row?.value ?? 0);
  }

  async #perDay(select: string, filter: Filter): Promise<DayValue[]> {
    const where = this.#where(filter);
    const rows = await this.#em.execute<{ day: string; value: string | number }[]>(
      `select to_char(date_trunc('day', "occurred_at" at time zone 'UTC'), 'YYYY-MM-DD') as day,
         (${select})::double precision as value ${where.sql} group by 1 order by 1`,
      where.params,
    );
    return rows.map((row) => ({ day: row.day, value: Number(row.value) }));
  }

  async ingestion(): Promise<IngestionFigures> {
    const ready = { type: EventTypes.documentStatusChanged, outcome: 'READY' };
    const failed = { type: EventTypes.documentStatusChanged, outcome: 'FAILED' };
    const documents = 'count(distinct "subject")';
    return {
      documentsReady: await this.#one(documents, ready),
      documentsFailed: await this.#one(documents, failed),
      readyPerDay: await this.#perDay(documents, ready),
      failedPerDay: await this.#perDay(documents, failed),
    };
  }

  async bee(): Promise<BeeUsage> {
    const answers = { type: EventTypes.aiAnalysisComplete };
    return {
      answers: await this.#one('count(*)', answers),
      tokens: await this.#one('coalesce(sum("amount"), 0)', answers),
      people: await this.#one('count(distinct "actor_id")', answers),
      messages: await this.#one('count(*)', { type: EventTypes.chatMessageCreated, kind: 'USER' }),
      answersPerDay: await this.#perDay('count(*)', answers),
    };
  }

  async piiFindings(): Promise<number> {
    return this.#one('coalesce(sum("amount"), 0)', { type: EventTypes.piiDetected });
  }

  async signIns(): Promise<SignInFigures> {
    const failed = { type: EventTypes.userAction, kind: 'auth.sign_in', outcome: 'failure' };
    const where = this.#where(failed);
    const top = await this.#em.execute<{ address: string; failures: string | number }[]>(
      `select coalesce("subject", 'unknown') as address, count(*) as failures ${where.sql}
       group by 1 order by 2 desc, 1 limit 10`,
      where.params,
    );
    return {
      succeeded: await this.#one('count(*)', { ...failed, outcome: 'success' }),
      failed: await this.#one('count(*)', failed),
      failedPerDay: await this.#perDay('count(*)', failed),
      topFailingAddresses: top.map((row) => ({ address: row.address, failures: Number(row.failures) })),
    };
  }
}
