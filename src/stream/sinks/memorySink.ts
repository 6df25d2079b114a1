/** Keeps every published message in memory: for unit tests and for the HTTP API's recent events. */
import type { OutMessage, OutStream, Sink } from '../types.js';

export class MemorySink implements Sink {
  readonly name = 'memory';
  readonly messages: Record<OutStream, OutMessage[]> = { assignments: [], updates: [], events: [], dlq: [], models: [], history: [], embeddings: [] };

  async send(s: OutStream, messages: OutMessage[]): Promise<void> {
    this.messages[s].push(...messages);
  }

  values<T = Record<string, unknown>>(s: OutStream): T[] {
    return this.messages[s].map((m) => JSON.parse(m.value) as T);
  }

  async close(): Promise<void> {}
}

/** Sends every message to several sinks (e.g. Kafka and the console), durable when all are. */
export class TeeSink implements Sink {
  readonly name: string;
  constructor(private readonly sinks: Sink[]) {
    this.name = sinks.map((s) => s.name).join('+');
  }
  async send(s: OutStream, messages: OutMessage[]): Promise<void> {
    await Promise.all(this.sinks.map((k) => k.send(s, messages)));
  }
  async close(): Promise<void> {
    await Promise.all(this.sinks.map((k) => k.close()));
  }
}
