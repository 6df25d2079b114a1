/** The Kafka source's coalescer (src/kafka/coalescer.ts): partitions handed over together go out in one handler call. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BatchCoalescer } from '../../src/kafka/coalescer.js';
import type { RawRecord } from '../../src/stream/types.js';

const recs = (partition: number, from: number, n: number): RawRecord[] =>
  Array.from({ length: n }, (_, i) => ({ topic: 't', partition, offset: String(from + i), key: null, value: Buffer.from('x'), timestamp: 0 }));

test('records of partitions handed over together reach the handler in one call, in order, at most maxRecords', async () => {
  const calls: string[][] = [];
  const c = new BatchCoalescer(async (r) => {
    calls.push(r.map((x) => `${x.partition}:${x.offset}`));
    await new Promise((res) => setTimeout(res, 5));
  }, 10);
  await Promise.all([c.submit(recs(0, 0, 3)), c.submit(recs(1, 0, 4)), c.submit(recs(2, 0, 5))]);
  assert.deepEqual(calls, [['0:0', '0:1', '0:2', '1:0', '1:1', '1:2', '1:3'], ['2:0', '2:1', '2:2', '2:3', '2:4']]);
  // what arrives while a call runs waits for it, then goes out together
  calls.length = 0;
  const first = c.submit(recs(0, 3, 2));
  await new Promise((res) => setTimeout(res, 1));
  await Promise.all([first, c.submit(recs(1, 4, 1)), c.submit(recs(2, 5, 1))]);
  assert.deepEqual(calls, [['0:3', '0:4'], ['1:4', '2:5']]);
});

test('a failed call rejects every submission it held; the next call goes on', async () => {
  let fail = true;
  const c = new BatchCoalescer(async () => {
    if (fail) {
      fail = false;
      throw new Error('broker away');
    }
  }, 64);
  const results = await Promise.allSettled([c.submit(recs(0, 0, 2)), c.submit(recs(1, 0, 2))]);
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
  await c.submit(recs(0, 0, 2));
});

test('with two calls in flight, a third waits for one of them and takes what arrived meanwhile together', async () => {
  const calls: string[][] = [];
  let running = 0;
  let most = 0;
  const c = new BatchCoalescer(async (r) => {
    running++;
    most = Math.max(most, running);
    calls.push(r.map((x) => `${x.partition}:${x.offset}`));
    await new Promise((res) => setTimeout(res, 20));
    running--;
  }, 10, 2);
  const first = c.submit(recs(0, 0, 10));
  await new Promise((res) => setTimeout(res, 1));
  const second = c.submit(recs(1, 0, 10));
  await new Promise((res) => setTimeout(res, 1));
  // both calls run: these two wait, then go out in one call
  await Promise.all([first, second, c.submit(recs(2, 0, 3)), c.submit(recs(3, 0, 4))]);
  assert.equal(most, 2);
  assert.deepEqual(calls.map((x) => x.length), [10, 10, 7]);
  assert.deepEqual(calls[2]!.map((x) => x.split(':')[0]), ['2', '2', '2', '3', '3', '3', '3']);
});
