/**
 * Kafka output: one producer; send() resolves when the broker acknowledged every message
 * (acks = all), which is what lets the source commit the input offsets afterwards. Messages are
 * keyed (document id, topic id), so a redelivery after a crash is harmless to consumers.
 */
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { Config } from '../config/schema.js';
import type { OutMessage, OutStream, Sink } from '../stream/types.js';

export class KafkaSink implements Sink {
  readonly name = 'kafka';
  private readonly producer: Producer;
  private connected: Promise<void> | null = null;
  private readonly topicOf: Record<OutStream, string>;

  constructor(kafka: Kafka, topics: Config['kafka']['topics']) {
    this.producer = kafka.producer({ allowAutoTopicCreation: true, createPartitioner: Partitioners.DefaultPartitioner });
    this.topicOf = { assignments: topics.assignments, updates: topics.updates, events: topics.events, dlq: topics.dlq, models: topics.models };
  }

  connect(): Promise<void> {
    return (this.connected ??= this.producer.connect());
  }

  async send(stream: OutStream, messages: OutMessage[]): Promise<void> {
    if (!messages.length) return;
    await this.connect();
    await this.producer.send({
      topic: this.topicOf[stream],
      acks: -1,
      messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
    });
  }

  async close(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
  }
}
