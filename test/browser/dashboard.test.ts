/**
 * The live dashboard in a real browser: the service replays a slice of the tweets (`run --input
 * --serve`, small window, a refit every 300 documents) and keeps serving; headless Chromium
 * (Debian's chromium package, driven by playwright-core) opens `/` and checks what a user sees:
 * labelled topics, the over-time chart and the map with one mark per topic (read through ECharts'
 * getOption()), "Rising now" listing the topics of /api/trending (forming, weak/strong, then top by
 * growth; kept live by the `trending` events), a search for a word finding a topic with that word, a topic page with its
 * representative documents, a label set through the API arriving over the event stream (no
 * reload) and surviving a restart of the service on the same state folder; the page's own label box
 * (PUT, then back to automatic with DELETE). Every request the page
 * makes stays on the service's origin. With TOPICSTREAM_SCREENSHOTS=1 it also writes
 * docs/images/dashboard.png and docs/images/dashboard-topic.png.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../helpers/paths.js';
import { firstLines, httpPortOf, startCli, stopAllServices, writeJson, type ServiceProcess } from '../helpers/service.js';
import { freePort } from '../helpers/freePort.js';

/** Debian's chromium package (CI installs it in .ci/run); TOPICSTREAM_CHROMIUM overrides. */
const CHROMIUM = process.env.TOPICSTREAM_CHROMIUM ?? '/usr/bin/chromium';

const SAMPLE = path.join(ROOT, 'data', 'tweets-sample.jsonl.gz');
/** Posts replayed: four refits of 300 documents, in a 1,200-document window. */
const DOCS = 1200;
/** Model loading and the replay (four refits) take well under a minute on an idle laptop; CI is slower and shared. */
const REPLAY_MS = 6 * 60_000;
/** What the page waits for (an SSE message, a fetch after a refit, a search) comes within seconds; this is generous. */
const UI_MS = 60_000;
const SCREENSHOTS = process.env.TOPICSTREAM_SCREENSHOTS === '1';

interface TopicView {
  id: number;
  label: string;
  custom_label: string | null;
  size: number;
  words: Array<{ word: string; score: number }>;
  representative_docs?: string[];
}


const work = mkdtempSync(path.join(tmpdir(), 'ts-dashboard-'));
let browser: Browser | undefined;
after(async () => {
  await browser?.close();
  await stopAllServices();
  rmSync(work, { recursive: true, force: true });
});

/** The service on `port`, replaying the input; resolves once the whole file is in and the last refit applied. `whileReplaying` runs once it serves HTTP. */
async function startService(config: string, input: string, name: string, whileReplaying?: () => Promise<void>): Promise<ServiceProcess> {
  const svc = startCli(['run', '--config', config, '--input', input, '--out', path.join(work, 'out'), '--serve', '--quiet'], { name });
  if (whileReplaying) {
    await httpPortOf(svc, REPLAY_MS);
    await whileReplaying();
  }
  await svc.waitForLog((l) => l.msg === 'input replayed', REPLAY_MS, 'the input replayed');
  return svc;
}

/** The series of one of the page's charts, read through ECharts' getOption(). */
interface SeriesState {
  id: string;
  name: string;
  type: string;
  points: number;
}
async function chartSeries(page: Page, chart: string): Promise<{ series: SeriesState[]; width: number; height: number; xAxis: string }> {
  return page.evaluate((name) => {
    // runs in the page (this project compiles without the DOM types)
    type Box = { getBoundingClientRect(): { width: number; height: number } };
    type Chart = {
      getDom(): { querySelector(s: string): Box | null };
      getOption(): { series: Array<{ id?: string; type: string; name: string; data: unknown[] }>; xAxis?: Array<{ type: string }> };
    };
    const c = (globalThis as unknown as { dashboardCharts: Record<string, Chart> }).dashboardCharts[name];
    if (!c) return { series: [], width: 0, height: 0, xAxis: '' };
    const box = c.getDom().querySelector('canvas')?.getBoundingClientRect();
    const o = c.getOption();
    return {
      series: o.series.map((s) => ({ id: String(s.id ?? ''), name: s.name, type: s.type, points: s.data.length })),
      width: box?.width ?? 0,
      height: box?.height ?? 0,
      xAxis: o.xAxis?.[0]?.type ?? '',
    };
  }, chart);
}

/** The topic ids of the table's rows, in order. */
async function tableIds(page: Page): Promise<number[]> {
  const ids = await page.locator('#topics tr[data-topic]').evaluateAll((rows) => rows.map((r) => Number((r as unknown as { dataset: { topic: string } }).dataset.topic)));
  return ids;
}

