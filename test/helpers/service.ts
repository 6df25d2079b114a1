// Helpers for tests and benchmarks that run the streaming service as a real child process
// (`node dist/src/cli/main.js run ...`): spawn it, follow its pino log lines and stdout, wait for
// log lines, stop it (SIGTERM, then SIGKILL), and make sure no child outlives the test process.
// Plus a consumer that follows the service's output topics while it runs, and small file helpers.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Consumer } from 'kafkajs';
import { CLI, ROOT } from './paths.js';
import { kafkaClient, TEST_FETCH_WAIT_MS, uniqueName, type ConsumedMessage } from './kafka.js';
import { readRawLines } from '../../src/io/lines.js';

/** One pino JSON line of the service's stderr (msg, level, time and the logged fields). */
export interface LogLine {
  msg: string;
  level: number;
  time: number;
  [field: string]: unknown;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** every pino line of stderr, parsed, in order */
  readonly logs: LogLine[];
  /** stdout lines (topic tables) */
  readonly stdout: string[];
  /** stderr lines that are not JSON (e.g. a crash trace) */
  readonly stderrText: string[];
  /** resolves when the process has exited */
  readonly exited: Promise<ExitStatus>;
  running(): boolean;
  /** the log lines whose msg is `msg` */
  logsWith(msg: string): LogLine[];
  /** Waits for the first log line (already seen or future) that satisfies `pred`; rejects on timeout or exit. */
  waitForLog(pred: (l: LogLine) => boolean, timeoutMs: number, what: string): Promise<LogLine>;
  /** The last output lines, for failure messages. */
  tail(lines?: number): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit status. */
  stop(graceMs?: number): Promise<ExitStatus>;
  kill(signal: NodeJS.Signals): void;
}

const live = new Set<ServiceProcess>();
let exitHookInstalled = false;

/** A last resort: children still running when the test process exits are killed (synchronously). */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const p of live) if (p.running()) p.child.kill('SIGKILL');
  });
}

export interface StartOptions {
  name?: string;
  env?: NodeJS.ProcessEnv;
  /** mirror every output line to this process's stderr (debugging) */
  echo?: boolean;
}

/** Starts `node dist/src/cli/main.js <args>` with stdout and stderr captured line by line. */
export function startCli(args: string[], opts: StartOptions = {}): ServiceProcess {
  installExitHook();
  const name = opts.name ?? `topicstream ${args[0] ?? ''}`;
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const stdout: string[] = [];
  const stderrText: string[] = [];
  const recent: string[] = [];
  const waiters = new Set<() => void>();
  const remember = (line: string) => {
    recent.push(line.length > 600 ? line.slice(0, 600) + '…' : line);
    if (recent.length > 200) recent.splice(0, recent.length - 200);
    if (opts.echo) process.stderr.write(`[${name}] ${line}\n`);
  };
  const lineReader = (onLine: (line: string) => void) => {
    let pending = '';
    return (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const parts = pending.split('\n');
      pending = parts.pop()!;
      for (const line of parts) if (line !== '') onLine(line);
    };
  };
  child.stdout!.on(
    'data',
    lineReader((line) => {
      stdout.push(line);
      remember(line);
    }),
  );
  child.stderr!.on(
    'data',
    lineReader((line) => {
      remember(line);
      if (line.startsWith('{')) {
        try {
          logs.push(JSON.parse(line) as LogLine);
          for (const w of waiters) w();
          return;
        } catch {
          // not a log line after all
        }
      }
      stderrText.push(line);
    }),
  );
  let status: ExitStatus | undefined;
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', (code, signal) => {
      status = { code, signal };
      resolve(status);
      for (const w of waiters) w();
    });
    child.once('error', (err) => {
      stderrText.push(`spawn error: ${err.message}`);
      status = { code: null, signal: null };
      resolve(status);
      for (const w of waiters) w();
    });
  });
  const running = () => status === undefined;
  const tail = (n = 40) => `--- last ${n} output lines of ${name} (pid ${child.pid}) ---\n${recent.slice(-n).join('\n')}`;

  const proc: ServiceProcess = {
    name,
    child,
    logs,
    stdout,
    stderrText,
    exited,
    running,
    logsWith: (msg) => logs.filter((l) => l.msg === msg),
    tail,
    kill: (signal) => {
      if (running()) child.kill(signal);
    },
    waitForLog(pred, timeoutMs, what) {
      return new Promise<LogLine>((resolve, reject) => {
        let checked = 0;
        const check = () => {
          for (; checked < logs.length; checked++) {
            if (pred(logs[checked]!)) return finish(() => resolve(logs[checked]!));
          }
          if (!running()) finish(() => reject(new Error(`${name} exited (${JSON.stringify(status)}) before ${what}\n${tail()}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}\n${tail()}`))), timeoutMs);
        const finish = (f: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          f();
        };
        waiters.add(check);
        check();
      });
    },
    async stop(graceMs = 30_000) {
      if (running()) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      live.delete(proc);
      return exited;
    },
  };
  live.add(proc);
  void exited.then(() => live.delete(proc));
  return proc;
}

