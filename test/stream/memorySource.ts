/** A Source fed by the test: push batches, see what the service asked to resume from. */
import type { BatchHandler, RawRecord, Source } from '../../src/stream/types.js';

export class MemorySource implements Source {
  readonly name = 'memory:posts';
  handler?: BatchHandler;
  resumeFrom?: Map<number, string>;
  private stopped = false;
  async start(onBatch: BatchHandler, resumeFrom?: Map<number, string>): Promise<void> {
    this.handler = onBatch;
    this.resumeFrom = resumeFrom;
  }
  async push(records: RawRecord[]): Promise<void> {
    await this.handler!(records);
  }
  finished(): Promise<void> {
    return Promise.resolve();
  }
  ready(): boolean {
    return Boolean(this.handler) && !this.stopped;
  }
  async stop(): Promise<void> {
    this.stopped = true;
  }
}