async function api<T>(port: number, p: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}/${p}`, { ...init, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  assert.ok(res.ok, `${init?.method ?? 'GET'} /${p}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

const squash = (t: string) => t.replace(/\s+/g, ' ').trim();

/** What one test step needs: the page, the service's origin and port, the topics the API lists (largest first). */
interface Ctx {
  page: Page;
  port: number;
  origin: string;
  topics: TopicView[];
  diag(msg: string): void;
}

/** Waits until the page shows `label` for topic `id` in the table (with the custom mark) and, if open, on the topic page. */
async function waitForLabel(page: Page, id: number, label: string, onTopicPage: boolean): Promise<void> {
  await page.waitForFunction(
    (want) => {
      type El = { textContent: string | null } | null;
      const d = (globalThis as unknown as { document: { querySelector(s: string): El } }).document;
      const row = d.querySelector(`#topics tr[data-topic="${want.id}"] a.topic-link`);
      const custom = d.querySelector(`#topics tr[data-topic="${want.id}"] .custom`);
      return row?.textContent === want.label && custom !== null && (!want.onTopicPage || d.querySelector('#tp-label-text')?.textContent === want.label);
    },
    { id, label, onTopicPage },
    { timeout: UI_MS },
  );
}

/** Labelled topics: one row per topic, largest first, each with its label, words and trend. */
async function checkTable({ page, topics }: Ctx): Promise<void> {
  await page.waitForFunction(`document.querySelectorAll('#topics tr[data-topic]').length === ${topics.length}`, undefined, { timeout: UI_MS });
  assert.deepEqual(await tableIds(page), topics.map((x) => x.id), 'the table lists the topics, largest first');
  for (const x of topics) {
    const row = page.locator(`#topics tr[data-topic="${x.id}"]`);
    const shown = squash((await row.locator('a.topic-link').textContent()) ?? '');
    assert.ok(x.label.trim() !== '' && !/^-?\d+$/.test(x.label), `topic ${x.id} has a readable label: ${x.label}`);
    assert.ok(shown === squash(x.label) || (x.label.length > 70 && shown.endsWith('…')), `topic ${x.id} labelled ${JSON.stringify(x.label)}: ${JSON.stringify(shown)}`);
    const words = squash((await row.locator('td.words').textContent()) ?? '').split(', ');
    assert.deepEqual(words, x.words.slice(0, words.length).map((w) => w.word), `topic ${x.id}: its words`);
    assert.equal(await row.locator('svg.spark').count(), 1, `topic ${x.id}: a trend sparkline`);
  }
  const status = squash((await page.locator('#status').textContent()) ?? '');
  assert.match(status, new RegExp(`\\b${topics.length} topics\\b`), status);
}

/** Waits until chart `name` has a series that holds `want` (JSON of the sorted topic ids), as `ids` finds them. */
async function waitForChartIds(page: Page, name: string, seriesId: string | null, want: number[]): Promise<void> {
  await page.waitForFunction(
    (a) => {
      type Chart = { getOption(): { series: Array<{ id?: string; data: Array<number[]> }> } };
      const c = (globalThis as unknown as { dashboardCharts: Record<string, Chart | undefined> }).dashboardCharts[a.name];
      const series = c?.getOption().series ?? [];
      const have = a.seriesId === null
        ? series.map((s) => Number(String(s.id).replace('topic-', '')))
        : (series.find((s) => s.id === a.seriesId)?.data ?? []).map((p) => p[3]!);
      return a.want.every((id) => have.includes(id)) && (a.seriesId === null || have.length === a.want.length);
    },
    { name, seriesId, want },
    { timeout: UI_MS },
  );
}

