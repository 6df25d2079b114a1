/** `topicstream produce <input> --topic T`: replays a JSON Lines file into Kafka (load generator). */
import { parseCommand, showHelp } from '../flags.js';
import { PRODUCE } from '../commandSpecs.js';
import { loadConfig } from '../../config/load.js';
import { createLogger } from '../../log/logger.js';
import { Partitioners } from 'kafkajs';
import { createKafka } from '../../kafka/client.js';
import { readRawLines } from '../../io/lines.js';
import { progressBar } from '../progress.js';

export async function run(argv: string[]): Promise<number> {
  const p = parseCommand(PRODUCE, argv);
  if (p.help) return showHelp(PRODUCE);
  const input = p.args.input;
  const config = loadConfig({ file: p.values.config, flags: p.config });
  const log = createLogger(config.log.level === 'info' ? 'warn' : config.log.level);
  const topic = config.kafka.topics.posts;
  const { rate, limit, batch: batchSize } = p.values;
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
