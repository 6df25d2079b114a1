import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readDocs } from '../../src/io/readDocs.js';
import { validateRecord, parseTimestamp } from '../../src/io/validate.js';
import { InputError } from '../../src/io/lines.js';

const fields = { textField: 'text', idField: 'id', tsField: 'ts', labelField: 'label', maxTextChars: 1_000_000 };

function tmpFile(name: string, content: Buffer | string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ts-io-'));
  const f = path.join(dir, name);
  writeFileSync(f, content);
  return f;
}

test('bad lines are reported by number and reason; the good ones around them are kept', async () => {
  const big = 'x'.repeat(10 * 1024 * 1024);
  const lines = [
    Buffer.from('{"id":"a","text":"first good post","ts":"2020-01-02T03:04:05Z","label":"L","extra":1}\n'),
    Buffer.from('this is not json\n'),
    Buffer.from('{"id":"b"}\n'),
    Buffer.from('{"id":"c","text":"   "}\n'),
    Buffer.from('{"id":"d","text":12}\n'),
    Buffer.from(`{"id":"e","text":"${big}"}\n`),
    Buffer.concat([Buffer.from('{"id":"f","text":"bad '), Buffer.from([0xff, 0xfe]), Buffer.from(' bytes"}\n')]),
    Buffer.from('\n'),
    Buffer.from('[1,2]\n'),
    Buffer.from('{"id":"a","text":"same id again"}\n'),
    Buffer.from('{"id":"g","text":"bad date","ts":"yesterday-ish"}\n'),
    Buffer.from('{"text":"no id, line number used","ts":1577934245}\r\n'),
    Buffer.from('{"id":7,"text":"numeric id, last line without newline"}'),
  ];
  const f = tmpFile('in.jsonl', Buffer.concat(lines));
  const r = await readDocs(f, fields);
  assert.deepEqual(r.docs.map((d) => d.id), ['a', 'line-12', '7']);
  assert.equal(r.docs[0]!.ts, Date.parse('2020-01-02T03:04:05Z'));
  assert.equal(r.docs[0]!.label, 'L');
  assert.deepEqual(r.docs[0]!.meta, { extra: 1 });
  assert.equal(r.docs[1]!.ts, 1577934245000, 'epoch seconds are read as seconds');
  assert.deepEqual(
    r.rejected.map((x) => [x.lineNo, x.reason]),
    [
      [2, 'not_json'],
      [3, 'missing_text'],
      [4, 'empty_text'],
      [5, 'wrong_type'],
      [6, 'oversize'],
      [7, 'invalid_utf8'],
      [9, 'not_object'],
      [10, 'duplicate_id'],
      [11, 'bad_timestamp'],
    ],
  );
});

test('gzip is detected by its bytes, and --limit stops early', async () => {
  const body = Array.from({ length: 50 }, (_, i) => JSON.stringify({ id: `d${i}`, text: `post ${i}` })).join('\n');
  const f = tmpFile('x.data', gzipSync(body));
  const r = await readDocs(f, { ...fields, limit: 10 });
  assert.equal(r.docs.length, 10);
  assert.equal(r.docs[9]!.id, 'd9');
});

test('a missing file is an InputError naming the file', async () => {
  await assert.rejects(readDocs('/nonexistent/posts.jsonl', fields), (e: unknown) => e instanceof InputError && /not found: \/nonexistent\/posts.jsonl/.test(e.message));
});

test('other text fields and Kafka-style fallback ids', () => {
  const r = validateRecord(Buffer.from('{"body":"hello there"}'), { ...fields, textField: 'body' }, 'posts-0-42');
  assert.ok(r.ok);
  if (r.ok) assert.equal(r.doc.id, 'posts-0-42');
  assert.equal(parseTimestamp('1700000000000'), 1700000000000);
  assert.equal(parseTimestamp(null), undefined);
  assert.equal(parseTimestamp({}), null);
});