/** The map and the over-time chart: one mark (map) and one series (over time, both modes) per topic of the table. */
async function checkCharts({ page, port, topics, diag }: Ctx): Promise<void> {
  const ids = topics.map((x) => x.id);
  await waitForChartIds(page, 'map', 'topics', ids);
  const map = await chartSeries(page, 'map');
  assert.ok(map.width > 0 && map.height > 0, `the map is drawn (${map.width}×${map.height})`);
  assert.equal(map.series.filter((s) => s.id === 'topics').length, 1, 'one "topics" series');
  assert.equal(map.series.find((s) => s.id === 'topics')!.points, topics.length, 'one mark per topic');
  assert.ok(map.series.find((s) => s.id === 'documents')!.points > 0, 'documents on the map');

  await waitForChartIds(page, 'overTime', null, ids);
  const overTime = await chartSeries(page, 'overTime');
  assert.ok(overTime.width > 0 && overTime.height > 0, 'the over-time chart is drawn');
  for (const id of ids) assert.equal(overTime.series.filter((s) => s.id === `topic-${id}`).length, 1, `one over-time series for topic ${id}`);
  assert.ok(overTime.series.every((s) => s.points >= 1), 'every series has points');
  diag(`over time per refit: ${overTime.series.length} series × ${overTime.series[0]!.points} refits`);
  await page.click('#ot-bucket'); // the tweets have ts
  const buckets = await chartSeries(page, 'overTime');
  assert.equal(buckets.xAxis, 'time', 'per time bucket: a time axis');
  for (const id of ids) assert.equal(buckets.series.filter((s) => s.id === `topic-${id}`).length, 1, `one bucketed series for topic ${id}`);
  diag(`over time per bucket: ${buckets.series.length} series × ${buckets.series[0]!.points} buckets`);
  await page.click('#ot-refit');

  // hovering a document on the map shows its text
  const mapBody = await api<{ docs: Array<{ text: string }> }>(port, 'api/map');
  await page.evaluate(() => {
    type Chart = { dispatchAction(a: object): void; getOption(): { series: Array<{ id?: string }> } };
    const c = (globalThis as unknown as { dashboardCharts: Record<string, Chart> }).dashboardCharts.map!;
    c.dispatchAction({ type: 'showTip', seriesIndex: c.getOption().series.findIndex((s) => s.id === 'documents'), dataIndex: 0 });
  });
  const tip = squash(await page.locator('#map').innerText());
  assert.ok(tip.includes(squash(mapBody.docs[0]!.text).slice(0, 30)), `the tooltip shows the document: ${JSON.stringify(tip.slice(0, 200))}`);
}

/** The /api/trending body, as far as "Rising now" reads it. */
interface TrendingBody {
  at: string;
  topics: Array<{ topic: number; label: string; growth: number; signal: string }>;
  forming: Array<{ forming_id: number; label: string; size: number }>;
}
interface RisingRow {
  kind: 'forming' | 'topic';
  id: number;
  label: string;
  badge: string;
  num: string;
  href: string | null;
}
const MIN_RISING = 5;

/** What "Rising now" lists (src/http/dashboard/clientTrending.ts): the forming topics (largest first), the topics with a weak or strong signal (by growth), then the next topics by growth while fewer than 5 rows. */
function risingExpected(t: TrendingBody): Array<Omit<RisingRow, 'num' | 'href'>> {
  const forming = [...t.forming].sort((a, b) => b.size - a.size || a.forming_id - b.forming_id).map((f) => ({ kind: 'forming' as const, id: f.forming_id, label: f.label, badge: 'forming' }));
  const topics = t.topics.filter((x) => x.topic !== -1).sort((a, b) => b.growth - a.growth || a.topic - b.topic);
  const rising = (x: { signal: string }) => x.signal === 'weak' || x.signal === 'strong';
  const rows: Array<Omit<RisingRow, 'num' | 'href'>> = [...forming, ...topics.filter(rising).map((x) => ({ kind: 'topic' as const, id: x.topic, label: x.label, badge: x.signal }))];
  for (const x of topics.filter((y) => !rising(y))) if (rows.length < MIN_RISING) rows.push({ kind: 'topic', id: x.topic, label: x.label, badge: x.signal });
  return rows;
}

/** The rows of the page's "Rising now" list, the trending state (`at`) it shows and how many `trending` events it was sent. */
async function risingShown(page: Page): Promise<{ at: string | null; streamed: number; rows: RisingRow[] }> {
  return page.evaluate(() => {
    type El = { className: string; dataset: Record<string, string | undefined>; textContent: string | null; getAttribute(a: string): string | null; querySelector(s: string): El | null; querySelectorAll(s: string): El[] };
    const d = (globalThis as unknown as { document: { querySelector(s: string): El } }).document;
    const list = d.querySelector('#rising');
    const rows = [...list.querySelectorAll('li.rising-row')].map((li) => {
      const kind = li.className.includes('forming') ? ('forming' as const) : ('topic' as const);
      return {
        kind,
        id: Number(kind === 'forming' ? li.dataset.forming : li.dataset.topic),
        label: li.querySelector('.rising-label')?.textContent ?? '',
        badge: li.querySelector('.badge')?.textContent ?? '',
        num: li.querySelector('.rising-num')?.textContent ?? '',
        href: li.querySelector('a.topic-link')?.getAttribute('href') ?? null,
      };
    });
    return { at: list.dataset.at ?? null, streamed: Number(list.dataset.streamed ?? 0), rows };
  });
}

