// The files a single-node KRaft broker needs: server.properties, log4j.properties, and a formatted
// storage folder. Written on every start, so changed settings (ports, partitions) take effect.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { say } from './settings.mjs';

function serverProperties(s) {
  const lines = {
    // One JVM is both the KRaft controller and the broker (no ZooKeeper).
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@${s.host}:${s.controllerPort}`,
    'controller.listener.names': 'CONTROLLER',
    'listeners': `PLAINTEXT://${s.host}:${s.port},CONTROLLER://${s.host}:${s.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${s.host}:${s.port}`,
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': s.kraftDir,
    // Development defaults: topics appear on first use, with a few partitions to exercise grouping.
    'auto.create.topics.enable': 'true',
    'num.partitions': String(s.numPartitions),
    'default.replication.factor': '1',
    'min.insync.replicas': '1',
    // Internal topics must fit on one broker; 50 partitions each (the default) only slow down the
    // first consumer group and the first transaction.
    'offsets.topic.replication.factor': '1',
    'offsets.topic.num.partitions': '10',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'transaction.state.log.num.partitions': '10',
    // A consumer group starts at once instead of waiting 3 s for more members (tests, dev loops).
    'group.initial.rebalance.delay.ms': '0',
    // Two cores: the defaults (3 network, 8 I/O threads) only add idle threads.
    'num.network.threads': '2',
    'num.io.threads': '2',
    'background.threads': '2',
    // The log cleaner (compacted topics: __consumer_offsets, topic-updates) allocates its dedupe
    // buffer on the heap at start; 128 MB by default, a quarter of our 512 MB heap.
    'log.cleaner.dedupe.buffer.size': String(16 * 1024 * 1024),
    'delete.topic.enable': 'true',
  };
  const body = Object.entries(lines).map(([k, v]) => `${k}=${v}`).join('\n');
  return `# Written by scripts/kafka/up.mjs on every start; edit the script, not this file.\n${body}\n`;
}

function log4jProperties(s) {
  // Forward slashes: log4j reads backslashes in .properties values as escapes.
  const file = s.serverLog.replaceAll('\\', '/');
  return [
    '# Written by scripts/kafka/up.mjs on every start.',
    'log4j.rootLogger=INFO, file',
    'log4j.appender.file=org.apache.log4j.FileAppender',
    `log4j.appender.file.File=${file}`,
    'log4j.appender.file.Append=true',
    'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
    // Per-request and per-partition-state chatter is useless on a dev broker.
    'log4j.logger.kafka.request.logger=WARN',
    'log4j.logger.state.change.logger=WARN',
    'log4j.logger.org.apache.zookeeper=WARN',
    '',
  ].join('\n');
}

/** Writes server.properties and log4j.properties into the data folder. */
export function writeBrokerConfig(s, script) {
  mkdirSync(s.logsDir, { recursive: true });
  writeFileSync(s.propsFile, serverProperties(s));
  writeFileSync(s.log4jFile, log4jProperties(s));
  say(script, `config: ${s.propsFile} (broker ${s.bootstrap}, controller ${s.host}:${s.controllerPort}, ${s.numPartitions} partitions a topic)`);
}

/** The JVM options shared by the storage tool and the broker. */
export function jvmBaseArgs(s) {
  return [`-Dlog4j.configuration=file:${s.log4jFile.replaceAll('\\', '/')}`, '-cp', join(s.libDir, '*')];
}

/**
 * A new KRaft cluster id: a UUID in URL-safe base64 without padding (16 random bytes). One that
 * starts with '-' (1 in 64) is drawn again, as Kafka's own Uuid.randomUuid does: the storage tool's
 * argument parser would read it as an option and fail with "--cluster-id: expected one argument".
 */
export function newClusterId(random = randomBytes) {
  for (;;) {
    const id = random(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/**
 * Formats the KRaft storage once (a new cluster id); later starts reuse it, which saves the
 * storage tool's JVM start and keeps topics and committed offsets across restarts.
 */
export function formatStorageOnce(s, script) {
  if (existsSync(join(s.kraftDir, 'meta.properties'))) {
    say(script, `storage: ${s.kraftDir} already formatted`);
    return;
  }
  mkdirSync(s.kraftDir, { recursive: true });
  const clusterId = newClusterId();
  const args = [...jvmBaseArgs(s), 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', s.propsFile, '--ignore-formatted'];
  const r = spawnSync(s.java, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) {
    const hint = r.error.code === 'ENOENT' ? ' (Java not found: install JDK 17 or set JAVA_HOME)' : '';
    throw new Error(`could not run ${s.java}: ${r.error.message}${hint}`);
  }
  if (r.status !== 0) {
    throw new Error(`kafka-storage format failed (exit ${r.status}):\n${`${r.stdout}\n${r.stderr}`.trim()}`);
  }
  say(script, `storage: formatted ${s.kraftDir} (cluster id ${clusterId})`);
}
