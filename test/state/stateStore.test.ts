/**
 * StateStore against real files in a temp folder: durable layout (manifest with checksums,
 * previous/ kept), every kind of damage (truncated, bit-flipped, missing file, bad JSON, row
 * count), the fallback order current/ → previous/ → empty, damaged snapshots set aside, leftovers
 * of crashed writes removed, another model's snapshot refused, format 1 still read.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StateStore, SnapshotMismatchError, KEEP_CORRUPT } from '../../src/state/stateStore.js';
import { STATE_FORMAT, STATE_FORMAT_V1 } from '../../src/state/format.js';
import type { Manifest } from '../../src/state/manifest.js';
import { DIM, MODEL_ID, SOURCE, captureLog, filledProcessor, flipBit, newProcessor, posts, removeTempDirs, resign, tempStateDir, truncate } from './snapshotFixtures.js';

after(removeTempDirs);

/** A store with two snapshots (previous/ holds 60 documents, current/ 80). */
async function twoSnapshots() {
  const dir = tempStateDir();
  const store = new StateStore(dir);
  const p = await filledProcessor(60);
  store.save(p.snapshot(), MODEL_ID, SOURCE);
  await p.handleBatch(posts(20));
  store.save(p.snapshot(), MODEL_ID, SOURCE);
  return { dir, store, p, cur: path.join(dir, 'current'), prev: path.join(dir, 'previous') };
}

const corruptDirs = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('corrupt-'));

test('a snapshot round-trips: documents, vectors, registry, counters, offsets; the manifest checksums every file', async () => {
  const dir = tempStateDir();
  const p = await filledProcessor(60);
  const r = new StateStore(dir).save(p.snapshot(), MODEL_ID, SOURCE);
  assert.equal(r.docs, 60);
  const m = JSON.parse(readFileSync(path.join(dir, 'current', 'manifest.json'), 'utf8')) as Manifest;
  assert.equal(m.state_format, STATE_FORMAT);
  assert.deepEqual(Object.keys(m.files).sort(), ['docs.jsonl', 'state.json', 'vectors.f32']);
  assert.equal(m.files['vectors.f32']!.bytes, 60 * DIM * 4);
  assert.match(m.sha256, /^[0-9a-f]{64}$/);

  const s = new StateStore(dir).load(DIM, MODEL_ID)!;
  assert.equal(s.from, 'current');
  assert.equal(s.format, STATE_FORMAT);
  const view = p.window.view();
  assert.deepEqual(s.docs, view.docs);
  assert.deepEqual(Array.from(s.vectors), Array.from(view.embeddings));
  assert.equal(s.state.modelVersion, p.modelVersion);
  assert.ok(s.state.modelVersion >= 1);
  assert.equal(s.state.nextTopicId, p.registry.nextId);
  assert.deepEqual(s.topics, p.registry.all());
  assert.deepEqual(s.state.offsets, p.snapshot().state.offsets);

  const q = newProcessor();
  q.restore(s);
  assert.equal(q.window.size, 60);
  assert.equal(q.modelVersion, p.modelVersion);
});

test('the second save keeps the first as previous/, both sound', async () => {
  const { store, cur, prev } = await twoSnapshots();
  assert.ok(existsSync(path.join(prev, 'manifest.json')));
  assert.equal((JSON.parse(readFileSync(path.join(prev, 'state.json'), 'utf8')) as { n_docs: number }).n_docs, 60);
  assert.equal((JSON.parse(readFileSync(path.join(cur, 'state.json'), 'utf8')) as { n_docs: number }).n_docs, 80);
  assert.equal(store.load(DIM, MODEL_ID)!.docs.length, 80);
});

