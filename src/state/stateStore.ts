/**
 * Snapshots of the service's state: the window (documents, embeddings, topics), the topic registry,
 * the carried c-TF-IDF counts and the offsets the window reaches. A restarted service loads one and
 * re-reads its input only after those offsets: no re-embedding of the window.
 *
 * Layout of state.dir: current/ (the newest snapshot), previous/ (the one before), tmp-* (being
 * written, or left by a crash: removed at start-up), corrupt-<time>-<name>/ (set aside, the newest
 * few kept). Each snapshot is written into tmp-*, every file fsynced, a checksummed manifest last,
 * then rotated in by renames: at every instant current/ or previous/ holds a complete snapshot.
 * Loading verifies current/, then previous/; a damaged one is logged and set aside. README.md here.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { ProcessorSnapshot } from '../stream/snapshotTypes.js';
import { fsyncDir, mkdirDurable } from './durableFs.js';
import { CorruptSnapshotError } from './errors.js';
import { STATE_FILE, type LoadedState } from './format.js';
import { readSnapshot, verifySnapshotFiles } from './snapshotReader.js';
import { serializeSnapshot, writeSnapshotFiles } from './snapshotWriter.js';

export { STATE_FORMAT, type LoadedState } from './format.js';
export { CorruptSnapshotError, SnapshotMismatchError } from './errors.js';

/** corrupt-* folders kept for inspection; older ones are deleted. */
export const KEEP_CORRUPT = 3;

type Slot = LoadedState['from'];
/** The levels the store logs at (a pino Logger fits). */
export interface StoreLog {
  info(fields: object, msg: string): void;
  warn(fields: object, msg: string): void;
  error(fields: object, msg: string): void;
}

let tmpCounter = 0;

export class StateStore {
  /** current/ is known to be a sound snapshot (loaded or written by this process). */
  private currentVerified = false;

  constructor(readonly dir: string) {}

  private slot(name: Slot): string {
    return path.join(this.dir, name);
  }

  /** True when current/ or previous/ seems to hold a snapshot (not verified). */
  exists(): boolean {
    return (['current', 'previous'] as const).some((s) => existsSync(path.join(this.slot(s), STATE_FILE)));
  }

  /** Writes a new snapshot and rotates it in as current/ (the old current/ becomes previous/). Throws on I/O errors. */
  save(p: ProcessorSnapshot, modelId: string, source: string): { docs: number; path: string } {
    const { docs, files } = serializeSnapshot(p, modelId, source);
    mkdirDurable(this.dir);
    const tmp = this.tmpName('write');
    try {
      mkdirSync(tmp); // not recursive: a recursive mkdir reports ENOENT instead of EROFS on a read-only volume
      writeSnapshotFiles(tmp, files);
      this.rotateIn(tmp);
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
    this.currentVerified = true;
    return { docs, path: this.slot('current') };
  }

  private tmpName(what: string): string {
    return path.join(this.dir, `tmp-${what}-${process.pid}-${Date.now()}-${tmpCounter++}`);
  }

  /**
   * previous/ → tmp-old (removed at the end), current/ → previous/, tmp → current/, fsync. A crash
   * anywhere leaves current/ or previous/ complete. A current/ not known to be sound is verified
   * first: a damaged one is dropped rather than kept as the fallback.
   */
  private rotateIn(tmp: string): void {
    const cur = this.slot('current');
    const prev = this.slot('previous');
    const trash: string[] = [];
    if (existsSync(cur)) {
      const sound = this.currentVerified || isSound(cur);
      const dest = sound ? prev : this.tmpName('damaged');
      if (sound && existsSync(prev)) {
        trash.push(this.tmpName('old'));
        renameSync(prev, trash[0]!);
      }
      renameSync(cur, dest);
      if (!sound) trash.push(dest);
    }
    renameSync(tmp, cur);
    fsyncDir(this.dir);
    for (const t of trash) rmSync(t, { recursive: true, force: true });
  }

  /**
   * Loads the newest sound snapshot: current/, else previous/ (after a crash between the renames, or
   * when current/ is damaged); undefined when there is none. Removes leftovers of crashed writes and
   * sets damaged snapshots aside. Throws SnapshotMismatchError for a snapshot of another model.
   */
  load(expectDim: number, expectModel: string, log?: StoreLog): LoadedState | undefined {
    if (!existsSync(this.dir)) return undefined;
    this.removeLeftovers(log);
    for (const name of ['current', 'previous'] as const) {
      const dir = this.slot(name);
      if (!existsSync(dir)) {
        if (name === 'current' && existsSync(this.slot('previous'))) log?.warn({ dir }, 'no current snapshot (a crash between the renames?): trying previous/');
        continue;
      }
      try {
        const s = readSnapshot(dir, name, { dim: expectDim, modelId: expectModel });
        if (name === 'current') this.currentVerified = true;
        return s;
      } catch (e) {
        if (!(e instanceof CorruptSnapshotError)) throw e;
        this.setAside(dir, name, e, log);
      }
    }
    return undefined;
  }

  /** tmp-* folders are writes that never finished (or trash of one): nothing in them is needed. */
  private removeLeftovers(log?: StoreLog): void {
    for (const name of readdirSync(this.dir)) {
      if (!name.startsWith('tmp-')) continue;
      const dir = path.join(this.dir, name);
      try {
        rmSync(dir, { recursive: true, force: true });
        log?.info({ dir }, 'removed the leftover of an unfinished snapshot');
      } catch (e) {
        log?.warn({ dir, err: (e as Error).message }, 'could not remove the leftover of an unfinished snapshot (read-only volume?)');
      }
    }
  }

  /** Moves a damaged snapshot to corrupt-<time>-<name>/ and keeps only the newest KEEP_CORRUPT of those. */
  private setAside(dir: string, name: Slot, err: CorruptSnapshotError, log?: StoreLog): void {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const dest = path.join(this.dir, `corrupt-${stamp}-${name}`);
    try {
      renameSync(dir, dest);
      log?.error({ dir, kind: err.kind, err: err.message, setAsideTo: dest }, 'corrupt state snapshot set aside');
    } catch (e) {
      log?.error({ dir, kind: err.kind, err: err.message, renameError: (e as Error).message }, 'corrupt state snapshot could not be set aside; ignoring it');
      return;
    }
    const old = readdirSync(this.dir)
      .filter((n) => n.startsWith('corrupt-'))
      .sort()
      .slice(0, -KEEP_CORRUPT);
    for (const n of old) rmSync(path.join(this.dir, n), { recursive: true, force: true }); // the rename just worked: the volume is writable
  }
}

function isSound(dir: string): boolean {
  try {
    verifySnapshotFiles(dir);
    return true;
  } catch {
    return false;
  }
}