/** Stops every child started here that still runs (for `after` hooks and finally blocks). */
export async function stopAllServices(graceMs = 15_000): Promise<void> {
  await Promise.all([...live].map((p) => p.stop(graceMs)));
}

/** Output topic names for one test run: unique, so runs never see each other's messages. */
export interface StreamTopics {
  posts: string;
  assignments: string;
  updates: string;
  events: string;
  dlq: string;
  /** compacted topic the refit owner publishes its models on (scale-out) */
  models: string;
  history: string;
  /** role elected: every instance's embedded posts, and the owner election's topic */
  embeddings: string;
  coordination: string;
}

export function uniqueStreamTopics(prefix: string): StreamTopics {
  const base = uniqueName(prefix);
  return {
    posts: `${base}-posts`,
    assignments: `${base}-topic-assignments`,
    updates: `${base}-topic-updates`,
    events: `${base}-topic-events`,
    dlq: `${base}-posts-dlq`,
    models: `${base}-topic-models`,
    history: `${base}-topic-history`,
    embeddings: `${base}-post-embeddings`,
    coordination: `${base}-coordination`,
  };
}

export interface ServiceConfigOptions {
  brokers: string[];
  topics: StreamTopics;
  groupId: string;
  stateDir: string;
  /** deep-merged over the test defaults below */
  overrides?: Record<string, unknown>;
}

/** A service config for tests: small window, frequent refits and snapshots, any free HTTP port. */
export function serviceConfig(o: ServiceConfigOptions): Record<string, unknown> {
  const base: Record<string, unknown> = {
    kafka: { brokers: o.brokers, groupId: o.groupId, topics: { ...o.topics } },
    stream: { window: { maxDocs: 2000 }, refit: { everyDocs: 1000, minDocs: 200, everySeconds: 0 } },
    state: { dir: o.stateDir, snapshotEverySeconds: 2 },
    http: { port: 0, host: '127.0.0.1' },
    log: { level: 'info' },
  };
  return o.overrides ? merge(base, o.overrides) : base;
}

function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
    out[k] = isObj(cur) && isObj(v) ? merge(cur, v) : v;
  }
  return out;
}

/** Writes `dir`/config.json for a service on `topics` (state in `dir`/state, a fresh consumer group); returns its path. */
export function writeServiceConfig(dir: string, o: { brokers: string[]; topics: StreamTopics; group: string; overrides?: Record<string, unknown> }): string {
  return writeJson(path.join(dir, 'config.json'), serviceConfig({ brokers: o.brokers, topics: o.topics, groupId: uniqueName(o.group), stateDir: path.join(dir, 'state'), overrides: o.overrides }));
}

export function writeJson(file: string, value: unknown): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}

/** The HTTP port the service logged at start ("HTTP on :PORT"). */
export async function httpPortOf(svc: ServiceProcess, timeoutMs = 300_000): Promise<number> {
  const l = await svc.waitForLog((x) => typeof x.port === 'number' && x.msg.startsWith('HTTP on'), timeoutMs, 'the HTTP port log line');
  return l.port as number;
}

