// Shared parts of the fault suite: a Kafka broker of the suite's own (its own port and data folder,
// so stopping it never disturbs the broker other tests use), the service's status and metrics over
// HTTP, and reading an output topic to its end after the fact.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Message } from 'kafkajs';
import { ROOT } from '../helpers/paths.js';
import { BROKER_STARTED, consumeAll, kafkaClient } from '../helpers/kafka.js';
import { Partitioners } from 'kafkajs';

const SCRIPTS = path.join(ROOT, 'scripts', 'kafka');

/** A broker this suite may stop and start: scripts/kafka/up.mjs and down.mjs with a port and folder of its own. */
export class OwnBroker {
  readonly brokers: string[];
  private readonly env: NodeJS.ProcessEnv;
  readonly dataDir: string;

  constructor(port: number) {
    this.dataDir = mkdtempSync(path.join(os.tmpdir(), `topicstream-fault-broker-${port}-`));
    this.brokers = [`127.0.0.1:${port}`];
    this.env = { ...process.env, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(port + 1), KAFKA_DATA_DIR: this.dataDir, KAFKA_NUM_PARTITIONS: '3' };
  }

  /** Starts it; fails if something else already answers on its port (stopping that would not be an outage). */
  async up(): Promise<void> {
    const out = await this.script('up.mjs');
    if (!out.includes(BROKER_STARTED)) {
      throw new Error(`${this.brokers[0]} is already served by a broker this suite did not start (left over from an earlier run?); stop it and run again:\n${out}`);
    }
  }

  async down(): Promise<void> {
    await this.script('down.mjs');
  }

  async remove(): Promise<void> {
    await this.down().catch(() => undefined);
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Runs one of the broker scripts; resolves with what it printed. */
  private script(name: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(SCRIPTS, name)], { cwd: ROOT, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      child.once('error', reject);
      child.once('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${name} failed (exit ${code}):\n${out}`))));
    });
  }
}

export async function httpGet(port: number, urlPath: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${urlPath}`, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, text: await res.text() };
}

export interface Status {
  consumed: number;
  assigned: number;
  invalid: number;
  duplicates: number;
  model_version: number;
  window_docs: number;
}

export async function status(port: number): Promise<Status> {
  const r = await httpGet(port, '/api/status');
  if (r.status !== 200) throw new Error(`/api/status: HTTP ${r.status}`);
  return JSON.parse(r.text) as Status;
}

/** The value of one Prometheus sample (`name{labels} value`); the sum over label sets when `labels` is omitted. */
export function metric(text: string, name: string, labels?: string): number {
  let sum = 0;
  let found = false;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (!(rest.startsWith(' ') || rest.startsWith('{'))) continue;
    if (labels !== undefined && !rest.startsWith(`{${labels}}`)) continue;
    sum += Number(rest.slice(rest.lastIndexOf(' ') + 1));
    found = true;
  }
  return found ? sum : Number.NaN;
}

/** Polls `f` every 500 ms until it returns true; rejects after `timeoutMs` with `what()`. */
export async function waitFor(f: () => Promise<boolean> | boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await f()) return;
    } catch {
      // not yet answering: try again
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Every key of a topic's messages, read from the beginning to the current end. */
export async function keysOf(brokers: string[], topic: string): Promise<Set<string>> {
  const msgs = await consumeAll(brokers, topic);
  return new Set(msgs.map((m) => m.key!).filter((k) => k !== null));
}

/** Produces with the Java-compatible partitioner, in requests of `chunk` messages. */
export async function produce(brokers: string[], topic: string, messages: Message[], chunk = 200): Promise<void> {
  const producer = kafkaClient(brokers, 'fault-producer').producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += chunk) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + chunk) });
  } finally {
    await producer.disconnect();
  }
}