/** "Rising now" shows the trending state of /api/trending (after at least `streamed` `trending` events): its rows, labels, badges, growth and links. */
async function checkRising({ page, port, diag }: Ctx, streamed: number): Promise<void> {
  let trending: TrendingBody | undefined;
  await page.waitForSelector('#rising li.rising-row', { timeout: UI_MS });
  const until = Date.now() + UI_MS;
  for (;;) {
    trending = await api<TrendingBody>(port, 'api/trending');
    const shown = await risingShown(page);
    if (shown.at === trending.at && shown.streamed >= streamed) break;
    assert.ok(Date.now() < until, `the page shows the trending state of ${trending.at} after ${streamed}+ trending events: it shows ${shown.at} after ${shown.streamed}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const want = risingExpected(trending);
  const { rows, streamed: events } = await risingShown(page);
  assert.ok(trending.topics.length > 0, 'the replay gives every topic a signal');
  assert.ok(rows.length >= Math.min(MIN_RISING, trending.topics.length + trending.forming.length), `${rows.length} rows`);
  assert.deepEqual(rows.map((r) => [r.kind, r.id]), want.map((r) => [r.kind, r.id]), 'the rows: forming topics, weak/strong topics, then top by growth');
  rows.forEach((r, i) => {
    const label = squash(want[i]!.label);
    assert.ok(squash(r.label) === label || (label.length > 70 && r.label.endsWith('…')), `row ${i}: ${JSON.stringify(r.label)} vs ${JSON.stringify(label)}`);
    assert.equal(r.badge, want[i]!.badge, `row ${i}: its badge`);
    if (r.kind === 'topic') {
      assert.equal(r.href, `#/topic/${r.id}`, `row ${i} links to its topic page`);
      assert.match(r.num, /^×\d+(\.\d)?$/, `row ${i}: its growth`);
    } else assert.match(r.num, /^\d[\d,]* docs$/, `row ${i}: its size`);
  });
  diag(`rising now (${trending.at}, ${events} trending events): ${rows.map((r) => `${r.badge} ${r.num} ${squash(r.label).slice(0, 40)}`).join(' | ')}`);
}

/** The event timeline names topics. */
async function checkEvents({ page }: Ctx): Promise<void> {
  await page.waitForSelector('#events .ev', { timeout: UI_MS });
  const first = squash((await page.locator('#events .ev').first().textContent()) ?? '');
  assert.match(first, /^v\d+ · (born|split|merged|died): ‘[^’]+’/, `an event with a named topic: ${first}`);
}

/** A search for a topic's own top word lists a topic whose words contain it, and the nearest documents. */
async function checkSearch({ page, topics, diag }: Ctx): Promise<void> {
  const tried: string[] = [];
  for (const x of topics.slice(0, 8)) {
    const word = x.words[0]!.word;
    if (!/^[\p{L}\p{N}_-]+$/u.test(word)) continue;
    tried.push(word);
    await page.fill('#search-q', word);
    await page.click('#search-form button[type=submit]');
    await page.waitForSelector(`#search-results[data-state="done"][data-query="${word}"], #search-results[data-state="error"]`, { timeout: UI_MS });
    assert.notEqual(await page.locator('#search-results').getAttribute('data-state'), 'error', squash((await page.locator('#search-results').textContent()) ?? ''));
    const results = await page.locator('#search-results .search-topic .words').allTextContents();
    const hit = results.find((r) => squash(r).split(', ').includes(word));
    if (hit) {
      assert.ok((await page.locator('#search-results .search-hit').count()) > 0, 'and the nearest documents');
      diag(`search "${word}" → ${squash(hit).slice(0, 120)}`);
      return;
    }
  }
  assert.fail(`a search for a topic word returns a topic whose words contain it (tried ${tried.join(', ')})`);
}

