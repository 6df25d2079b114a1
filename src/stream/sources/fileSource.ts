/**
 * Replays a JSON Lines file (optionally gzipped) as a stream: one partition, the line number as
 * the offset, batches of up to `batchSize` lines, optionally throttled to `rate` lines per second.
 * This is the embedded default of `topicstream run --input FILE`: no broker needed. Its lag is the
 * lines not yet handled, once a second pass has counted the file's lines (in the background).
 */
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readRawLines } from '../../io/lines.js';
import type { BatchHandler, RawRecord, Source } from '../types.js';

export interface FileSourceOptions {
  batchSize: number;
  /** lines per second; 0 = as fast as the handler takes them */
  rate: number;
}

export class FileSource implements Source {
  readonly name: string;
  private stopped = false;
  private done: Promise<void> = Promise.resolve();
  private started = false;
  /** the file's last line number, once counted */
  private lastLine: number | undefined;
  /** the last line whose batch was handled */
  private handledThrough = 0;

  constructor(private readonly file: string, private readonly opts: FileSourceOptions) {
    this.name = `file:${path.basename(file)}`;
  }

  ready(): boolean {
    return this.started && !this.stopped;
  }

  async start(onBatch: BatchHandler, resumeFrom?: Map<number, string>): Promise<void> {
    const skipThrough = Number(resumeFrom?.get(0) ?? 0);
    this.started = true;
    this.handledThrough = skipThrough;
    this.done = this.pump(onBatch, skipThrough);
    void this.countLines();
  }

  private async countLines(): Promise<void> {
    let last = 0;
    try {
      for await (const { lineNo } of readRawLines(this.file)) {
        if (this.stopped) return;
        last = lineNo;
      }
      this.lastLine = last;
    } catch {
      // the replay reports a file it cannot read; the lag stays unknown
    }
  }

  /** Lines behind the end of the file (partition 0); undefined until the file is counted. */
  async lag(): Promise<Map<number, number> | undefined> {
    return this.lastLine === undefined ? undefined : new Map([[0, Math.max(0, this.lastLine - this.handledThrough)]]);
  }

  private async pump(onBatch: BatchHandler, skipThrough: number): Promise<void> {
    const topic = path.basename(this.file);
    let batch: RawRecord[] = [];
    const t0 = Date.now();
    let sent = 0;
    for await (const { lineNo, bytes } of readRawLines(this.file)) {
      if (this.stopped) return;
      if (lineNo <= skipThrough || bytes.length === 0) continue;
      batch.push({ topic, partition: 0, offset: String(lineNo), key: null, value: Buffer.from(bytes), timestamp: Date.now() });
      if (batch.length >= this.opts.batchSize) {
        await onBatch(batch);
        this.handledThrough = lineNo;
        sent += batch.length;
        batch = [];
        if (this.opts.rate > 0) {
          const due = t0 + (sent / this.opts.rate) * 1000;
          const wait = due - Date.now();
          if (wait > 0) await sleep(wait);
        }
      }
    }
    if (batch.length && !this.stopped) {
      await onBatch(batch);
      this.handledThrough = Number(batch[batch.length - 1]!.offset);
    }
    if (!this.stopped) this.handledThrough = Number.POSITIVE_INFINITY; // read to the end: no lag
  }

  finished(): Promise<void> {
    return this.done;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done.catch(() => undefined);
  }
}
