// Answers nobody writes any more. The process writing an answer holds a lease on it (message.lease_until), taken
// when the answer is stored as STREAMING and renewed while it writes (Bee's lease renewal). A process that stops
// mid-answer (killed, crashed, its machine lost) renews nothing, and once the lease has run out the answer is ended
// as FAILED (INTERRUPTED) with the text it had: by the sweep every chat replica runs (at start, then every half
// lease), or at once when its owner asks to stop it. Each answer is ended once, by whoever locks it first (SKIP
// LOCKED), with the events any failed answer sends, so a conversation open in the web app shows it ended.
import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { FilterQuery } from '@mikro-orm/postgresql';
import type { SubgraphRuntime } from '@sting/kit';
import { Message, type MessageRow } from '../../entities/conversation.ts';
import { toMessageView } from '../views.ts';
import { enqueueStoredAnswer, failedPacket, publishAnswerPacket } from './answer.ts';

/**
 * How long an answer's lease lasts. The writer renews it every third of this, so a renewal may fail twice (a slow
 * database) before the answer counts as abandoned; an abandoned answer is seen within this plus half of it.
 */
export const ANSWER_LEASE_MS = 30_000;

/** A lease taken now. */
export const leaseFromNow = (now = Date.now()): Date => new Date(now + ANSWER_LEASE_MS);

/** An answer whose lease has run out (or that never had one: stored before leases were kept). */
const leaseRunOut = (now: Date): FilterQuery<MessageRow> => ({
  $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }],
});

/**
 * Ends the STREAMING answers `filter` picks as FAILED (INTERRUPTED) with the text they had; returns their ids.
 * Answers another transaction holds (a writer storing its end, another replica's sweep) are skipped. `requestId` is
 * the request (or sweep) quoted to the person.
 */
export async function endAnswers(
  runtime: SubgraphRuntime,
  requestId: string,
  filter: FilterQuery<MessageRow>,
): Promise<string[]> {
  const em = runtime.orm.em.fork({ clear: true, useContext: false });
  const stamp = { source: runtime.name, correlationId: requestId };
  const ended = await em.transactional(async (tx) => {
    const rows = await tx.find(
      Message,
      { $and: [filter, { status: 'STREAMING' }] },
      { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE },
    );
    for (const row of rows)
      Object.assign(row, { status: 'FAILED', errorCode: 'INTERRUPTED', leaseUntil: null });
    await tx.flush();
    return rows.map((row) => enqueueStoredAnswer(tx, toMessageView(row), stamp));
  });
  for (const answer of ended)
    await publishAnswerPacket(
      runtime,
      answer.conversationId,
      failedPacket(answer.id, 'INTERRUPTED', requestId),
      stamp,
    );
  if (ended.length > 0)
    runtime.logger.warn(
      { messageIds: ended.map((answer) => answer.id), requestId },
      'ended answers no process was writing any more',
    );
  return ended.map((answer) => answer.id);
}

/** Ends the answers whose lease has run out. */
export function endAbandonedAnswers(runtime: SubgraphRuntime, requestId: string): Promise<string[]> {
  return endAnswers(runtime, requestId, leaseRunOut(new Date()));
}

/**
 * Sweeps for abandoned answers now and every half lease until the runtime stops (the timer keeps no process
 * alive). A failed sweep is logged and tried again at the next.
 */
export function sweepAbandonedAnswers(
  runtime: SubgraphRuntime,
  everyMs = ANSWER_LEASE_MS / 2,
): () => Promise<void> {
  let sweeping: Promise<void> = Promise.resolve();
  const sweep = () => {
    sweeping = endAbandonedAnswers(runtime, `sweep-${randomUUID()}`).then(
      () => undefined,
      (err: unknown) => runtime.logger.warn({ err }, 'sweeping for abandoned answers failed'),
    );
  };
  sweep();
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  // Stopped before the ORM closes: the sweep under way finishes first.
  return async () => {
    clearInterval(timer);
    await sweeping;
  };
}
