// A lock file so two `kafka:up` runs on the same data folder (two test files starting at once, say)
// do not both start a broker: the second waits for the first, then finds the broker running.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

function holderAlive(lockFile) {
  let pid;
  try {
    pid = Number(readFileSync(lockFile, 'utf8').trim());
  } catch {
    return false; // gone between our open and read: free
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/**
 * Takes the lock, waiting up to `timeoutMs` while another live process holds it; a lock left by a
 * dead process is taken over. Returns a release function. `log` is called once if we wait.
 */
export async function acquireStartLock(lockFile, timeoutMs, log) {
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        rmSync(lockFile, { force: true });
      };
      process.once('exit', release);
      return release;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    if (!holderAlive(lockFile)) {
      rmSync(lockFile, { force: true });
      continue;
    }
    if (!told) {
      log(`another kafka:up is starting the broker (lock ${lockFile}), waiting for it`);
      told = true;
    }
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for the start lock ${lockFile}`);
    await sleep(250);
  }
}
