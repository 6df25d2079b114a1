// Where everything of the local Kafka broker lives, and how it is tuned, read from the environment.
// One place, so up.mjs, down.mjs and the test helper agree on ports, folders and the PID file.
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Kafka release whose jars make up the broker (also the default in pom.xml; keep them equal). */
export const DEFAULT_KAFKA_VERSION = '3.9.2';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const POM_FILE = join(REPO_ROOT, 'scripts', 'kafka', 'pom.xml');

function intFromEnv(env, name, fallback, min, max) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name}=${raw} is not an integer in [${min}, ${max}]`);
  }
  return n;
}

/**
 * All settings of the local broker. Environment variables:
 *   KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (KAFKA_PORT + 1), KAFKA_DATA_DIR (<repo>/.cache/kafka-data),
 *   TOPICSTREAM_CACHE (~/.cache/topicstream; jars go to kafka-<version>/lib in it), KAFKA_VERSION,
 *   KAFKA_HEAP (512m), KAFKA_NUM_PARTITIONS (3), KAFKA_START_TIMEOUT_MS (90000),
 *   KAFKA_STOP_TIMEOUT_MS (30000), JAVA_HOME, MAVEN (mvn).
 */
export function loadSettings(env = process.env) {
  const version = env.KAFKA_VERSION || DEFAULT_KAFKA_VERSION;
  const host = '127.0.0.1'; // not "localhost": Node may resolve that to ::1 first, where nothing listens
  const port = intFromEnv(env, 'KAFKA_PORT', 9092, 1, 65535);
  const controllerPort = intFromEnv(env, 'KAFKA_CONTROLLER_PORT', port + 1, 1, 65535);
  if (controllerPort === port) throw new Error(`KAFKA_CONTROLLER_PORT must differ from KAFKA_PORT (${port})`);

  const cacheRoot = resolve(env.TOPICSTREAM_CACHE || join(homedir(), '.cache', 'topicstream'));
  const kafkaHome = join(cacheRoot, `kafka-${version}`);
  const dataDir = resolve(env.KAFKA_DATA_DIR || join(REPO_ROOT, '.cache', 'kafka-data'));
  const logsDir = join(dataDir, 'logs');

  return {
    version,
    host,
    port,
    controllerPort,
    bootstrap: `${host}:${port}`,
    cacheRoot,
    kafkaHome,
    libDir: join(kafkaHome, 'lib'),
    dataDir,
    // Kafka's own log.dirs: a folder of its own, because Kafka treats every sub-folder there as a partition.
    kraftDir: join(dataDir, 'kraft'),
    logsDir,
    serverLog: join(logsDir, 'server.log'),
    jvmLog: join(logsDir, 'jvm.log'), // the JVM's stdout/stderr: launcher errors, OOM, crashes
    propsFile: join(dataDir, 'server.properties'),
    log4jFile: join(dataDir, 'log4j.properties'),
    pidFile: join(dataDir, 'kafka.pid'),
    lockFile: join(dataDir, 'up.lock'),
    heap: env.KAFKA_HEAP || '512m',
    numPartitions: intFromEnv(env, 'KAFKA_NUM_PARTITIONS', 3, 1, 1000),
    startTimeoutMs: intFromEnv(env, 'KAFKA_START_TIMEOUT_MS', 90_000, 1000, 3_600_000),
    stopTimeoutMs: intFromEnv(env, 'KAFKA_STOP_TIMEOUT_MS', 30_000, 100, 3_600_000),
    java: env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java',
    mvn: env.MAVEN || 'mvn',
  };
}

/** One line of progress, prefixed so it is clear which script says it. */
export function say(script, msg) {
  process.stdout.write(`${script}: ${msg}\n`);
}

export function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}