/** The largest topic's page, opened from the table: its representative documents, words, size history and lineage. */
async function checkTopicPage({ page, port, origin, topics }: Ctx): Promise<void> {
  const top = topics[0]!;
  const detail = await api<TopicView>(port, `api/topics/${top.id}`);
  assert.ok((detail.representative_docs ?? []).length > 0, 'the API has representative documents');
  await page.click(`#topics tr[data-topic="${top.id}"] a.topic-link`);
  await page.waitForSelector(`body[data-topic-rendered="${top.id}"]`, { timeout: UI_MS });
  assert.equal(page.url(), `${origin}/#/topic/${top.id}`);
  const docs = (await page.locator('#tp-docs li.rep-doc').allTextContents()).map(squash);
  assert.equal(docs.length, detail.representative_docs!.length, 'every representative document');
  detail.representative_docs!.forEach((d, i) => assert.ok(docs[i]!.startsWith(squash(d).slice(0, 40)), `document ${i}: ${docs[i]} vs ${d}`));
  assert.equal((await chartSeries(page, 'words')).series[0]!.points, Math.min(10, detail.words.length), 'the words as bars');
  assert.ok((await chartSeries(page, 'history')).series[0]!.points >= 1, 'the size history');
  assert.ok((await page.locator('#tp-lineage li.lineage').count()) >= 1, 'a lineage');
}

/** A label set through the API reaches the open topic page and the table over the event stream, as text. */
async function checkLabelLive({ page, port, topics }: Ctx, label: string): Promise<void> {
  const top = topics[0]!;
  await page.waitForSelector('body[data-live="true"]', { timeout: UI_MS });
  await page.evaluate(() => {
    (globalThis as unknown as { noReload: number }).noReload = 42;
  });
  const put = await api<TopicView>(port, `api/topics/${top.id}/label`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ label }) });
  assert.equal(put.custom_label, label);
  await waitForLabel(page, top.id, label, true);
  assert.equal(await page.evaluate(() => (globalThis as unknown as { noReload?: number }).noReload), 42, 'the page was not reloaded');
  assert.equal(await page.locator('#topics b, #tp-title b').count(), 0, 'the label is text, not markup');
}

/** The topic page's own edit box: Save sets a label (PUT), Automatic goes back to the automatic one (DELETE). */
async function checkLabelForm({ page, port, origin }: Ctx, top: TopicView): Promise<void> {
  await page.goto(`${origin}/#/topic/${top.id}`);
  await page.waitForSelector(`body[data-topic-rendered="${top.id}"]`, { timeout: UI_MS });
  const typed = 'Named in the page';
  await page.fill('#tp-label', typed);
  await page.click('#tp-label-save');
  await waitForLabel(page, top.id, typed, true);
  assert.equal((await api<TopicView>(port, `api/topics/${top.id}`)).custom_label, typed, 'the edit box PUTs the label');
  await page.click('#tp-label-reset');
  await page.waitForFunction(
    (id) => {
      const d = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
      return d.querySelector(`#topics tr[data-topic="${id}"] .custom`) === null && d.querySelector('#tp-title .custom') === null;
    },
    top.id,
    { timeout: UI_MS },
  );
  const back = await api<TopicView>(port, `api/topics/${top.id}`);
  assert.equal(back.custom_label, null, '"Automatic" DELETEs it');
  assert.equal(squash((await page.locator('#tp-label-text').textContent()) ?? ''), squash(back.label));
}