const damages: Array<{ name: string; kind: string; damage: (cur: string) => void }> = [
  { name: 'state.json truncated', kind: 'truncated', damage: (c) => truncate(path.join(c, 'state.json')) },
  { name: 'vectors.f32 truncated', kind: 'truncated', damage: (c) => truncate(path.join(c, 'vectors.f32'), 0.9) },
  { name: 'a bit flipped in docs.jsonl', kind: 'checksum', damage: (c) => flipBit(path.join(c, 'docs.jsonl')) },
  { name: 'a bit flipped in vectors.f32', kind: 'checksum', damage: (c) => flipBit(path.join(c, 'vectors.f32'), 0.3) },
  { name: 'docs.jsonl missing', kind: 'missing_file', damage: (c) => rmSync(path.join(c, 'docs.jsonl')) },
  { name: 'manifest.json missing', kind: 'missing_file', damage: (c) => rmSync(path.join(c, 'manifest.json')) },
  { name: 'manifest.json truncated', kind: 'bad_json', damage: (c) => truncate(path.join(c, 'manifest.json')) },
  { name: 'manifest.json edited', kind: 'checksum', damage: (c) => writeFileSync(path.join(c, 'manifest.json'), readFileSync(path.join(c, 'manifest.json'), 'utf8').replace(/"bytes": \d+/, '"bytes": 1')) },
  {
    name: 'state.json not JSON (manifest re-signed)',
    kind: 'bad_json',
    damage: (c) => {
      writeFileSync(path.join(c, 'state.json'), '{"format": "topicstream-state/2", ');
      resign(c);
    },
  },
  {
    name: 'a document line missing (manifest re-signed)',
    kind: 'row_count',
    damage: (c) => {
      const lines = readFileSync(path.join(c, 'docs.jsonl'), 'utf8').split('\n');
      lines.splice(3, 1);
      writeFileSync(path.join(c, 'docs.jsonl'), lines.join('\n'));
      resign(c);
    },
  },
  {
    name: 'vectors for fewer rows (manifest re-signed)',
    kind: 'row_count',
    damage: (c) => {
      truncate(path.join(c, 'vectors.f32'), 0.5);
      resign(c);
    },
  },
];

for (const d of damages) {
  test(`current/ with ${d.name}: logged, set aside as corrupt-*, previous/ loaded`, async () => {
    const { dir, cur } = await twoSnapshots();
    d.damage(cur);
    const log = captureLog();
    const s = new StateStore(dir).load(DIM, MODEL_ID, log);
    assert.ok(s, 'previous/ was loaded');
    assert.equal(s.from, 'previous');
    assert.equal(s.docs.length, 60);
    assert.equal(existsSync(cur), false, 'current/ moved away');
    const set = corruptDirs(dir);
    assert.equal(set.length, 1);
    assert.match(set[0]!, /^corrupt-.*-current$/);
    const e = log.entries.find((x) => x.msg === 'corrupt state snapshot set aside');
    assert.ok(e, JSON.stringify(log.entries));
    assert.equal(e.level, 'error');
    assert.equal(e.fields.kind, d.kind, String(e.fields.err));
    assert.equal(e.fields.dir, cur);
  });
}

test('crash between the renames (no current/, previous/ there): previous/ is loaded, the next save becomes current/', async () => {
  const { dir, store, p, cur } = await twoSnapshots();
  rmSync(cur, { recursive: true });
  const log = captureLog();
  const s = new StateStore(dir).load(DIM, MODEL_ID, log);
  assert.equal(s?.from, 'previous');
  assert.equal(s.docs.length, 60);
  assert.ok(log.entries.some((e) => e.level === 'warn' && /no current snapshot/.test(e.msg)));
  store.save(p.snapshot(), MODEL_ID, SOURCE);
  const again = new StateStore(dir).load(DIM, MODEL_ID)!;
  assert.equal(again.from, 'current');
  assert.equal(again.docs.length, 80);
  assert.equal((JSON.parse(readFileSync(path.join(dir, 'previous', 'state.json'), 'utf8')) as { n_docs: number }).n_docs, 60, 'previous/ kept');
});

test('leftovers of crashed writes (tmp-*) are removed at load; other entries are left alone', async () => {
  const { dir } = await twoSnapshots();
  mkdirSync(path.join(dir, 'tmp-write-1234-1700000000000-0'));
  writeFileSync(path.join(dir, 'tmp-write-1234-1700000000000-0', 'docs.jsonl'), 'half a fi');
  mkdirSync(path.join(dir, 'tmp-old-1234-1700000000001-1'));
  writeFileSync(path.join(dir, 'notes.txt'), 'an operator file');
  const log = captureLog();
  assert.equal(new StateStore(dir).load(DIM, MODEL_ID, log)?.from, 'current');
  assert.deepEqual(readdirSync(dir).sort(), ['current', 'notes.txt', 'previous']);
  assert.equal(log.entries.filter((e) => /leftover/.test(e.msg)).length, 2);
});

