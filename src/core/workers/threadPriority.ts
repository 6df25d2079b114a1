/**
 * Lowers the CPU priority of the calling thread (Linux: every thread has its own nice value, and
 * setpriority on a thread id changes that thread only). The refit worker runs at a higher nice
 * value than the embedding workers and the main thread, so that on a busy machine the kernel gives
 * the cores to ingestion first and the refit takes what is left (stream.refit.niceness). Raising a
 * nice value needs no privilege; elsewhere than Linux this does nothing.
 */
import { readlinkSync } from 'node:fs';
import os from 'node:os';

/** The thread's id and its new nice value; null where threads cannot be told apart (not Linux) or the call failed. */
export function lowerThreadPriority(niceness: number): { tid: number; niceness: number } | null {
  if (niceness <= 0 || process.platform !== 'linux') return null;
  try {
    // /proc/thread-self -> "<pid>/task/<tid>"
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return null;
    // never below the nice value it has (a process started under `nice` stays there)
    if (os.getPriority(tid) < niceness) os.setPriority(tid, Math.min(19, niceness));
    return { tid, niceness: os.getPriority(tid) };
  } catch {
    return null;
  }
}
