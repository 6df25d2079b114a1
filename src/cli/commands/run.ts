/** `topicstream run`: the streaming service, on Kafka or on a file replayed as a stream. */
import { parseCommand, showHelp, UsageError } from '../flags.js';
import { RUN } from '../commandSpecs.js';
import { loadConfig } from '../../config/load.js';
import { createLogger } from '../../log/logger.js';
import { describePoolEvent, type WorkerPoolEvent } from '../../core/workers/events.js';
import { createEmbedderFromConfig } from '../../pipeline/components.js';
import { WorkerRefitter } from '../../stream/refit/workerRefitter.js';
import { FileSource } from '../../stream/sources/fileSource.js';
import { JsonlSink } from '../../stream/sinks/jsonlSink.js';
import { Service } from '../../service/service.js';
import { createKafka } from '../../kafka/client.js';
import { ensureTopics } from '../../kafka/topics.js';
import { KafkaSource } from '../../kafka/source.js';
import { KafkaSink } from '../../kafka/sink.js';
import { ModelFollower } from '../../kafka/modelFollower.js';
import { recoverCountersFromKafka } from '../../kafka/recoverCounters.js';
import { recoverCountersFromJsonl } from '../../stream/sinks/jsonlCounters.js';
import type { ServiceParts } from '../../service/service.js';
import type { Logger } from 'pino';
import type { Kafka } from 'kafkajs';
import { startElectedRole } from '../../service/electedRole.js';
import type { RefitSummary, StreamProcessor } from '../../stream/processor.js';
import type { Sink, Source } from '../../stream/types.js';
import type { Config } from '../../config/schema.js';
import { readSavedFit } from './savedFit.js';
import { checkFittedModel, fittedWindow } from '../../service/fittedModel.js';

export async function run(argv: string[]): Promise<number> {
  const p = parseCommand(RUN, argv);
  if (p.help) return showHelp(RUN);
  const { values } = p;
  if (p.rest.length) process.stderr.write(`topicstream run: ignoring unexpected arguments ${p.rest.join(' ')} (did you mean --input?)\n`);
  const config = loadConfig({ file: values.config, flags: p.config });
  const log = createLogger(config.log.level);

  if (values.input && config.stream.role === 'follower') throw new UsageError('--follower follows a model published on Kafka; it cannot be used with --input');
  // worker timeouts, deaths and restarts: structured warnings (fields: type, pool, threadId, ...) and a counter
  let service: Service | undefined;
  const onWorkerEvent = (e: WorkerPoolEvent) => {
    log.warn(e, describePoolEvent(e));
    service?.metrics.workerEvents.inc({ pool: e.pool, type: e.type });
  };
  // --model: read (and refused) before anything starts; loaded into the window only without a state snapshot
  const fitted = values.model ? readSavedFit(values.model) : undefined;
  const embedder = await createEmbedderFromConfig(config, { log: (s) => log.info(s), onWorkerEvent });
  if (fitted) await closeOnError(embedder, () => checkFittedModel(fitted, values.model!, embedder));
  const refitter = new WorkerRefitter(config, { onWorkerEvent });
  if (values.input && config.stream.role === 'elected') throw new UsageError('stream.role "elected" elects a refit owner through Kafka; it cannot be used with --input');
  const { source, sink, follower, recoverCounters, kafka } = await buildEdges(config, log, values.input, values.out);
  service = new Service({
    config,
    log,
    embedder,
    refitter,
    source,
    sink,
    onRefit: values.quiet ? undefined : (s, p) => process.stdout.write(formatRefit(s, p) + '\n'),
    recoverCounters,
    initialModel: fitted ? { from: values.model!, snapshot: () => fittedWindow(fitted, config.stream.window.maxDocs, config.topics.zeroShot.names) } : undefined,
  });
  installProcessGuards(service, log, config.stream.stopTimeoutSeconds);

  if (follower) {
    const f = follower;
    await f.start((m) => service.processor.adoptModel(m));
    service.onStop(() => f.stop());
  }
  await service.start();
  if (kafka && config.stream.role === 'elected') await startElectedRole(service, kafka, config, log);
  if (values.input) {
    await service.drain();
    const p = service.processor;
    log.info({ ...p.stats.totals(), windowDocs: p.window.size, modelVersion: p.modelVersion, topics: p.registry.active().length }, 'input replayed');
    if (values.serve) {
      const url = `http://${config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host}:${service.httpPort}/`;
      log.info({ url }, `serving the dashboard and API on ${url} until Ctrl-C`);
      process.stdout.write(`\nDashboard: ${url}  (API: ${url}api/topics, metrics: ${url}metrics). Ctrl-C stops.\n`);
      return new Promise<number>(() => undefined);
    }
    await service.stop();
    return p.stats.consumed - p.stats.invalid > 0 ? 0 : 1;
  }
  return new Promise<number>(() => undefined); // runs until a signal
}

