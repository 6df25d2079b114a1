/**
 * The window index's upkeep (src/stream/assign/windowIndex.ts): a fresh index is built in a worker
 * thread and swapped in between batches, with what was added and evicted meanwhile; when the
 * build cannot come back in time the index is rebuilt inline; either way the slots stay within
 * 2 × (window + 1,024) and every window document, and only those, can be found. Random unit
 * vectors (the index does not care what they mean).
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { Mulberry32 } from '../../src/core/random.js';
import { WindowIndex } from '../../src/stream/assign/windowIndex.js';
import { WindowStore } from '../../src/stream/window/windowStore.js';
import { hnsw } from '../helpers/hnsw.js';

const DIM = 16;
const WINDOW = 500;

function setup() {
  const window = new WindowStore(WINDOW, DIM);
  const errors: unknown[] = [];
  const index = new WindowIndex(window, { hnsw: hnsw(), k: 5, minSimilarity: 0, minShare: 0, onBuildError: (e) => errors.push(e) });
  const rng = new Mulberry32(3);
  let n = 0;
  let maxSlots = 0;
  const batch = (size: number): void => {
    for (let i = 0; i < size; i++) {
      const vec = new Float32Array(DIM).map(() => rng.next() - 0.5);
      const { added, evicted } = window.add({ id: `d${n++}`, text: 'x' }, vec, 0, 1, 0, String(n), Date.now());
      for (const e of evicted) index.remove(e.seq);
      if (added) index.add(added.seq, vec);
      maxSlots = Math.max(maxSlots, index.capacity);
    }
    index.maintain();
  };
  const check = (): void => {
    assert.equal(index.count, window.size, 'live points = window documents');
    for (const d of window.iterate()) {
      const near = index.nearest(window.vectorOfSeq(d.seq)!, 3);
      assert.equal(near[0]?.doc.seq, d.seq, `document ${d.id} finds itself`);
    }
  };
  return { window, index, errors, batch, check, maxSlots: () => maxSlots };
}

test('fresh indexes are built in the background and swapped in with what happened meanwhile', async () => {
  const s = setup();
  for (let b = 0; b < 100; b++) {
    s.batch(50);
    // the service's batches take longer than a build of 500 points: wait for it, as time would
    while (s.index.buildPending) await sleep(5);
  }
  assert.deepEqual(s.errors, []);
  assert.ok(s.index.rebuilds.background >= 3, `background rebuilds: ${JSON.stringify(s.index.rebuilds)}`);
  assert.equal(s.index.rebuilds.inline, 0);
  assert.ok(s.maxSlots() <= 2 * (WINDOW + 1024), `slots reached ${s.maxSlots()}`);
  s.check();
});

test('without time for the background build, the index is rebuilt inline and stays bounded', () => {
  const s = setup();
  for (let b = 0; b < 200; b++) s.batch(50);
  assert.ok(s.index.rebuilds.inline >= 1, JSON.stringify(s.index.rebuilds));
  assert.ok(s.maxSlots() <= 2 * (WINDOW + 1024), `slots reached ${s.maxSlots()}`);
  s.check();
});
