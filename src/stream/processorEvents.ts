/**
 * What the processor reports as it works (as kafkajs' instrumentation events): metrics, the status
 * API and the console listen; the processor never reaches into them.
 */
import type { RejectReason } from '../io/validate.js';
import type { RefitSummary } from './refit/summary.js';

export interface BatchEvent {
  /** records handled (valid or not) */
  records: number;
  /** new documents assigned and added to the window */
  assigned: number;
  /** of those, assigned to the outlier topic */
  outliers: number;
  /** new documents the vote made outliers that outlier reduction gave a topic (stream.assign.reduceOutliers; not in `outliers`) */
  outliersReduced: number;
  /** redeliveries answered again */
  duplicates: number;
  /** dead-lettered records, one reason each */
  rejected: RejectReason[];
  /** seconds from each new document's record timestamp until its assignment was durable */
  latencies: number[];
  /** embedding wall time and batch size, when something was embedded */
  embed?: { seconds: number; docs: number };
  windowDocs: number;
}

export interface ProcessorEvents {
  batch: [BatchEvent];
  refit: [RefitSummary & { reassigned: number }];
  refitFailed: [{ error: unknown }];
  modelAdopted: [{ version: number; topics: number }];
  role: [{ owner: boolean }];
}

/** Running totals kept from the events, for the status API and the console. */
export class ProcessorStats {
  consumed = 0;
  invalid = 0;
  duplicates = 0;
  assigned = 0;
  refitFailures = 0;
  lastRefit: RefitSummary | undefined;

  onBatch(e: BatchEvent): void {
    this.consumed += e.records;
    this.invalid += e.rejected.length;
    this.duplicates += e.duplicates;
    this.assigned += e.assigned;
  }

  totals(): { consumed: number; invalid: number; duplicates: number; assigned: number } {
    return { consumed: this.consumed, invalid: this.invalid, duplicates: this.duplicates, assigned: this.assigned };
  }
}
