/** `topicstream produce <input> --topic T`: replays a JSON Lines file into Kafka (load generator). */
import { parse, intFlag, numFlag, UsageError } from '../args.js';
import { loadConfig } from '../../config/load.js';
import { createLogger } from '../../log/logger.js';
import { Partitioners } from 'kafkajs';
import { createKafka } from '../../kafka/client.js';
import { readRawLines } from '../../io/lines.js';
import { progressBar } from '../progress.js';

export const USAGE = `Usage: topicstream produce <input.jsonl[.gz]> [--topic T] [options]

Replays a JSON Lines file into a Kafka topic, one message per line (value = the line as is, key =
its "id" field when the line is JSON with one). Lines are sent unchanged, even malformed ones, so
this also tests the service's dead-letter handling.

Options:
  --topic T        target topic (default: kafka.topics.posts, "posts")
  --brokers LIST   bootstrap servers (default from config / TOPICSTREAM_KAFKA_BROKERS)
  --rate N         messages per second (default: as fast as possible)
  --limit N        send at most N lines
  --batch N        messages per produce request (default 100)
  --config FILE    JSON config
  -h, --help       this help`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { topic: { type: 'string' }, brokers: { type: 'string' }, rate: { type: 'string' }, limit: { type: 'string' }, batch: { type: 'string' }, config: { type: 'string' } },
    USAGE,
  );
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const input = positionals[0];
  if (!input) throw new UsageError(`missing <input>\n\n${USAGE}`);
  const flags = values.brokers ? { kafka: { brokers: values.brokers.split(',').map((s) => s.trim()) } } : {};
  const config = loadConfig({ file: values.config, flags });
  const log = createLogger(config.log.level === 'info' ? 'warn' : config.log.level);
  const topic = values.topic ?? config.kafka.topics.posts;
  const rate = numFlag(values.rate, 'rate') ?? 0;
  const limit = intFlag(values.limit, 'limit', 1);
  const batchSize = intFlag(values.batch, 'batch', 1) ?? 100;
  const producer = createKafka(config.kafka, log, '-producer').producer({ allowAutoTopicCreation: true, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const bar = progressBar('produce', limit ?? 0);
  let sent = 0;
  const t0 = Date.now();
  let batch: Array<{ key: string | null; value: Buffer }> = [];
  const flush = async () => {
    if (!batch.length) return;
    await producer.send({ topic, acks: -1, messages: batch });
    sent += batch.length;
    batch = [];
    bar.update(sent, limit ?? sent);
    if (rate > 0) {
      const wait = t0 + (sent / rate) * 1000 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  };
  try {
    for await (const { bytes } of readRawLines(input)) {
      if (bytes.length === 0) continue;
      batch.push({ key: keyOf(bytes), value: Buffer.from(bytes) });
      if (batch.length >= batchSize) await flush();
      if (limit !== undefined && sent + batch.length >= limit) break;
    }
    await flush();
  } finally {
    await producer.disconnect();
  }
  bar.done();
  const secs = (Date.now() - t0) / 1000;
  process.stderr.write(`sent ${sent} messages to ${topic} in ${secs.toFixed(1)}s (${(sent / Math.max(secs, 1e-3)).toFixed(0)}/s)\n`);
  return 0;
}

function keyOf(bytes: Buffer): string | null {
  try {
    const v = JSON.parse(bytes.toString('utf8')) as { id?: unknown };
    return typeof v.id === 'string' || typeof v.id === 'number' ? String(v.id) : null;
  } catch {
    return null;
  }
}
