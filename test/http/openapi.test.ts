// /api/openapi.json describes the routes: every path it lists answers on a server (not 404), with
// the methods it names; and the routes the server answers are all in it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startFake } from './fakeContext.js';
import { OPENAPI } from '../../src/http/openapi.js';

const fake = await startFake();
after(() => fake.http.close());

test('every described path answers; the description is served as JSON', async () => {
  const served = (await (await fetch(`${fake.url}/api/openapi.json`)).json()) as typeof OPENAPI;
  assert.equal(served.openapi, '3.1.0');
  assert.deepEqual(Object.keys(served.paths).sort(), Object.keys(OPENAPI.paths).sort());
  for (const [p, item] of Object.entries(served.paths) as Array<[string, Record<string, unknown>]>) {
    const url = fake.url + p.replace('{id}', '0');
    if (item.get) {
      const ac = new AbortController();
      const r = await fetch(url + (p === '/api/search' ? '?q=alpha' : ''), { signal: ac.signal });
      assert.notEqual(r.status, 404, p);
      assert.ok(r.status < 500, `${p}: ${r.status}`);
      ac.abort(); // the event stream does not end by itself
    }
    if (item.put) assert.equal((await fetch(url, { method: 'PUT', body: '{"label":"x"}', headers: { 'content-type': 'application/json' } })).status, 200, p);
  }
});

test('routes the server answers are described', async () => {
  const known = Object.keys(OPENAPI.paths);
  for (const p of ['/api/topics', '/api/topics/{id}', '/api/topics/{id}/history', '/api/topics/{id}/label', '/api/over-time', '/api/map', '/api/search', '/api/events', '/api/stream', '/api/status', '/healthz', '/readyz', '/metrics']) {
    assert.ok(known.includes(p), p);
  }
  assert.equal((await fetch(`${fake.url}/api/nothing`)).status, 404);
});
