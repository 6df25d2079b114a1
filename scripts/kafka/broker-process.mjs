// The broker's PID file, whether that PID is really our broker, and stopping it.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export function readPid(pidFile) {
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

export function writePid(pidFile, pid) {
  writeFileSync(pidFile, `${pid}\n`);
}

export function removePid(pidFile) {
  rmSync(pidFile, { force: true });
}

/**
 * True when `pid` is alive and is the broker started with `propsFile`. A PID file can outlive its
 * process and the PID be reused by something else, which we must never signal; on Linux the
 * command line tells. A zombie has an empty command line, so it counts as gone.
 */
export function isOurBroker(pid, propsFile) {
  if (pid == null) return false;
  if (process.platform === 'linux') {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return cmdline.includes('kafka.Kafka') && cmdline.includes(propsFile);
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** Polls until the broker is gone or `ms` passed; true when it is gone. */
async function waitGone(pid, propsFile, ms) {
  const deadline = Date.now() + ms;
  while (isOurBroker(pid, propsFile)) {
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
  return true;
}

/**
 * SIGTERM (Kafka shuts down cleanly: flushes logs, writes the clean-shutdown marker), then SIGKILL
 * if it is still there after `timeoutMs`. `log(msg)` reports each step.
 */
export async function stopBroker(pid, propsFile, timeoutMs, log) {
  const t0 = Date.now();
  log(`sending SIGTERM to broker pid ${pid}`);
  try {
    process.kill(pid, 'SIGTERM');
  } catch (err) {
    if (err.code === 'ESRCH') return { forced: false, ms: Date.now() - t0 };
    throw err;
  }
  if (await waitGone(pid, propsFile, timeoutMs)) return { forced: false, ms: Date.now() - t0 };
  log(`broker pid ${pid} still running after ${timeoutMs} ms, sending SIGKILL`);
  try {
    process.kill(pid, 'SIGKILL');
  } catch (err) {
    if (err.code !== 'ESRCH') throw err;
  }
  if (!(await waitGone(pid, propsFile, 10_000))) throw new Error(`broker pid ${pid} survived SIGKILL`);
  return { forced: true, ms: Date.now() - t0 };
}
