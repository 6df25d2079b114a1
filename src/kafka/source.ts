/**
 * Kafka input: a consumer in a consumer group. Offsets are committed by hand, and only after the
 * batch handler resolved (its outputs are durable): at-least-once. After a restart from a snapshot,
 * each partition is rewound to just after the last record the snapshot holds, so the window is
 * complete again without re-embedding what the snapshot already has.
 *
 * Supervision: kafkajs restarts its consumer after retriable failures; after any other crash (or a
 * broker that is away at start) this source starts a fresh consumer itself, with backoff, until it
 * is stopped. `ready()` follows the consumer's real state: true while it is in the group and the
 * broker answers (a fetch, heartbeat or commit within the last SIGN_OF_LIFE_MS), false from a crash,
 * a disconnect or a silent broker until it answers again.
 */
import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { BatchHandler, RawRecord, Source } from '../stream/types.js';
import { TransientError, errorMessage, isTransient } from '../stream/errors.js';
import { BatchCoalescer } from './coalescer.js';

export interface KafkaSourceOptions {
  topic: string;
  groupId: string;
  fromBeginning: boolean;
  /** the handler gets at most this many records at a time */
  batchSize: number;
}

/** Backoff of our own consumer restarts: doubling from the first, capped. */
const RELAUNCH_FIRST_MS = 1000;
const RELAUNCH_MAX_MS = 30_000;
/** Without an answer from the broker for this long, the source is not ready (fetches return at least every second). */
const SIGN_OF_LIFE_MS = 12_000;
/**
 * Handler calls at once (coalescer.ts). 2 lets the second batch embed while the first one's outputs
 * are sent: 230-244 instead of 223 posts/s at saturation, but at half of saturation fewer posts per
 * call and a p99 of 155-308 ms instead of 114 ms (docs/benchmarks.md, "Performance (issue 12)").
 */
const BATCHES_IN_FLIGHT = 1;
/** Partitions whose fetched batches are handled at once (merged by the coalescer into calls of at most batchSize records). */
const PARTITIONS_AT_ONCE = 16;

export class KafkaSource implements Source {
  readonly name: string;
  private consumer: Consumer | null = null;
  private readonly admin: Admin;
  private adminConnected: Promise<void> | null = null;
  private inGroup = false;
  private lastSignOfLife = 0;
  private stopping = false;
  private coalescer: BatchCoalescer | null = null;
  /** snapshot offsets still to seek to (until that partition commits once) */
  private readonly pendingSeek = new Map<number, string>();
  private relaunchTimer?: NodeJS.Timeout;
  private relaunchDelay = RELAUNCH_FIRST_MS;

  constructor(private readonly kafka: Kafka, private readonly opts: KafkaSourceOptions, private readonly log: Logger) {
    this.name = `kafka:${opts.topic}`;
    this.admin = kafka.admin();
  }

  ready(): boolean {
    return this.inGroup && !this.stopping && Date.now() - this.lastSignOfLife < SIGN_OF_LIFE_MS;
  }

  async start(onBatch: BatchHandler, resumeFrom?: Map<number, string>): Promise<void> {
    this.coalescer = new BatchCoalescer(onBatch, this.opts.batchSize, BATCHES_IN_FLIGHT);
    for (const [p, o] of resumeFrom ?? []) this.pendingSeek.set(p, o);
    await this.launch();
  }

