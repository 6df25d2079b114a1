/**
 * Writes each output stream to its own JSON Lines file in a folder (assignments.jsonl,
 * updates.jsonl, events.jsonl, dlq.jsonl): the sink of `run --input` when there is no broker.
 * Each line is {"key": ..., "value": <the payload object>}.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { OutMessage, OutStream, Sink } from '../types.js';

export class JsonlSink implements Sink {
  readonly name: string;
  private readonly files = new Map<OutStream, WriteStream>();

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.name = `jsonl:${dir}`;
  }

  private stream(s: OutStream): WriteStream {
    let w = this.files.get(s);
    if (!w) this.files.set(s, (w = createWriteStream(path.join(this.dir, `${s}.jsonl`), { flags: 'a' })));
    return w;
  }

  async send(s: OutStream, messages: OutMessage[]): Promise<void> {
    if (!messages.length) return;
    const text = messages.map((m) => `{"key":${JSON.stringify(m.key)},"value":${m.value}}\n`).join('');
    const w = this.stream(s);
    await new Promise<void>((resolve, reject) => w.write(text, (e) => (e ? reject(e) : resolve())));
  }

  async close(): Promise<void> {
    await Promise.all([...this.files.values()].map((w) => new Promise<void>((r) => w.end(r))));
    this.files.clear();
  }
}
