// A tmpfs of a given size mounted on a test's state folder, to make it read-only (remount,ro: as
// root, chmod would not stop writes) or full (a filler file up to ENOSPC). Needs root, as CI runs;
// a failing mount fails the test with the command's output rather than skipping it.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

function run(args: string[]): { ok: boolean; out: string } {
  const r = spawnSync(args[0]!, args.slice(1), { encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}`.trim() };
}

export class Tmpfs {
  private mounted = false;

  constructor(readonly dir: string) {}

  mount(sizeBytes: number): void {
    mkdirSync(this.dir, { recursive: true });
    const r = run(['mount', '-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', this.dir]);
    if (!r.ok) throw new Error(`cannot mount a tmpfs on ${this.dir} (this test needs root and mount(8), as CI has): ${r.out}`);
    this.mounted = true;
  }

  /**
   * remount,ro or remount,rw. A remount to ro fails with EBUSY while a file is open for writing
   * (a snapshot in progress): retried until `timeoutMs`.
   */
  async remount(mode: 'ro' | 'rw', timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = run(['mount', '-o', `remount,${mode}`, this.dir]);
      if (r.ok) return;
      if (Date.now() > deadline) throw new Error(`mount -o remount,${mode} ${this.dir} kept failing: ${r.out}`);
      await new Promise((res) => setTimeout(res, 50));
    }
  }

  /** Fills the file system with one file until ENOSPC; returns its path (remove it to free the space). */
  fill(): string {
    const file = path.join(this.dir, 'filler');
    const fd = openSync(file, 'w');
    try {
      for (const chunk of [1 << 20, 4096, 1]) {
        const buf = Buffer.alloc(chunk, 0x55);
        for (;;) {
          try {
            writeSync(fd, buf);
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code === 'ENOSPC') break;
            throw e;
          }
        }
      }
    } finally {
      closeSync(fd);
    }
    return file;
  }

  /** Unmounts (lazily if busy) and removes the mount point; safe to call twice. */
  unmount(): void {
    if (!this.mounted) return;
    const r = run(['umount', this.dir]);
    if (!r.ok) {
      const lazy = run(['umount', '-l', this.dir]);
      if (!lazy.ok) throw new Error(`cannot unmount ${this.dir}: ${r.out}; ${lazy.out}`);
    }
    this.mounted = false;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