test('both snapshots damaged: both set aside, load returns nothing (start empty)', async () => {
  const { dir, cur, prev } = await twoSnapshots();
  truncate(path.join(cur, 'vectors.f32'));
  flipBit(path.join(prev, 'state.json'));
  const log = captureLog();
  assert.equal(new StateStore(dir).load(DIM, MODEL_ID, log), undefined);
  assert.deepEqual(corruptDirs(dir).map((n) => n.replace(/^corrupt-.*-/, '')).sort(), ['current', 'previous']);
  assert.equal(log.entries.filter((e) => e.msg === 'corrupt state snapshot set aside').length, 2);
});

test('an empty or missing state folder loads as nothing', () => {
  const dir = tempStateDir();
  assert.equal(new StateStore(dir).load(DIM, MODEL_ID), undefined);
  mkdirSync(dir, { recursive: true });
  assert.equal(new StateStore(dir).load(DIM, MODEL_ID), undefined);
});

test(`at most ${KEEP_CORRUPT} corrupt-* folders are kept, the newest`, async () => {
  const { dir } = await twoSnapshots();
  for (let i = 0; i < KEEP_CORRUPT + 2; i++) mkdirSync(path.join(dir, `corrupt-2020-01-0${i + 1}T00-00-00-000Z-current`));
  truncate(path.join(dir, 'current', 'state.json'));
  new StateStore(dir).load(DIM, MODEL_ID);
  const kept = corruptDirs(dir).sort();
  assert.equal(kept.length, KEEP_CORRUPT);
  assert.ok(!kept.some((n) => n.startsWith('corrupt-2020-01-01')), kept.join(' '));
  assert.ok(kept.some((n) => !n.startsWith('corrupt-2020')), 'the one just set aside is kept');
});

test('a snapshot of another model or dimension is a start-up error, and is not set aside', async () => {
  const { dir, cur } = await twoSnapshots();
  assert.throws(() => new StateStore(dir).load(DIM, 'another/model'), (e: Error) => e instanceof SnapshotMismatchError && e.message.includes(cur) && e.message.includes('another/model'));
  assert.throws(() => new StateStore(dir).load(DIM * 2, MODEL_ID), SnapshotMismatchError);
  assert.ok(existsSync(cur));
  assert.equal(corruptDirs(dir).length, 0);
});

test('a damaged current/ that was never loaded is not rotated into previous/ (the sound previous/ stays)', async () => {
  const { dir, p, cur } = await twoSnapshots();
  flipBit(path.join(cur, 'docs.jsonl'));
  await p.handleBatch(posts(5));
  new StateStore(dir).save(p.snapshot(), MODEL_ID, SOURCE); // a fresh store: current/ not verified by this process
  const s = new StateStore(dir).load(DIM, MODEL_ID)!;
  assert.equal(s.docs.length, 85);
  rmSync(path.join(dir, 'current'), { recursive: true });
  assert.equal(new StateStore(dir).load(DIM, MODEL_ID)!.docs.length, 60, 'previous/ is still the sound 60-document snapshot');
});

test('a topicstream-state/1 snapshot (no manifest) is still read', async () => {
  const dir = tempStateDir();
  const p = await filledProcessor(60);
  new StateStore(dir).save(p.snapshot(), MODEL_ID, SOURCE);
  const cur = path.join(dir, 'current');
  const st = JSON.parse(readFileSync(path.join(cur, 'state.json'), 'utf8')) as { format: string };
  st.format = STATE_FORMAT_V1;
  writeFileSync(path.join(cur, 'state.json'), JSON.stringify(st));
  rmSync(path.join(cur, 'manifest.json'));
  const s = new StateStore(dir).load(DIM, MODEL_ID)!;
  assert.equal(s.format, STATE_FORMAT_V1);
  assert.equal(s.docs.length, 60);
  truncate(path.join(cur, 'docs.jsonl'), 0.7);
  assert.equal(new StateStore(dir).load(DIM, MODEL_ID), undefined, 'a damaged format-1 snapshot is caught by its row counts');
});

test('after a save only current/ and previous/ remain; a tmp-* folder (an interrupted write) goes at the next load', async () => {
  const { dir } = await twoSnapshots();
  assert.deepEqual(readdirSync(dir).sort(), ['current', 'previous']);
  renameSync(path.join(dir, 'previous'), path.join(dir, 'tmp-write-1-2-3'));
  new StateStore(dir).load(DIM, MODEL_ID);
  assert.deepEqual(readdirSync(dir).sort(), ['current']);
});
