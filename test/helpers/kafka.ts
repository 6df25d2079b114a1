// A real Kafka broker for integration tests: reuse one that runs (KAFKA_BROKERS, or whatever listens
// on 127.0.0.1:KAFKA_PORT), else start one with scripts/kafka/up.mjs and stop it when this process
// exits. Plus small kafkajs helpers: unique topics, producing, reading a topic to its end.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import path from 'node:path';
import { Kafka, logLevel, Partitioners, type IHeaders, type ITopicConfig, type Message } from 'kafkajs';
import { ROOT } from './paths.js';

const UP_SCRIPT = path.join(ROOT, 'scripts', 'kafka', 'up.mjs');
const DOWN_SCRIPT = path.join(ROOT, 'scripts', 'kafka', 'down.mjs');
const HOST = '127.0.0.1';

export interface KafkaEnv {
  brokers: string[];
}

function isListening(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/** Runs the up script; resolves with its output, rejects (with the output) when it fails. */
function runUpScript(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [UP_SCRIPT], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
      // stderr, not stdout: the test runner may read a test file's stdout as its report.
      process.stderr.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`scripts/kafka/up.mjs failed (exit ${code}):\n${output}`));
    });
  });
}

/** Waits until an admin client can list topics: an open port alone does not mean a ready broker. */
async function waitUntilServing(brokers: string[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const admin = new Kafka({ clientId: 'topicstream-test-probe', brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
    try {
      await admin.connect();
      await admin.listTopics();
      return;
    } catch (err) {
      if (Date.now() >= deadline) {
        throw new Error(`something listens on ${brokers.join(',')} but does not answer as Kafka within ${timeoutMs} ms: ${(err as Error).message}`);
      }
    } finally {
      await admin.disconnect().catch(() => {});
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

let stopRegistered = false;

/** Stops the broker at process exit, and on SIGINT/SIGTERM (which would skip 'exit' handlers). */
function stopAtExit(): void {
  if (stopRegistered) return;
  stopRegistered = true;
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    // 'exit' handlers must be synchronous, hence spawnSync.
    spawnSync(process.execPath, [DOWN_SCRIPT], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  };
  process.once('exit', stop);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      stop();
      process.kill(process.pid, sig); // our listener is gone now: the default action ends the process
    });
  }
}

async function resolveKafka(): Promise<KafkaEnv> {
  const fromEnv = process.env.KAFKA_BROKERS;
  if (fromEnv) {
    const brokers = fromEnv.split(',').map((b) => b.trim()).filter(Boolean);
    if (brokers.length === 0) throw new Error(`KAFKA_BROKERS="${fromEnv}" names no broker`);
    return { brokers };
  }
  const port = Number(process.env.KAFKA_PORT || 9092);
  const brokers = [`${HOST}:${port}`];
  if (await isListening(HOST, port)) {
    await waitUntilServing(brokers); // it may be a broker still starting (another process's kafka:up)
    return { brokers };
  }
  const output = await runUpScript();
  // The up script also succeeds when another process started the broker meanwhile; only the one
  // that really started it stops it.
  if (output.includes(BROKER_STARTED)) stopAtExit();
  return { brokers };
}

/** What scripts/kafka/up.mjs prints only when it started the broker itself (not when one already answered). */
export const BROKER_STARTED = 'kafka:up: ready:';

let ensured: Promise<KafkaEnv> | undefined;

/**
 * The brokers of a running Kafka: KAFKA_BROKERS (comma separated) if set; else 127.0.0.1:KAFKA_PORT
 * (9092), started with scripts/kafka/up.mjs if nothing listens there, and then stopped when this
 * process exits. Called many times, starts at most once.
 */
export function ensureKafka(): Promise<KafkaEnv> {
  ensured ??= resolveKafka().catch((err: unknown) => {
    ensured = undefined; // let a later call try again
    throw err;
  });
  return ensured;
}

/**
 * Fetch long-poll for test consumers. kafkajs' disconnect() waits for the fetch in flight, and
 * its default (5 s) made every consumer stop take 5 s; tests stop consumers often.
 */
export const TEST_FETCH_WAIT_MS = 200;

/** A kafkajs client with quiet logging (errors only) and a recognisable client id. */
export function kafkaClient(brokers: string[], clientId = 'topicstream-test'): Kafka {
  return new Kafka({ clientId, brokers, logLevel: logLevel.ERROR, retry: { retries: 5 } });
}

/** A name no earlier test run used: `<prefix>-<time>-<random>`. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export interface CreateTopicOptions {
  /** The topic's name; default: the prefix (default "test") with a time stamp and random suffix. */
  name?: string;
  prefix?: string;
  partitions?: number;
  configEntries?: ITopicConfig['configEntries'];
}

/**
 * Creates a topic (uniquely named unless a name is given) and waits until its partitions have leaders;
 * returns its name. The wait is ours: kafkajs' waitForLeaders retries only "leader not available",
 * and a broker with many topics can answer "unknown topic" for a moment after creating one.
 */
export async function createTopic(brokers: string[], opts: CreateTopicOptions = {}): Promise<string> {
  const topic = opts.name ?? uniqueName(opts.prefix ?? 'test');
  const partitions = opts.partitions ?? 3;
  const admin = kafkaClient(brokers).admin();
  await admin.connect();
  try {
    const created = await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1, configEntries: opts.configEntries }], waitForLeaders: false });
    if (!created) throw new Error(`topic ${topic} already existed`);
    const until = Date.now() + 60_000;
    for (;;) {
      const meta = await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined);
      const parts = meta?.topics[0]?.partitions ?? [];
      if (parts.length === partitions && parts.every((x) => x.leader >= 0)) return topic;
      if (Date.now() > until) throw new Error(`topic ${topic}: partitions without a leader after 60 s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await admin.disconnect();
  }
}

/** Deletes topics (cleanup); missing topics are not an error. */
export async function deleteTopics(brokers: string[], topics: string[]): Promise<void> {
  const admin = kafkaClient(brokers).admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics }).catch(() => {});
  } finally {
    await admin.disconnect();
  }
}

/** Produces messages with acks from all replicas and the default (murmur2, Java-compatible) partitioner. */
export async function produceMessages(brokers: string[], topic: string, messages: Message[]): Promise<void> {
  const producer = kafkaClient(brokers).producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, messages, acks: -1 });
  } finally {
    await producer.disconnect();
  }
}

export interface ConsumedMessage {
  partition: number;
  /** Kafka offsets are 64-bit; kafkajs keeps them as decimal strings. */
  offset: string;
  key: string | null;
  value: string | null;
  headers: IHeaders;
  timestamp: string;
}

export interface ConsumeOptions {
  /** Consumer group; default a fresh unique one (so reading starts at the beginning). */
  groupId?: string;
  /** Stop once this is true of everything read so far; default: once every partition is read to
   *  the end offset it had when consuming began. */
  until?: (messages: ConsumedMessage[]) => boolean;
  /** Default 30 s. */
  timeoutMs?: number;
  /** What a timeout does: reject (default) or resolve with the messages read so far. */
  onTimeout?: 'reject' | 'resolve';
  /** Where a group without committed offsets starts; default true (the earliest offset). */
  fromBeginning?: boolean;
  /** Commit the offsets of what was read before leaving the group; default false. */
  commit?: boolean;
}

/** Per partition, the next offset this group will read, and the end offset to reach. */
async function startAndEnd(kafka: Kafka, topic: string, groupId: string, fromBeginning: boolean): Promise<Map<number, { next: bigint; end: bigint }>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committedAt = new Map((committed?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
    const out = new Map<number, { next: bigint; end: bigint }>();
    for (const e of ends) {
      const c = committedAt.get(e.partition) ?? -1n; // -1: nothing committed
      const next = c >= 0n ? c : BigInt(fromBeginning ? e.low : e.high);
      out.set(e.partition, { next, end: BigInt(e.high) });
    }
    return out;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Reads a topic in a consumer group until `until` holds (default: every partition read to its
 * end offset as of the call) or the timeout; returns the messages in the order received
 * (ordered within each partition). Keys and values are decoded as UTF-8.
 */
export async function consumeAll(brokers: string[], topic: string, opts: ConsumeOptions = {}): Promise<ConsumedMessage[]> {
  const kafka = kafkaClient(brokers);
  const groupId = opts.groupId ?? uniqueName('test-reader');
  const fromBeginning = opts.fromBeginning ?? true;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const messages: ConsumedMessage[] = [];

  let until = opts.until;
  if (!until) {
    const positions = await startAndEnd(kafka, topic, groupId, fromBeginning);
    const atEnd = (): boolean => [...positions.values()].every((p) => p.next >= p.end);
    until = (msgs) => {
      const last = msgs.at(-1);
      const pos = last && positions.get(last.partition);
      if (pos) pos.next = BigInt(last.offset) + 1n;
      return atEnd();
    };
  }
  if (until(messages)) return messages; // nothing to wait for: do not even join the group

  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: TEST_FETCH_WAIT_MS });
  const nextOffsets = new Map<number, bigint>();
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    finish();
  }, timeoutMs);

  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning });
    const done = until;
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        messages.push({
          partition,
          offset: message.offset,
          key: message.key ? message.key.toString('utf8') : null,
          value: message.value ? message.value.toString('utf8') : null,
          headers: message.headers ?? {},
          timestamp: message.timestamp,
        });
        nextOffsets.set(partition, BigInt(message.offset) + 1n);
        if (done(messages)) finish();
      },
    });
    await finished;
    if (opts.commit && nextOffsets.size > 0) {
      await consumer.commitOffsets([...nextOffsets].map(([partition, next]) => ({ topic, partition, offset: next.toString() })));
    }
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  if (timedOut && opts.onTimeout !== 'resolve') {
    throw new Error(`consumeAll(${topic}): timed out after ${timeoutMs} ms with ${messages.length} messages read`);
  }
  return messages;
}
