/**
 * Kafka input: a consumer in a consumer group. Offsets are committed by hand, and only after the
 * batch handler resolved (its outputs are durable): at-least-once. After a restart from a snapshot,
 * each partition is rewound to just after the last record the snapshot holds, so the window is
 * complete again without re-embedding what the snapshot already has.
 */
import type { Consumer, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { BatchHandler, RawRecord, Source } from '../stream/types.js';

export interface KafkaSourceOptions {
  topic: string;
  groupId: string;
  fromBeginning: boolean;
  /** the handler gets at most this many records at a time */
  batchSize: number;
}

export class KafkaSource implements Source {
  readonly name: string;
  private readonly consumer: Consumer;
  private connected = false;
  private readonly highWatermarks = new Map<number, bigint>();
  private readonly positions = new Map<number, bigint>();
  private stopping = false;

  constructor(kafka: Kafka, private readonly opts: KafkaSourceOptions, private readonly log: Logger) {
    this.name = `kafka:${opts.topic}`;
    this.consumer = kafka.consumer({ groupId: opts.groupId, sessionTimeout: 30_000, heartbeatInterval: 3_000, maxBytesPerPartition: 4 << 20 });
    this.consumer.on(this.consumer.events.CRASH, (e) => {
      this.connected = false;
      this.log.error({ err: e.payload.error }, 'Kafka consumer crashed');
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, (e) => this.log.info({ memberId: e.payload.memberId, assignment: e.payload.memberAssignment }, 'joined consumer group'));
  }

  ready(): boolean {
    return this.connected;
  }

  async start(onBatch: BatchHandler, resumeFrom?: Map<number, string>): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.opts.topic, fromBeginning: this.opts.fromBeginning });
    this.connected = true;
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        this.highWatermarks.set(batch.partition, BigInt(batch.highWatermark));
        const msgs = batch.messages;
        for (let i = 0; i < msgs.length && isRunning() && !isStale(); i += this.opts.batchSize) {
          const chunk = msgs.slice(i, i + this.opts.batchSize);
          const records: RawRecord[] = chunk.map((m) => ({
            topic: batch.topic,
            partition: batch.partition,
            offset: m.offset,
            key: m.key ?? null,
            value: m.value ?? null,
            timestamp: Number(m.timestamp),
          }));
          await onBatch(records);
          const last = chunk[chunk.length - 1]!.offset;
          resolveOffset(last);
          const next = (BigInt(last) + 1n).toString();
          await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
          this.positions.set(batch.partition, BigInt(next));
          await heartbeat();
        }
      },
    });
    if (resumeFrom) {
      for (const [partition, offset] of resumeFrom) {
        const next = (BigInt(offset) + 1n).toString();
        this.consumer.seek({ topic: this.opts.topic, partition, offset: next });
        this.log.info({ partition, offset: next }, 'resuming after the snapshot');
      }
    }
  }

  finished(): Promise<void> {
    return new Promise(() => undefined); // a Kafka topic never ends
  }

  async lag(): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    for (const [p, hw] of this.highWatermarks) {
      const pos = this.positions.get(p) ?? 0n;
      out.set(p, Number(hw > pos ? hw - pos : 0n));
    }
    return out;
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.connected = false;
    await this.consumer.disconnect();
  }
}
