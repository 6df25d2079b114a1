/**
 * The live feed's `trending` event (issue 14): the trending state after a batch, at most once per
 * interval with the last change always delivered, sent to a new dashboard at once when there is
 * one, and on /api/stream as a server-sent event; and which rows the dashboard's "Rising now" makes of it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { LiveFeed } from '../../src/service/liveFeed.js';
import type { TrendState } from '../../src/stream/trend/trendMonitor.js';
import { startFake } from './fakeContext.js';
import { CLIENT_TRENDING } from '../../src/http/dashboard/clientTrending.js';

const INTERVAL_MS = 200;

function stateAt(n: number): TrendState {
  return { at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(), model_version: 1, topics: [], forming: [], events: [] };
}

/** A subscriber that records what it is sent and when. */
function record(feed: LiveFeed) {
  const got: Array<{ event: string; data: { at?: string }; t: number }> = [];
  const unsubscribe = feed.subscribe((event, json) => got.push({ event, data: JSON.parse(json) as { at?: string }, t: performance.now() }), () => {});
  return { got, unsubscribe, trending: () => got.filter((g) => g.event === 'trending') };
}

test('trending: sent at once, then at most once per interval, the last change always delivered', async () => {
  const feed = new LiveFeed(() => ({ topics: [] }), INTERVAL_MS);
  const a = record(feed);
  assert.deepEqual(a.got.map((g) => g.event), ['topics'], 'nothing is trending before the first batch');

  feed.trendingChanged(stateAt(1));
  feed.trendingChanged(stateAt(2));
  feed.trendingChanged(stateAt(3));
  assert.deepEqual(a.trending().map((g) => g.data.at), [stateAt(1).at], 'the first at once, the others held');
  await sleep(INTERVAL_MS * 2.5);
  assert.deepEqual(a.trending().map((g) => g.data.at), [stateAt(1).at, stateAt(3).at], 'after the interval: the latest only');

  // a new dashboard gets the topics and the trending state now
  const b = record(feed);
  assert.deepEqual(b.got.map((g) => [g.event, g.data.at]), [['topics', undefined], ['trending', stateAt(3).at]]);
  // topics and trending are limited apart: one does not hold the other
  feed.topicsChanged();
  feed.trendingChanged(stateAt(4));
  assert.deepEqual(b.got.slice(2).map((g) => g.event), ['topics', 'trending']);
  feed.close();
});

test('trending under a burst of batches: gaps of at least the interval, the final state last', async () => {
  const feed = new LiveFeed(() => ({ topics: [] }), INTERVAL_MS);
  const a = record(feed);
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < INTERVAL_MS * 5) {
    feed.trendingChanged(stateAt(++n));
    await sleep(10);
  }
  await sleep(INTERVAL_MS * 2);
  const sent = a.trending();
  assert.ok(n > 10, `${n} batches`);
  assert.ok(sent.length >= 2 && sent.length <= 7, `${sent.length} trending events for ${n} batches in ${INTERVAL_MS * 5} ms`);
  for (let i = 1; i < sent.length; i++) assert.ok(sent[i]!.t - sent[i - 1]!.t >= INTERVAL_MS - 5, `gap ${i}: ${(sent[i]!.t - sent[i - 1]!.t).toFixed(0)} ms`);
  assert.equal(sent.at(-1)!.data.at, stateAt(n).at, 'the last state is delivered');
  feed.close();
});

test('trending with no dashboard: nothing sent, the state kept for the next one; nothing after close', async () => {
  const feed = new LiveFeed(() => ({ topics: [] }), INTERVAL_MS);
  feed.trendingChanged(stateAt(1));
  feed.trendingChanged(stateAt(2));
  const a = record(feed);
  assert.deepEqual(a.got.map((g) => [g.event, g.data.at]), [['topics', undefined], ['trending', stateAt(2).at]]);
  feed.trendingChanged(stateAt(3));
  feed.trendingChanged(stateAt(4));
  feed.close();
  await sleep(INTERVAL_MS * 1.5);
  assert.deepEqual(a.trending().map((g) => g.data.at), [stateAt(2).at, stateAt(3).at], 'the held change dies with the feed');
});

test('/api/stream: a `trending` server-sent event with the state, on connect and after a batch', { timeout: 30_000 }, async () => {
  const { ctx, http, url } = await startFake();
  try {
    ctx.feed.trendingChanged(ctx.trending());
    const ac = new AbortController();
    const r = await fetch(`${url}/api/stream`, { signal: ac.signal });
    const reader = r.body!.getReader();
    const blocks: Array<{ event: string; data: unknown }> = [];
    let buf = '';
    let pushed = false;
    while (blocks.filter((b) => b.event === 'trending').length < 2) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += Buffer.from(value).toString('utf8');
      for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) blocks.push({ event, data: JSON.parse(data) });
      }
      if (!pushed && blocks.some((b) => b.event === 'trending')) {
        pushed = true;
        ctx.feed.trendingChanged({ ...ctx.trending(), at: '2026-01-01T00:00:05.000Z' });
      }
    }
    ac.abort();
    assert.deepEqual(blocks.map((b) => b.event), ['topics', 'trending', 'trending']);
    assert.deepEqual(blocks[1]!.data, ctx.trending(), 'the /api/trending body');
    assert.equal((blocks[2]!.data as TrendState).at, '2026-01-01T00:00:05.000Z');
    assert.deepEqual(await (await fetch(`${url}/api/trending`)).json(), ctx.trending());
  } finally {
    ctx.feed.close();
    await http.close();
  }
});

test('the dashboard\'s "Rising now" rows: forming (largest first), weak/strong by growth, then top by growth up to 5', () => {
  // the client part alone, with the helpers of clientCore.ts it uses at its start
  const intId = (x: unknown) => (Number.isSafeInteger(Number(x)) ? Number(x) : 0);
  const coalesce = (fn: unknown) => fn;
  const risingRows = new Function('intId', 'coalesce', `${CLIENT_TRENDING}\nreturn risingRows;`)(intId, coalesce) as (t: unknown) => Array<{ kind: string; item: { topic?: number; forming_id?: number } }>;
  const topic = (id: number, growth: number, signal: string) => ({ topic: id, label: `t${id}`, words: [], popularity: 9, share: 0.1, baseline: 0.1, growth, signal });
  const forming = (id: number, size: number) => ({ forming_id: id, label: `f${id}`, words: [], size, growth: 0.5, signal: 'weak', sample_docs: [] });
  const ids = (t: unknown) => risingRows(t).map((r) => (r.kind === 'forming' ? `f${r.item.forming_id}` : `t${r.item.topic}`));

  const topics = [topic(4, 3.5, 'strong'), topic(2, 2.2, 'weak'), topic(7, 1.8, 'stable'), topic(-1, 1.5, 'stable'), topic(1, 1.2, 'noise'), topic(3, 0.9, 'stable'), topic(5, 0.2, 'fading')];
  assert.deepEqual(ids({ topics, forming: [forming(1, 30), forming(2, 45)] }), ['f2', 'f1', 't4', 't2', 't7'], 'filled to 5 with the next by growth; outliers never');
  assert.deepEqual(ids({ topics: topics.slice(2), forming: [] }), ['t7', 't1', 't3', 't5'], 'no signal: the top by growth');
  const many = Array.from({ length: 7 }, (_, i) => topic(10 + i, 5 - i * 0.1, 'weak'));
  assert.equal(ids({ topics: [...many, topic(1, 1, 'stable')], forming: [] }).length, 7, 'every weak/strong topic, nothing more');
  assert.deepEqual(ids({ error: 'off' }), []);
});