  /** Starts a fresh consumer; on failure, schedules another try. */
  private async launch(): Promise<void> {
    if (this.stopping) return;
    const c = this.createConsumer();
    this.consumer = c;
    try {
      await c.connect();
      await c.subscribe({ topic: this.opts.topic, fromBeginning: this.opts.fromBeginning });
      // partitions are handled side by side and their records merged into one handler call (coalescer.ts)
      await c.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: PARTITIONS_AT_ONCE, eachBatch: (p) => this.eachBatch(p) });
      for (const [partition, offset] of this.pendingSeek) {
        const next = (BigInt(offset) + 1n).toString();
        c.seek({ topic: this.opts.topic, partition, offset: next });
        this.log.info({ partition, offset: next }, 'resuming after the snapshot');
      }
    } catch (e) {
      this.log.warn({ err: e, retryInMs: this.relaunchDelay }, 'Kafka consumer could not start; retrying');
      this.scheduleRelaunch(c);
    }
  }

  private createConsumer(): Consumer {
    // maxWaitTimeInMs bounds how long a stop waits for the fetch in flight
    const c = this.kafka.consumer({
      groupId: this.opts.groupId,
      // short, so a consumer that lost its session (broker restart) is replaced in the group quickly;
      // heartbeats go on while a batch is handled, so a slow batch does not cost the session
      sessionTimeout: 15_000,
      heartbeatInterval: 3_000,
      maxBytesPerPartition: 4 << 20,
      maxWaitTimeInMs: 1000,
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10_000, restartOnFailure: async () => !this.stopping },
    });
    const ev = c.events;
    const alive = () => {
      if (this.consumer === c) this.lastSignOfLife = Date.now();
    };
    c.on(ev.FETCH, alive);
    c.on(ev.HEARTBEAT, alive);
    c.on(ev.COMMIT_OFFSETS, alive);
    c.on(ev.GROUP_JOIN, (e) => {
      this.inGroup = true;
      alive();
      this.relaunchDelay = RELAUNCH_FIRST_MS;
      this.log.info({ memberId: e.payload.memberId, assignment: e.payload.memberAssignment }, 'joined consumer group');
    });
    c.on(ev.CRASH, (e) => {
      this.inGroup = false;
      const restart = (e.payload as { restart?: boolean }).restart === true;
      this.log.error({ err: e.payload.error, restart }, restart ? 'Kafka consumer crashed; kafkajs restarts it' : 'Kafka consumer crashed; starting a new one');
      if (!restart) this.scheduleRelaunch(c);
    });
    c.on(ev.DISCONNECT, () => {
      if (this.consumer === c) this.inGroup = false;
    });
    c.on(ev.STOP, () => {
      if (this.consumer === c) this.inGroup = false;
    });
    return c;
  }

  private scheduleRelaunch(old: Consumer): void {
    if (this.stopping || this.relaunchTimer) return;
    const delay = this.relaunchDelay;
    this.relaunchDelay = Math.min(RELAUNCH_MAX_MS, this.relaunchDelay * 2);
    this.relaunchTimer = setTimeout(() => {
      this.relaunchTimer = undefined;
      void old.disconnect().catch(() => undefined).then(() => this.launch());
    }, delay);
  }

  private async eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const msgs = batch.messages;
    const consumer = this.consumer!;
    for (let i = 0; i < msgs.length && isRunning() && !isStale() && !this.stopping; i += this.opts.batchSize) {
      const chunk = msgs.slice(i, i + this.opts.batchSize);
      const records: RawRecord[] = chunk.map((m) => ({
        topic: batch.topic,
        partition: batch.partition,
        offset: m.offset,
        key: m.key ?? null,
        value: m.value ?? null,
        timestamp: Number(m.timestamp),
      }));
      const beat = setInterval(() => void heartbeat().catch(() => undefined), 3000);
      try {
        await this.coalescer!.submit(records);
      } catch (e) {
        // whatever failed, the consumer must live on and deliver the batch again (never stop for good)
        throw isTransient(e) ? e : new TransientError(`batch handler failed: ${errorMessage(e)}`, { cause: e });
      } finally {
        clearInterval(beat);
      }
      const last = chunk[chunk.length - 1]!.offset;
      resolveOffset(last);
      const next = (BigInt(last) + 1n).toString();
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
      this.pendingSeek.delete(batch.partition);
      await heartbeat();
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
    this.adminConnected ??= this.admin.connect().catch((e: unknown) => {
      this.adminConnected = null;
      throw e;
    });
    await this.adminConnected;
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

  /** Leaves the group. With the broker away this can hang: the service bounds it (stream.stopTimeoutSeconds). */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.inGroup = false;
    if (this.relaunchTimer) clearTimeout(this.relaunchTimer);
    await Promise.all([this.consumer?.disconnect(), this.adminConnected ? this.admin.disconnect().catch(() => undefined) : undefined]);
  }
}
