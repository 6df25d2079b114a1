/**
 * Poison input never blocks a partition (docs/design.md, "Poison input"): a batch that fails for a
 * reason other than the infrastructure is split into its records; a record that fails `attempts`
 * times in a row is dead-lettered with its error. Transient failures (broker away) go back to the
 * source, which delivers the batch again: nothing is dead-lettered for an outage.
 */
import type { Logger } from 'pino';
import type { RawRecord } from './types.js';
import { isTransient } from './errors.js';

export interface RetryPolicy {
  attempts: number;
  log: Logger;
  /** true while stopping: failures then go back to the source as they are */
  stopping(): boolean;
}

export async function handleWithRetry(
  records: RawRecord[],
  run: (records: RawRecord[]) => Promise<void>,
  deadLetter: (rec: RawRecord, error: unknown, attempts: number) => Promise<void>,
  policy: RetryPolicy,
): Promise<void> {
  try {
    await run(records);
  } catch (e) {
    if (isTransient(e) || policy.stopping()) throw e;
    if (records.length > 1) {
      policy.log.warn({ err: e, partition: records[0]!.partition, from: records[0]!.offset, records: records.length }, 'a batch failed; handling its records one at a time');
      for (const r of records) await handleWithRetry([r], run, deadLetter, policy);
      return;
    }
    const rec = records[0]!;
    let last = e;
    for (let attempt = 2; attempt <= policy.attempts; attempt++) {
      try {
        await run([rec]);
        return;
      } catch (err) {
        if (isTransient(err) || policy.stopping()) throw err;
        last = err;
      }
    }
    policy.log.error({ err: last, partition: rec.partition, offset: rec.offset, attempts: policy.attempts }, 'a record failed every attempt; sending it to the DLQ');
    await deadLetter(rec, last, policy.attempts);
  }
}