export async function getJson<T>(port: number, urlPath: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}${urlPath}`, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`GET ${urlPath}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/**
 * Follows topics from their beginning while a test runs, keeping every message (key and value
 * decoded as UTF-8). The topics must exist before start(): a consumer may otherwise auto-create them
 * with the broker's defaults (e.g. without compaction).
 */
/** A followed message, with the time this process received it (epoch ms). */
export interface FollowedMessage extends ConsumedMessage {
  receivedAt: number;
}

export class TopicFollower {
  private readonly byTopic = new Map<string, FollowedMessage[]>();
  private readonly listeners = new Set<() => void>();

  private constructor(private readonly consumer: Consumer, readonly topics: string[]) {
    for (const t of topics) this.byTopic.set(t, []);
  }

  static async start(brokers: string[], topics: string[]): Promise<TopicFollower> {
    const consumer = kafkaClient(brokers, 'topicstream-test-follower').consumer({ groupId: uniqueName('test-follower'), maxWaitTimeInMs: TEST_FETCH_WAIT_MS, allowAutoTopicCreation: false });
    const f = new TopicFollower(consumer, topics);
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        f.byTopic.get(topic)!.push({
          partition,
          offset: message.offset,
          key: message.key ? message.key.toString('utf8') : null,
          value: message.value ? message.value.toString('utf8') : null,
          headers: message.headers ?? {},
          timestamp: message.timestamp,
          receivedAt: Date.now(),
        });
        for (const l of f.listeners) l();
      },
    });
    return f;
  }

  messages(topic: string): FollowedMessage[] {
    const m = this.byTopic.get(topic);
    if (!m) throw new Error(`not following ${topic}`);
    return m;
  }

  /** The JSON values of a topic's messages. */
  values<T>(topic: string): T[] {
    return this.messages(topic).map((m) => JSON.parse(m.value!) as T);
  }

  /**
   * Resolves once `done()` holds (checked on every message and every second); rejects after
   * `timeoutMs`, or as soon as `failIf()` returns a reason (e.g. the service exited).
   */
  waitUntil(done: () => boolean, timeoutMs: number, what: () => string, failIf?: () => string | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const check = () => {
        if (done()) return finish(() => resolve());
        const why = failIf?.();
        if (why) finish(() => reject(new Error(`${why} while waiting for ${what()}`)));
      };
      const tick = setInterval(check, 1000);
      const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what()}`))), timeoutMs);
      const finish = (f: () => void) => {
        clearInterval(tick);
        clearTimeout(timer);
        this.listeners.delete(check);
        f();
      };
      this.listeners.add(check);
      check();
    });
  }

  /**
   * Resolves once every message the followed topics held at the call has been read: their end
   * offsets then, from the broker. What was durable before the call is seen, without guessing how
   * long it takes to arrive.
   */
  async readToEnd(brokers: string[], timeoutMs: number): Promise<void> {
    const admin = kafkaClient(brokers, 'topicstream-test-ends').admin();
    await admin.connect();
    const ends = new Map<string, number>();
    try {
      for (const t of this.topics) ends.set(t, (await admin.fetchTopicOffsets(t)).reduce((s, p) => s + Number(p.high) - Number(p.low), 0));
    } finally {
      await admin.disconnect();
    }
    await this.waitUntil(
      () => this.topics.every((t) => this.messages(t).length >= ends.get(t)!),
      timeoutMs,
      () => `reading the topics to their end (${this.topics.map((t) => `${t} ${this.messages(t).length}/${ends.get(t)}`).join(', ')})`,
    );
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/** The first `n` non-empty lines of a JSON Lines file (plain or gzipped), as raw bytes. */
export async function firstLines(file: string, n: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const { bytes } of readRawLines(file)) {
    if (bytes.length === 0) continue;
    out.push(Buffer.from(bytes));
    if (out.length >= n) break;
  }
  return out;
}

/** Parses a JSON Lines file; a missing file reads as empty. */
export function readJsonl<T>(file: string): T[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as T);
}
