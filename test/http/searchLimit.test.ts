// /api/search admission: at most searchConcurrency running, searchQueue waiting, 429 with
// Retry-After beyond; a deadline (queue included) answers 503; slots are freed when searches settle.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { QueueAbortedError, SearchLimiter } from '../../src/http/searchLimiter.js';
import { Gate, startFake } from './fakeContext.js';

const servers: Array<{ close(): Promise<void> }> = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

test('SearchLimiter: slots, a FIFO queue, refusal when full, abort leaves the queue, release once', async () => {
  const l = new SearchLimiter(2, 2);
  const r1 = await l.tryAcquire()!;
  const r2 = await l.tryAcquire()!;
  const order: string[] = [];
  const w3 = l.tryAcquire()!.then((r) => (order.push('w3'), r));
  const abort = new AbortController();
  const w4 = l.tryAcquire(abort.signal)!;
  assert.equal(l.tryAcquire(), undefined, 'full: 2 running, 2 waiting');
  assert.deepEqual([l.running, l.queued], [2, 2]);
  abort.abort('client left');
  await assert.rejects(w4, QueueAbortedError);
  assert.equal(l.queued, 1);
  const w5 = l.tryAcquire()!.then((r) => (order.push('w5'), r));
  r1();
  r1(); // a second call is a no-op
  const r3 = await w3;
  assert.deepEqual([l.running, l.queued], [2, 1]);
  r2();
  const r5 = await w5;
  assert.deepEqual(order, ['w3', 'w5']);
  r3();
  r5();
  assert.deepEqual([l.running, l.queued], [0, 0]);
  assert.throws(() => new SearchLimiter(0, 1), /concurrency/);
});

/** Resolves with `p`, or rejects after `ms` with `what` (an upper bound, not a speed assertion). */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)));
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

test('500 concurrent searches: 2 run, 8 wait, the other 490 get 429 with Retry-After at once; the 10 are served later', async () => {
  const s = await startFake({ searchConcurrency: 2, searchQueue: 8 });
  servers.push(s.http);
  const gate = (s.ctx.gate = new Gate());
  let refused = 0;
  let allRefused!: () => void;
  const refusedAll = new Promise<void>((r) => (allRefused = r));
  const answers = Array.from({ length: 500 }, async (_, i) => {
    const r = await fetch(`${s.url}/api/search?q=text+${i}`, { signal: AbortSignal.timeout(120_000) });
    const body = (await r.json()) as { error?: string };
    if (r.status === 429) {
      assert.equal(r.headers.get('retry-after'), '1');
      assert.match(body.error ?? '', /too many searches/);
      if (++refused === 490) allRefused();
    }
    return r.status;
  });
  // the refusals arrive while the two running searches are still held at the gate
  await within(refusedAll, 60_000, '490 refusals');
  assert.equal(s.ctx.searchCalls, 2);
  assert.equal(s.ctx.maxRunning, 2);
  gate.open();
  const statuses = await Promise.all(answers);
  assert.equal(statuses.filter((x) => x === 200).length, 10);
  assert.equal(statuses.filter((x) => x === 429).length, 490);
  assert.equal(s.ctx.maxRunning, 2, 'never more than searchConcurrency at once');
  assert.equal(s.ctx.searchCalls, 10);
});

test('deadline: running and queued searches answer 503 with Retry-After; the queued one never runs; the slot frees when the search ends', async () => {
  const s = await startFake({ searchConcurrency: 1, searchQueue: 1, searchTimeoutMs: 300 });
  servers.push(s.http);
  const gate = (s.ctx.gate = new Gate());
  const [a, b] = await Promise.all([fetch(`${s.url}/api/search?q=a`), fetch(`${s.url}/api/search?q=b`)]);
  assert.deepEqual([a.status, b.status], [503, 503]);
  assert.equal(a.headers.get('retry-after'), '5');
  assert.match(((await a.json()) as { error: string }).error, /did not finish/);
  assert.equal(s.ctx.searchCalls, 1, 'the queued search left the queue at its deadline');
  // the first search still holds its slot until it really ends
  assert.equal((await fetch(`${s.url}/api/search?q=c`)).status, 503);
  gate.open();
  s.ctx.gate = undefined;
  const ok = await fetch(`${s.url}/api/search?q=d&k=3`);
  assert.equal(ok.status, 200);
  assert.equal(((await ok.json()) as { hits: Array<{ text: string }> }).hits[0]!.text, 'd');
});

test('a failing search answers 500 and frees its slot', async () => {
  const s = await startFake({ searchConcurrency: 1, searchQueue: 0 });
  servers.push(s.http);
  s.ctx.searchError = new Error('embedder closed');
  assert.equal((await fetch(`${s.url}/api/search?q=a`)).status, 500);
  s.ctx.searchError = undefined;
  assert.equal((await fetch(`${s.url}/api/search?q=b`)).status, 200);
});

test('a client that hangs up while queued gives its place back', async () => {
  const s = await startFake({ searchConcurrency: 1, searchQueue: 1 });
  servers.push(s.http);
  const gate = (s.ctx.gate = new Gate());
  // the server's own listener runs first: when ours sees a request, it is already running or queued
  const arrived: Array<(res: import('node:http').ServerResponse) => void> = [];
  s.http.server.on('request', (_req, res) => arrived.shift()?.(res));
  const next = () => new Promise<import('node:http').ServerResponse>((r) => arrived.push(r));
  const first = next();
  const a = fetch(`${s.url}/api/search?q=a`);
  await within(first, 10_000, 'search a at the server');
  const second = next();
  const leaving = new AbortController();
  const b = fetch(`${s.url}/api/search?q=b`, { signal: leaving.signal }).catch((e: Error) => e.name);
  const bRes = await within(second, 10_000, 'search b at the server');
  const bClosed = new Promise<void>((r) => bRes.once('close', () => r()));
  leaving.abort();
  assert.equal(await b, 'AbortError');
  await within(bClosed, 10_000, 'the server noticing that b left');
  const c = fetch(`${s.url}/api/search?q=c`);
  const third = next();
  await within(third, 10_000, 'search c at the server');
  gate.open();
  assert.deepEqual([(await a).status, (await c).status], [200, 200], 'c was queued, not refused');
  assert.equal(s.ctx.searchCalls, 2, 'b never ran');
});
