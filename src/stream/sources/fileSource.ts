/**
 * Replays a JSON Lines file (optionally gzipped) as a stream: one partition, the line number as
 * the offset, batches of up to `batchSize` lines, optionally throttled to `rate` lines per second.
 * This is the embedded default of `topicstream run --input FILE`: no broker needed.
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

  constructor(private readonly file: string, private readonly opts: FileSourceOptions) {
    this.name = `file:${path.basename(file)}`;
  }

  ready(): boolean {
    return this.started && !this.stopped;
  }

  async start(onBatch: BatchHandler, resumeFrom?: Map<number, string>): Promise<void> {
    const skipThrough = Number(resumeFrom?.get(0) ?? 0);
    this.started = true;
    this.done = this.pump(onBatch, skipThrough);
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
        sent += batch.length;
        batch = [];
        if (this.opts.rate > 0) {
          const due = t0 + (sent / this.opts.rate) * 1000;
          const wait = due - Date.now();
          if (wait > 0) await sleep(wait);
        }
      }
    }
    if (batch.length && !this.stopped) await onBatch(batch);
  }

  finished(): Promise<void> {
    return this.done;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done.catch(() => undefined);
  }
}
