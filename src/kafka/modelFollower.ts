/**
 * Follower instances read the compacted models topic from the start (a consumer group of their
 * own, so every follower sees every model) and hand each model to the processor.
 */
import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { parseModelMessage, type PublishedModel } from '../stream/model/modelMessage.js';

export class ModelFollower {
  private readonly consumer: Consumer;

  constructor(kafka: Kafka, private readonly topic: string, groupPrefix: string, private readonly log: Logger) {
    this.consumer = kafka.consumer({ groupId: `${groupPrefix}-model-follower-${randomUUID()}`, maxWaitTimeInMs: 1000 });
  }

  async start(onModel: (m: PublishedModel) => void): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        if (!message.value) return;
        try {
          onModel(parseModelMessage(message.value));
        } catch (e) {
          this.log.warn({ err: e, offset: message.offset }, 'skipping an unreadable model message');
        }
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
