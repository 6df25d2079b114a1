/**
 * Merges the records that several partitions hand over at the same time into one call of the batch
 * handler (at most maxRecords). kafkajs serves each partition's batch on its own; one partition at a
 * time, a service reading 3 partitions at half of its saturation rate embedded 6 posts per call, at
 * 120 posts/s instead of 240 for calls of 64, and queued (docs/benchmarks.md, "Performance").
 * Each submitter's promise settles with the handler call that held its records, so a partition's
 * offset is committed only once its records' outputs are durable, as before.
 */
import type { RawRecord } from '../stream/types.js';

interface Pending {
  records: RawRecord[];
  resolve(): void;
  reject(e: unknown): void;
}

export class BatchCoalescer {
  private readonly queue: Pending[] = [];
  private draining = false;

  constructor(
    private readonly handle: (records: RawRecord[]) => Promise<void>,
    private readonly maxRecords: number,
  ) {}

  /** Resolves once the handler call holding these records resolved; rejects with its error. */
  submit(records: RawRecord[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      if (this.draining) return;
      this.draining = true;
      // on the next turn, so that partitions handed over together go out together
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const take = [this.queue.shift()!];
      let n = take[0]!.records.length;
      while (this.queue.length > 0 && n + this.queue[0]!.records.length <= this.maxRecords) {
        const next = this.queue.shift()!;
        take.push(next);
        n += next.records.length;
      }
      try {
        await this.handle(take.length === 1 ? take[0]!.records : take.flatMap((p) => p.records));
        for (const p of take) p.resolve();
      } catch (e) {
        for (const p of take) p.reject(e);
      }
    }
    this.draining = false;
  }
}
