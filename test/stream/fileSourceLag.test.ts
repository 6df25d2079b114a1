// The file source's lag: lines not yet handled, once the file is counted; 0 at the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileSource } from '../../src/stream/sources/fileSource.js';
import type { RawRecord } from '../../src/stream/types.js';

test('lag counts the lines behind the end of the file, and is 0 once it was read', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'topicstream-filelag-'));
  try {
    const file = path.join(dir, 'in.jsonl');
    writeFileSync(file, Array.from({ length: 10 }, (_, i) => JSON.stringify({ id: `d${i}`, text: `t ${i}` })).join('\n') + '\n\n');
    const src = new FileSource(file, { batchSize: 4, rate: 0 });
    const lags: Array<number | undefined> = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let batches = 0;
    await src.start(async (_recs: RawRecord[]) => {
      if (++batches === 2) await gate; // hold the second batch until the file is counted
    });
    // the count runs beside the reading: wait for it (bounded in wall time, not in tries: a loaded machine is slow)
    for (const until = Date.now() + 30_000; Date.now() < until && (await src.lag()) === undefined; ) await new Promise((r) => setTimeout(r, 10));
    lags.push((await src.lag())?.get(0));
    release();
    await src.finished();
    lags.push((await src.lag())?.get(0));
    assert.deepEqual(lags, [7, 0], 'after the first batch (lines 1-4) of 11 lines: 7 behind; at the end none');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
