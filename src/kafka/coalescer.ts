/**
 * Merges the records that several partitions hand over at the same time into one call of the batch
 * handler (at most maxRecords), and runs up to `maxInFlight` such calls at once. kafkajs serves each
 * partition's batch on its own; one partition at a time, a service reading 3 partitions at half of
 * its saturation rate embedded 6 posts per call, at 120 posts/s instead of 240 for calls of 64, and
 * queued (docs/benchmarks.md, "Performance"). A second call in flight embeds its posts while the
 * first one's outputs are sent (the processor embeds a batch before it takes its turn).
 * Each submitter's promise settles with the handler call that held its records, so a partition's
 * offset is committed only once its records' outputs are durable, as before. A partition submits
 * its next records only once the last settled, so the calls in flight hold different partitions.
 */
import type { RawRecord } from '../stream/types.js';

interface Pending {
  records: RawRecord[];
  resolve(): void;
  reject(e: unknown): void;
}

export class BatchCoalescer {
  private readonly queue: Pending[] = [];
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly handle: (records: RawRecord[]) => Promise<void>,
    private readonly maxRecords: number,
    private readonly maxInFlight = 1,
  ) {}

  /** Resolves once the handler call holding these records resolved; rejects with its error. */
  submit(records: RawRecord[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      this.schedule();
    });
  }

  /** On the next turn, so that partitions handed over together go out together. */
  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.queue.length > 0 && this.inFlight < this.maxInFlight) void this.call(this.take());
    });
  }

  /** The oldest submissions that fit together in one call. */
  private take(): Pending[] {
    const take = [this.queue.shift()!];
    let n = take[0]!.records.length;
    while (this.queue.length > 0 && n + this.queue[0]!.records.length <= this.maxRecords) {
      const next = this.queue.shift()!;
      take.push(next);
      n += next.records.length;
    }
    return take;
  }

  private async call(take: Pending[]): Promise<void> {
    this.inFlight++;
    try {
      await this.handle(take.length === 1 ? take[0]!.records : take.flatMap((p) => p.records));
      for (const p of take) p.resolve();
    } catch (e) {
      for (const p of take) p.reject(e);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }
}
