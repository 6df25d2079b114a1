/**
 * The dashboard page's text (the browser test, test/browser/dashboard.test.ts, runs it): the
 * script parses, the page loads only its own scripts by relative URL (no inline script, no CDN),
 * and the CSP says so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DASHBOARD_CSP, DASHBOARD_HTML, DASHBOARD_SCRIPT } from '../../src/http/dashboard/index.js';

test('the dashboard script parses as one function body', () => {
  assert.doesNotThrow(() => new Function(DASHBOARD_SCRIPT));
  assert.ok(!DASHBOARD_SCRIPT.includes('setInterval'), 'live through the event stream, no polling');
  assert.match(DASHBOARD_SCRIPT, /new EventSource\('api\/stream'\)/);
});

test('the page loads echarts and its script from the service, by relative URL, and nothing inline', () => {
  const scripts = [...DASHBOARD_HTML.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  const srcs = scripts.map((m) => /src="([^"]*)"/.exec(m[1]!)?.[1] ?? '');
  assert.equal(srcs.length, 2);
  assert.equal(srcs[0], 'assets/echarts.min.js');
  assert.match(srcs[1]!, /^assets\/dashboard\.js\?v=[0-9a-f]{12}$/, 'the script, by a URL that changes with it');
  assert.ok(scripts.every((m) => m[2]!.trim() === ''), 'no inline script');
  assert.ok(!/\son[a-z]+=/i.test(DASHBOARD_HTML), 'no inline event handler');
  assert.ok(!/(?:src|href)="(?:https?:)?\/\//i.test(DASHBOARD_HTML), 'nothing from another origin');
  assert.ok(!/https?:\/\//.test(DASHBOARD_SCRIPT), 'the script names no other origin');
});

test('the CSP allows scripts and connections to the origin only', () => {
  const d = new Map(DASHBOARD_CSP.split(';').map((x) => x.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
  assert.deepEqual(d.get('default-src'), ["'none'"]);
  assert.deepEqual(d.get('script-src'), ["'self'"]);
  assert.deepEqual(d.get('connect-src'), ["'self'"]);
  assert.deepEqual(d.get('frame-ancestors'), ["'none'"]);
  assert.deepEqual(d.get('form-action'), ["'none'"]);
});
