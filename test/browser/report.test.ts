/**
 * `topicstream report` in a real browser: fit a slice of the tweets (they have `ts`), write the
 * report, open it from file:// in headless Chromium (Debian's chromium package, driven by
 * playwright-core) and check that every figure rendered and that the page made no request.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CLI, ROOT } from '../helpers/paths.js';
import type { ReportData } from '../../src/report/reportData.js';

/** Debian's chromium package (CI installs it in .ci/run); TOPICSTREAM_CHROMIUM overrides. */
export const CHROMIUM = process.env.TOPICSTREAM_CHROMIUM ?? '/usr/bin/chromium';

function cli(args: string[]): void {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 5 * 60_000, env: { ...process.env, TOPICSTREAM_LOG_LEVEL: 'warn' } });
  assert.equal(r.status, 0, `topicstream ${args.join(' ')}:\n${r.stderr}`);
}

/** What the page's charts hold, read through ECharts' own API. */
interface ChartState {
  width: number;
  height: number;
  hasCanvas: boolean;
  series: Array<{ type: string; name: string; points: number }>;
}

async function chartStates(page: Page): Promise<Record<string, ChartState>> {
  return page.evaluate(() => {
    // runs in the page (this project compiles without the DOM types)
    type Box = { getBoundingClientRect(): { width: number; height: number } };
    type Chart = { getDom(): { querySelector(s: string): Box | null }; getOption(): { series: Array<{ type: string; name: string; data: unknown[] }> } };
    const w = globalThis as unknown as { reportCharts: Record<string, Chart> };
    const out: Record<string, ChartState> = {};
    for (const [name, c] of Object.entries(w.reportCharts)) {
      const dom = c.getDom();
      const canvas = dom.querySelector('canvas');
      const box = canvas?.getBoundingClientRect();
      out[name] = {
        width: box?.width ?? 0,
        height: box?.height ?? 0,
        hasCanvas: canvas !== null,
        series: c.getOption().series.map((s) => ({ type: s.type, name: s.name, points: s.data.length })),
      };
    }
    return out;
  });
}

const work = mkdtempSync(path.join(tmpdir(), 'ts-report-'));
let browser: Browser | undefined;
after(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

test('the report opens from file://, draws every figure and makes no network request', { timeout: 5 * 60_000 }, async () => {
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: install Debian's chromium package (apt-get install -y chromium; .ci/run does) or set TOPICSTREAM_CHROMIUM`);
  const fitDir = path.join(work, 'fit');
  cli(['fit', path.join(ROOT, 'data', 'tweets-sample.jsonl.gz'), '--limit', '600', '--out', fitDir, '--quiet', '--seed', '7']);
  assert.ok(existsSync(path.join(fitDir, 'topics_over_time.json')), 'fit writes topics over time for documents with ts');
  const html = path.join(work, 'report.html');
  cli(['report', fitDir, '--out', html, '--quiet']);
  const data = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(readFileSync(html, 'utf8'))![1]!) as ReportData;
  assert.ok(data.topics.length >= 3, `${data.topics.length} topics`);

  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const url = pathToFileURL(html).href;
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('body[data-rendered="true"]', { timeout: 30_000 });
  assert.deepEqual(errors, [], 'no script error');

  const charts = await chartStates(page);
  for (const [name, c] of Object.entries(charts)) {
    assert.ok(c.hasCanvas && c.width > 0 && c.height > 0, `${name} drawn on a canvas of non-zero size (${c.width}×${c.height})`);
    assert.ok(c.series.length > 0 && c.series.every((s) => s.points > 0), `${name} has series with data`);
  }
  // one bar chart per topic, each with the topic's words
  const bars = Object.keys(charts).filter((k) => k.startsWith('bar:'));
  assert.equal(bars.length, data.topics.length);
  assert.equal(await page.locator('#bars .bar-chart canvas').count(), data.topics.length);
  for (const t of data.topics) assert.equal(charts[`bar:${t.id}`]!.series[0]!.points, t.words.length);
  // the map: one scatter series per topic (and one for the outliers, if any was sampled)
  const map = charts.map!.series;
  for (const t of data.topics) assert.equal(map.filter((s) => s.name === t.label).length, 1, `map series of ${t.label}`);
  assert.equal(map.length, data.topics.length + (data.map.series.some((s) => s.id === -1) ? 1 : 0));
  assert.equal(map.reduce((s, x) => s + x.points, 0), data.map.nSampled);
  // topics over time, the hierarchy and the heatmap
  assert.equal(charts.overTime!.series.length, data.topics.length);
  assert.equal(charts.hierarchy!.series[0]!.points, data.topics.length - 1, 'one link per merge');
  assert.equal(charts.heatmap!.series[0]!.points, data.topics.length ** 2);
  // hovering a point of the map shows its document's text
  const first = data.map.series[0]!;
  await page.evaluate((name) => {
    const charts = (globalThis as unknown as { reportCharts: Record<string, { dispatchAction(a: object): void }> }).reportCharts;
    charts[name]!.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: 0 });
  }, 'map');
  const squash = (t: string) => t.replace(/\s+/g, ' ').trim();
  const tip = squash(await page.locator('#map').innerText());
  const text = squash(data.map.texts[first.points[0]![2]!]!);
  assert.ok(tip.includes(text.slice(0, 40)), `tooltip shows the text: ${JSON.stringify(tip.slice(0, 200))} vs ${JSON.stringify(text.slice(0, 40))}`);

  assert.deepEqual(requests, [url], 'the only request is the file:// document itself');
});
