/**
 * Kafka input: a consumer in a consumer group. Offsets are committed by hand, and only after the
 * batch handler resolved (its outputs are durable): at-least-once. After a restart from a snapshot,
 * each partition is rewound to just after the last record the snapshot holds, so the window is
 * complete again without re-embedding what the snapshot already has.
 */
import type { Admin, Consumer, Kafka } from 'kafkajs';
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
  private readonly admin: Admin;
  private adminConnected: Promise<void> | null = null;
  private connected = false;
  private stopping = false;

  constructor(kafka: Kafka, private readonly opts: KafkaSourceOptions, private readonly log: Logger) {
    this.name = `kafka:${opts.topic}`;
    this.admin = kafka.admin();
    // maxWaitTimeInMs bounds how long a stop waits for the fetch in flight
    this.consumer = kafka.consumer({ groupId: opts.groupId, sessionTimeout: 30_000, heartbeatInterval: 3_000, maxBytesPerPartition: 4 << 20, maxWaitTimeInMs: 1000 });
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

  /**
   * The consumer group's lag per partition of the input topic, from the broker: end offset minus
   * committed offset (minus the start offset where nothing is committed yet). Every partition is
   * reported, also those another instance of the group holds, so max() over instances is the lag.
   */
  async lag(): Promise<Map<number, number>> {
    await (this.adminConnected ??= this.admin.connect());
    const [ends, committed] = await Promise.all([
      this.admin.fetchTopicOffsets(this.opts.topic),
      this.admin.fetchOffsets({ groupId: this.opts.groupId, topics: [this.opts.topic] }),
    ]);
    const done = new Map<number, bigint>();
    for (const t of committed) for (const p of t.partitions) if (Number(p.offset) >= 0) done.set(p.partition, BigInt(p.offset));
    const out = new Map<number, number>();
    for (const e of ends) {
      const pos = done.get(e.partition) ?? BigInt(e.low);
      const high = BigInt(e.high);
      out.set(e.partition, Number(high > pos ? high - pos : 0n));
    }
    return out;
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.connected = false;
    await this.consumer.disconnect();
    if (this.adminConnected) await this.admin.disconnect().catch(() => undefined);
  }
}