async function closeOnError(embedder: { close(): Promise<void> }, f: () => void): Promise<void> {
  try {
    f();
  } catch (e) {
    await embedder.close();
    throw e;
  }
}

interface Edges {
  source: Source;
  sink: Sink;
  /** the client, for role elected's parts */
  kafka?: Kafka;
  follower?: ModelFollower;
  recoverCounters?: ServiceParts['recoverCounters'];
}

/** The service's input and outputs: a replayed file and JSON Lines files, or Kafka. */
async function buildEdges(config: Config, log: Logger, input: string | undefined, out: string): Promise<Edges> {
  if (input) {
    log.info({ input, out }, 'replaying a file as the stream; outputs go to JSON Lines files');
    return {
      source: new FileSource(input, { batchSize: config.stream.batchMaxDocs, rate: config.stream.replayRate }),
      sink: new JsonlSink(out),
      recoverCounters: () => recoverCountersFromJsonl(out),
    };
  }
  const kafka = createKafka(config.kafka, log);
  await ensureTopics(kafka, config.kafka);
  const { topics } = config.kafka;
  const source = new KafkaSource(kafka, { topic: topics.posts, groupId: config.kafka.groupId, fromBeginning: config.kafka.fromBeginning, batchSize: config.stream.batchMaxDocs }, log);
  const sink = new KafkaSink(kafka, topics, config.kafka.maxOutputBytes);
  await sink.connect();
  if (config.stream.role === 'follower') return { source, sink, follower: new ModelFollower(kafka, topics.models, config.kafka.groupId, log) };
  if (config.stream.role === 'elected') return { source, sink, kafka };
  // a refit owner continues above what it already published; a follower adopts the owner's versions instead
  return { source, sink, recoverCounters: () => recoverCountersFromKafka(kafka, { models: topics.models, updates: topics.updates, groupPrefix: config.kafka.groupId }, log) };
}

/**
 * SIGTERM/SIGINT stop the service (bounded by stream.stopTimeoutSeconds, then a hard exit); a second
 * signal exits at once. An uncaught error is logged, the state snapshotted (the window only holds
 * what the processor added, so it is consistent between two statements) and the process exits
 * non-zero, so the orchestrator restarts it.
 */
function installProcessGuards(service: Service, log: Logger, stopTimeoutSeconds: number): void {
  let signalled = false;
  const hardExit = (code: number) => setTimeout(() => {
    log.error({ code }, 'stop took too long; exiting without waiting further');
    process.exit(code);
  }, (stopTimeoutSeconds + 3) * 1000).unref();
  const onSignal = (sig: string) => {
    if (signalled) {
      log.warn('second signal: exiting now');
      process.exit(130);
    }
    signalled = true;
    log.info({ signal: sig }, 'stopping');
    hardExit(1);
    void service.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  const onFatal = (kind: string) => (e: unknown) => {
    log.fatal({ err: e, kind }, 'uncaught error; snapshotting and exiting for a restart');
    hardExit(70);
    try {
      service.snapshot();
    } finally {
      process.exit(70);
    }
  };
  process.on('uncaughtException', onFatal('uncaughtException'));
  process.on('unhandledRejection', onFatal('unhandledRejection'));
}

export function formatRefit(s: RefitSummary, p: StreamProcessor, maxTopics = 12): string {
  const counts = new Map<string, number>();
  for (const e of s.events) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
  const ev = [...counts].map(([t, n]) => `${n} ${t}`).join(', ') || 'no changes';
  const head =
    `── model v${s.modelVersion}: ${s.windowDocs} docs in window, ${s.topics} topics, ${s.outliers} outliers, ` +
    `${s.changed} reassigned, ${ev}; refit ${s.seconds.total?.toFixed(1)}s` +
    (Number.isNaN(s.stability) ? '' : `, stability ${s.stability.toFixed(2)}`);
  const rows = p.registry
    .active()
    .sort((a, b) => b.size - a.size)
    .slice(0, maxTopics)
    .map((t) => `${String(t.id).padStart(5)} ${String(t.size).padStart(6)}  ${t.words.slice(0, 7).map((w) => w.word).join(', ')}`);
  return [head, ...rows].join('\n');
}
