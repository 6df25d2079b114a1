/**
 * Kafka output: one producer; send() resolves when the broker acknowledged every message
 * (acks = all), which is what lets the source commit the input offsets afterwards. Messages are
 * keyed (document id, topic id), so a redelivery after a crash is harmless to consumers. A send is
 * cut into requests under kafka.maxOutputBytes, so many large DLQ records never make one request
 * the broker refuses; a single message over the limit is refused here, before it reaches the broker.
 * Broker failures come out as TransientError: the batch is retried, never dead-lettered.
 */
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { Config } from '../config/schema.js';
import type { OutMessage, OutStream, Sink } from '../stream/types.js';
import { chunkBySize } from '../stream/outputLimits.js';
import { OutputTooLargeError, TransientError, isTransient } from '../stream/errors.js';

export class KafkaSink implements Sink {
  readonly name = 'kafka';
  private readonly producer: Producer;
  private connected: Promise<void> | null = null;
  private readonly topicOf: Record<OutStream, string>;

  constructor(kafka: Kafka, topics: Config['kafka']['topics'], private readonly maxOutputBytes: number) {
    this.producer = kafka.producer({ allowAutoTopicCreation: true, createPartitioner: Partitioners.DefaultPartitioner });
    this.topicOf = { assignments: topics.assignments, updates: topics.updates, events: topics.events, dlq: topics.dlq, models: topics.models, history: topics.history, embeddings: topics.embeddings };
  }

  connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((e: unknown) => {
      this.connected = null;
      throw e;
    });
    return this.connected;
  }

  async send(stream: OutStream, messages: OutMessage[]): Promise<void> {
    if (!messages.length) return;
    const { chunks, tooLarge } = chunkBySize(messages, this.maxOutputBytes);
    if (tooLarge) throw new OutputTooLargeError(tooLarge.bytes, this.maxOutputBytes, stream);
    try {
      await this.connect();
      for (const chunk of chunks) {
        await this.producer.send({
          topic: this.topicOf[stream],
          acks: -1,
          messages: chunk.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
        });
      }
    } catch (e) {
      if (isTransient(e)) throw new TransientError(`publishing to ${this.topicOf[stream]} failed: ${(e as Error).message}`, { cause: e });
      throw e;
    }
  }

  async close(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
  }
}
