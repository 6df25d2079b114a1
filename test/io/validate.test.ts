import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTimestamp, validateRecord, type FieldOptions } from '../../src/io/validate.js';

const opts: FieldOptions = { textField: 'text', idField: 'id', tsField: 'ts', labelField: 'label', maxTextChars: 1000, maxIdChars: 10 };
const validate = (v: unknown) => validateRecord(Buffer.from(JSON.stringify(v)), opts, 'fallback');

test('timestamps: ISO-8601, RFC 2822 and epoch numbers are read; free text with digits is not a date', () => {
  assert.equal(parseTimestamp('2016-01-01T10:00:00Z'), Date.UTC(2016, 0, 1, 10));
  assert.equal(parseTimestamp('2016-01-01 10:00:00'), Date.parse('2016-01-01 10:00:00'));
  assert.equal(parseTimestamp('2016-01-01'), Date.UTC(2016, 0, 1));
  assert.equal(parseTimestamp('Wed Oct 10 20:19:24 +0000 2018'), Date.UTC(2018, 9, 10, 20, 19, 24));
  assert.equal(parseTimestamp('Wed, 10 Oct 2018 20:19:24 +0000'), Date.UTC(2018, 9, 10, 20, 19, 24));
  assert.equal(parseTimestamp(1451606400), 1451606400000);
  assert.equal(parseTimestamp('1451606400000'), 1451606400000);
  // Date.parse takes these (as 2001-12-01 and 2025-...): they are not timestamps
  for (const bad of ['foo 12', 'yesterday-ish 25', 'March 7, 2016', '12', 'now']) assert.equal(parseTimestamp(bad), bad === '12' ? 12_000 : null, bad);
  assert.equal(validate({ id: 'a', text: 't', ts: 'foo 12' }).ok, false);
});

test('ids: longer than input.maxIdChars is oversize_id; a number id is its decimal string, the same id as that string', () => {
  const long = validate({ id: 'x'.repeat(11), text: 't' });
  assert.equal(long.ok, false);
  assert.equal(!long.ok && long.rejection.reason, 'oversize_id');
  const n = validate({ id: 1, text: 't' });
  const s = validate({ id: '1', text: 't' });
  assert.ok(n.ok && s.ok);
  assert.equal(n.ok && n.doc.id, '1');
  assert.equal(s.ok && s.doc.id, '1', 'every output carries doc_id as a string: 1 and "1" name one document');
  assert.equal(validate({ id: { a: 1 }, text: 't' }).ok, false);
});