test('the live dashboard: labelled topics, charts with a mark per topic, search, topic page, a label over SSE that survives a restart', { timeout: 20 * 60_000 }, async (t) => {
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: install Debian's chromium package (apt-get install -y chromium; .ci/run does) or set TOPICSTREAM_CHROMIUM`);
  const input = path.join(work, 'tweets.jsonl');
  writeFileSync(input, (await firstLines(SAMPLE, DOCS)).map((b) => b.toString('utf8')).join('\n') + '\n');
  const port = await freePort();
  const config = writeJson(path.join(work, 'config.json'), {
    stream: { window: { maxDocs: DOCS }, refit: { everyDocs: 300, minDocs: 200, everySeconds: 0 } },
    state: { dir: path.join(work, 'state'), snapshotEverySeconds: 5 },
    http: { port, host: '127.0.0.1' },
    log: { level: 'info' },
  });
  const origin = `http://127.0.0.1:${port}`;

  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  const requests: string[] = [];
  const errors: string[] = [];
  const newPage = async (width: number, height: number) => {
    const p = await browser!.newPage({ viewport: { width, height } });
    p.on('request', (r) => requests.push(r.url()));
    p.on('pageerror', (e) => errors.push(e.message));
    return p;
  };
  // a page open during the replay follows its batches through the `trending` events
  let live: Page | undefined;
  const t0 = Date.now();
  let svc = await startService(config, input, 'topicstream run (1)', async () => {
    live = await newPage(1000, 800);
    await live.goto(`${origin}/`, { waitUntil: 'load' });
    await live.waitForSelector('body[data-live="true"]', { timeout: UI_MS });
    t.diagnostic(`a page live ${((Date.now() - t0) / 1000).toFixed(1)} s after the start`);
  });
  t.diagnostic(`replayed ${DOCS} posts in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const topics = (await api<{ topics: TopicView[] }>(port, 'api/topics')).topics.filter((x) => x.id !== -1).sort((a, b) => b.size - a.size || a.id - b.id);
  assert.ok(topics.length >= 3, `${topics.length} topics after the replay`);
  const diag = (m: string) => t.diagnostic(m);
  await checkRising({ page: live!, port, origin, topics, diag }, 2);
  await live!.close();

  const page = await newPage(1440, 1000);
  await page.goto(`${origin}/`, { waitUntil: 'load' });
  await page.waitForSelector('body[data-rendered="true"]', { timeout: UI_MS });

  const ctx: Ctx = { page, port, origin, topics, diag };
  await checkTable(ctx);
  await checkCharts(ctx);
  await checkRising(ctx, 0);
  await checkEvents(ctx);
  await checkSearch(ctx);
  await checkTopicPage(ctx);
  if (SCREENSHOTS) await screenshots(page, port, topics[0]!);
  const top = topics[0]!;
  const label = `Dashboard check <b>&</b> "${top.id}"`;
  await checkLabelLive(ctx, label);

  // the label survives a restart: the open page reconnects by itself, and a fresh load shows it too
  assert.deepEqual(await svc.stop(60_000), { code: 0, signal: null }, svc.tail());
  await page.waitForSelector('body[data-live="false"]', { timeout: UI_MS });
  const t1 = Date.now();
  svc = await startService(config, input, 'topicstream run (2)');
  t.diagnostic(`restarted in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  assert.equal((await api<TopicView>(port, `api/topics/${top.id}`)).custom_label, label, 'the API keeps the label');
  await page.waitForSelector('body[data-live="true"]', { timeout: UI_MS });
  await waitForLabel(page, top.id, label, true);
  assert.equal(await page.evaluate(() => (globalThis as unknown as { noReload?: number }).noReload), 42, 'reconnected without a reload');
  await page.goto(`${origin}/`, { waitUntil: 'load' });
  await page.waitForSelector('body[data-rendered="true"]', { timeout: UI_MS });
  await waitForLabel(page, top.id, label, false);
  await checkLabelForm(ctx, top);

  assert.deepEqual(errors, [], 'no script error');
  const foreign = requests.filter((u) => new URL(u).origin !== origin);
  assert.deepEqual(foreign, [], 'no request leaves the origin');
  assert.ok(requests.some((u) => u === `${origin}/assets/echarts.min.js`) && requests.some((u) => u.startsWith(`${origin}/assets/dashboard.js?v=`)), 'the scripts come from the service');
  assert.deepEqual(await svc.stop(60_000), { code: 0, signal: null }, svc.tail());
});

/** docs/images/dashboard.png and dashboard-topic.png (TOPICSTREAM_SCREENSHOTS=1): a readable label on the largest topic, a search, and its page. */
async function screenshots(page: Page, port: number, top: TopicView): Promise<void> {
  const dir = path.join(ROOT, 'docs', 'images');
  mkdirSync(dir, { recursive: true });
  await page.goto(`http://127.0.0.1:${port}/#/`);
  await page.waitForSelector('#overview:not([hidden])', { timeout: UI_MS });
  const readable = top.words.slice(0, 2).map((w) => w.word[0]!.toUpperCase() + w.word.slice(1)).join(' and ');
  await api(port, `api/topics/${top.id}/label`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ label: readable }) });
  await waitForLabel(page, top.id, readable, false);
  await page.fill('#search-q', top.words[0]!.word);
  await page.click('#search-form button[type=submit]');
  await page.waitForSelector('#search-results[data-state="done"]', { timeout: UI_MS });
  await page.screenshot({ path: path.join(dir, 'dashboard.png'), fullPage: true });
  await page.goto(`http://127.0.0.1:${port}/#/topic/${top.id}`);
  await page.waitForSelector(`body[data-topic-rendered="${top.id}"]`, { timeout: UI_MS });
  await page.screenshot({ path: path.join(dir, 'dashboard-topic.png'), fullPage: true });
}
