// The local broker's cluster id (scripts/kafka/broker-config.mjs): Kafka's storage tool reads an id
// that starts with '-' as an option and refuses to format, so such ids are drawn again. One CI run
// in 64 failed on this before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers/paths.js';

interface BrokerConfig {
  newClusterId(random?: (n: number) => Buffer): string;
}
const lib = (await import(pathToFileURL(path.join(ROOT, 'scripts', 'kafka', 'broker-config.mjs')).href)) as BrokerConfig;

test('a cluster id is 16 bytes in unpadded base64url and never starts with "-"', () => {
  // 0xf8 puts 62 in the first six bits: base64url '-'.
  const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x01)];
  let calls = 0;
  const id = lib.newClusterId((n) => {
    assert.equal(n, 16);
    return draws[calls++]!;
  });
  assert.equal(calls, 3);
  assert.equal(id, Buffer.alloc(16, 0x01).toString('base64url'));
  assert.match(id, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  for (let i = 0; i < 2000; i++) assert.ok(!lib.newClusterId().startsWith('-'));
});
