/**
 * File writes that survive a power cut: each file is written in full and fsynced before it counts,
 * and a folder is fsynced after entries were created or renamed in it (so the rename itself is on
 * disk). Linux semantics; the snapshots rely on rename(2) being atomic within one file system.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';

/** Creates `file` (it must not exist), writes all of `data`, fsyncs and closes it. */
export function writeFileDurable(file: string, data: Uint8Array): void {
  const fd = openSync(file, 'wx');
  try {
    let done = 0;
    while (done < data.length) done += writeSync(fd, data, done, data.length - done);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes the entries of a folder (creations, renames, removals) durable. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** mkdir -p, and when it created folders, fsync the parent of the first one so they persist. */
export function mkdirDurable(dir: string): void {
  const first = mkdirSync(dir, { recursive: true });
  if (first) fsyncDir(path.dirname(first));
}
