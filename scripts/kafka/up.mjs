#!/usr/bin/env node
// `npm run kafka:up`: a real single-node Kafka (KRaft, broker + controller in one JVM) on 127.0.0.1,
// without Docker. Returns once the broker serves requests; leaves it running in the background
// (PID file in the data folder; `npm run kafka:down` stops it). Settings: see settings.mjs.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatStorageOnce, jvmBaseArgs, writeBrokerConfig } from './broker-config.mjs';
import { isOurBroker, readPid, removePid, stopBroker, writePid } from './broker-process.mjs';
import { ensureJars } from './jars.mjs';
import { isListening, listTopics } from './probe.mjs';
import { loadSettings, say, seconds } from './settings.mjs';
import { acquireStartLock } from './start-lock.mjs';

const SCRIPT = 'kafka:up';
const log = (msg) => say(SCRIPT, msg);
const STARTED_LINE = 'Kafka Server started';

class StartError extends Error {}

function tail(file, lines) {
  if (!existsSync(file)) return `(${file} does not exist)`;
  const text = readFileSync(file, 'utf8').trimEnd();
  return text ? text.split('\n').slice(-lines).join('\n') : `(${file} is empty)`;
}

function printLogTails(s) {
  process.stderr.write(`--- last lines of ${s.serverLog} ---\n${tail(s.serverLog, 40)}\n`);
  process.stderr.write(`--- last lines of ${s.jvmLog} ---\n${tail(s.jvmLog, 15)}\n`);
}

/** Keeps the previous run's logs as *.prev, so "Kafka Server started" in server.log is from this run. */
function rotateLogs(s) {
  mkdirSync(s.logsDir, { recursive: true });
  for (const f of [s.serverLog, s.jvmLog]) if (existsSync(f)) renameSync(f, `${f}.prev`);
}

/** Waits until an admin client can list topics, or the deadline passes; returns the topic names. */
async function waitForAdmin(s, deadline, stillAlive) {
  let lastErr;
  while (Date.now() < deadline) {
    if (!stillAlive()) throw new StartError('the broker exited while the admin client was connecting');
    try {
      return await listTopics(s.bootstrap, Math.max(500, Math.min(3000, deadline - Date.now())));
    } catch (err) {
      lastErr = err;
      await sleep(250);
    }
  }
  throw new StartError(`the admin client could not list topics on ${s.bootstrap} (${lastErr?.message ?? 'no attempt'})`);
}

/**
 * A broker from this data folder is running already (say, a previous `kafka:up`): report it if it is
 * on the requested port and answers; it may still be starting, so give it the usual time.
 */
async function reportRunning(s, pid, t0) {
  const propsText = existsSync(s.propsFile) ? readFileSync(s.propsFile, 'utf8') : '';
  if (!propsText.includes(`PLAINTEXT://${s.bootstrap}`)) {
    throw new StartError(
      `a broker from ${s.dataDir} is already running (pid ${pid}) but not on ${s.bootstrap}; ` +
        'run `npm run kafka:down` first, or use another KAFKA_DATA_DIR',
    );
  }
  const topics = await waitForAdmin(s, t0 + s.startTimeoutMs, () => isOurBroker(pid, s.propsFile));
  log(`broker already running at ${s.bootstrap} (pid ${pid}, ${topics.length} topics); nothing to do`);
}

