#!/usr/bin/env node
// `npm run kafka:down`: stops the broker that `kafka:up` started (the PID file in the data folder):
// SIGTERM, wait, SIGKILL after KAFKA_STOP_TIMEOUT_MS. Safe to run when nothing is running.
import { existsSync } from 'node:fs';
import { isOurBroker, readPid, removePid, stopBroker } from './broker-process.mjs';
import { isListening } from './probe.mjs';
import { loadSettings, say, seconds } from './settings.mjs';

const SCRIPT = 'kafka:down';
const log = (msg) => say(SCRIPT, msg);

async function main() {
  const s = loadSettings();
  const pid = readPid(s.pidFile);
  if (pid == null) {
    log(existsSync(s.pidFile) ? `PID file ${s.pidFile} is unreadable, removing it` : `no PID file at ${s.pidFile}`);
    removePid(s.pidFile);
  } else if (!isOurBroker(pid, s.propsFile)) {
    log(`pid ${pid} from ${s.pidFile} is not a running broker; removing the stale PID file`);
    removePid(s.pidFile);
  } else {
    const { forced, ms } = await stopBroker(pid, s.propsFile, s.stopTimeoutMs, log);
    removePid(s.pidFile);
    log(`broker pid ${pid} ${forced ? 'killed' : 'stopped'} after ${seconds(ms)}`);
    return;
  }
  // Nothing of ours ran; say so if some other broker holds the port, since the caller may expect it gone.
  if (await isListening(s.host, s.port)) {
    log(`nothing to stop, but something not started by kafka:up still listens on ${s.bootstrap}`);
  } else {
    log('nothing to stop');
  }
}

main().catch((err) => {
  console.error(`${SCRIPT}: FAILED: ${err.message}`);
  process.exit(1);
});