async function startBroker(s, t0) {
  ensureJars(s, SCRIPT);
  writeBrokerConfig(s, SCRIPT);
  rotateLogs(s);
  formatStorageOnce(s, SCRIPT);

  const jvmArgs = [
    `-Xmx${s.heap}`,
    // Kafka's own defaults (kafka-run-class.sh): short G1 pauses, no AWT.
    '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:InitiatingHeapOccupancyPercent=35',
    '-XX:+ExplicitGCInvokesConcurrent', '-Djava.awt.headless=true',
    `-Dkafka.logs.dir=${s.logsDir}`,
    ...jvmBaseArgs(s),
    'kafka.Kafka', s.propsFile,
  ];
  const out = openSync(s.jvmLog, 'a');
  // Detached: the broker outlives this script and gets its own process group, so a Ctrl-C in the
  // terminal that ran `kafka:up` later does not reach it.
  const child = spawn(s.java, jvmArgs, { detached: true, stdio: ['ignore', out, out], cwd: s.dataDir });
  closeSync(out);
  let exit = null;
  child.once('exit', (code, signal) => {
    exit = { code, signal };
  });
  const spawnError = await new Promise((resolve) => {
    child.once('error', resolve);
    child.once('spawn', () => resolve(null));
  });
  if (spawnError) {
    const hint = spawnError.code === 'ENOENT' ? ' (Java not found: install JDK 17 or set JAVA_HOME)' : '';
    throw new StartError(`could not start ${s.java}: ${spawnError.message}${hint}`);
  }
  writePid(s.pidFile, child.pid);
  log(`starting broker: pid ${child.pid}, java -Xmx${s.heap}, log ${s.serverLog}`);

  // Ctrl-C while we wait: stop the half-started broker rather than leave it behind. The handler
  // only records the signal; the wait loops below see it and abort.
  let interrupted = null;
  const onSignal = (sig) => {
    interrupted = sig;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const alive = () => exit === null;
  const abort = async (why) => {
    if (alive()) {
      log(`stopping the half-started broker (pid ${child.pid})`);
      await stopBroker(child.pid, s.propsFile, 10_000, log).catch(() => {});
    }
    removePid(s.pidFile);
    printLogTails(s);
    throw new StartError(why);
  };

  const deadline = t0 + s.startTimeoutMs;
  for (;;) {
    if (interrupted) return abort(`interrupted by ${interrupted}`);
    if (!alive()) {
      return abort(`the broker exited before it was ready (${exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`})`);
    }
    if (existsSync(s.serverLog) && readFileSync(s.serverLog, 'utf8').includes(STARTED_LINE)) break;
    if (Date.now() >= deadline) return abort(`timed out after ${seconds(s.startTimeoutMs)} waiting for "${STARTED_LINE}" in ${s.serverLog}`);
    await sleep(200);
  }
  log(`log says "${STARTED_LINE}" after ${seconds(Date.now() - t0)}`);

  let topics;
  try {
    topics = await waitForAdmin(s, deadline, () => alive() && !interrupted);
  } catch (err) {
    return abort(interrupted ? `interrupted by ${interrupted}` : err.message);
  }
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  child.unref();
  log(`ready: admin client listed ${topics.length} topics at ${s.bootstrap} after ${seconds(Date.now() - t0)} (pid ${child.pid})`);
}

async function main() {
  const t0 = Date.now();
  const s = loadSettings();
  mkdirSync(s.dataDir, { recursive: true });
  const release = await acquireStartLock(s.lockFile, s.startTimeoutMs, log);
  try {
    const pid = readPid(s.pidFile);
    if (isOurBroker(pid, s.propsFile)) return await reportRunning(s, pid, t0);
    if (pid != null) {
      log(`removing stale PID file ${s.pidFile} (pid ${pid} is not a running broker)`);
      removePid(s.pidFile);
    }
    if (await isListening(s.host, s.port)) {
      let topics;
      try {
        topics = await listTopics(s.bootstrap);
      } catch (err) {
        throw new StartError(`port ${s.port} on ${s.host} is in use by something that does not answer as Kafka (${err.message}); set KAFKA_PORT`);
      }
      log(`a Kafka broker not started by this script is already running at ${s.bootstrap} (${topics.length} topics); nothing to do`);
      return;
    }
    if (await isListening(s.host, s.controllerPort)) {
      throw new StartError(`controller port ${s.controllerPort} on ${s.host} is already in use; set KAFKA_CONTROLLER_PORT`);
    }
    await startBroker(s, t0);
  } finally {
    release();
  }
}

main().catch((err) => {
  console.error(`${SCRIPT}: FAILED: ${err.message}`);
  if (!(err instanceof StartError)) console.error(err.stack);
  process.exit(1);
});
