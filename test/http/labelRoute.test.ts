// PUT/DELETE /api/topics/:id/label: behind the token, the body validated and bounded, 404 for an
// unknown topic; every other route still refuses bodies.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { LABEL_BODY_MAX_BYTES } from '../../src/http/labelRoute.js';
import { startFake } from './fakeContext.js';

const TOKEN = 'correct-horse-battery-staple';
const srv = await startFake({ token: TOKEN });
after(() => srv.http.close());

const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const put = (path: string, body: string, headers: Record<string, string> = auth) => fetch(srv.url + path, { method: 'PUT', headers, body });

test('PUT sets a label (trimmed) and DELETE clears it; the answer is the topic', async () => {
  const r = await put('/api/topics/0/label', JSON.stringify({ label: '  border security ' }));
  assert.equal(r.status, 200);
  const t = (await r.json()) as { id: number; label: string; custom_label: string | null };
  assert.deepEqual([t.id, t.label, t.custom_label], [0, 'border security', 'border security']);
  assert.equal(srv.ctx.labels.get(0), 'border security');
  const d = await fetch(srv.url + '/api/topics/0/label', { method: 'DELETE', headers: auth });
  assert.equal(d.status, 200);
  assert.equal(((await d.json()) as { label: string }).label, '0_alpha');
  assert.equal(srv.ctx.labels.get(0), null);
});

test('the token is required: 401 without it, nothing set', async () => {
  srv.ctx.labels.clear();
  const r = await put('/api/topics/0/label', JSON.stringify({ label: 'x' }), { 'content-type': 'application/json' });
  assert.equal(r.status, 401);
  const wrong = await put('/api/topics/0/label', JSON.stringify({ label: 'x' }), { authorization: 'Bearer nope-nope-nope-nope' });
  assert.equal(wrong.status, 401);
  assert.equal(srv.ctx.labels.size, 0);
});

test('validation: 400 with a message for a bad body, 404 for an unknown topic, 413 beyond the bound', async () => {
  for (const body of ['', 'not json', '[]', '{}', '{"label": 3}', '{"label": ""}', '{"label": "   "}', JSON.stringify({ label: 'x'.repeat(81) }), JSON.stringify({ label: 'a\u0000b' })]) {
    const r = await put('/api/topics/0/label', body);
    assert.equal(r.status, 400, body);
    assert.match(((await r.json()) as { error: string }).error, /label|JSON/, body);
  }
  assert.equal((await put('/api/topics/0/label', JSON.stringify({ label: 'x'.repeat(80) }))).status, 200);
  const unknown = await put('/api/topics/99/label', JSON.stringify({ label: 'x' }));
  assert.equal(unknown.status, 404);
  const big = await put('/api/topics/0/label', JSON.stringify({ label: 'x'.repeat(LABEL_BODY_MAX_BYTES) }));
  assert.equal(big.status, 413);
});

test('methods: the label route takes PUT and DELETE only; other routes still refuse bodies and writes', async () => {
  const get = await fetch(srv.url + '/api/topics/0/label', { headers: auth });
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'PUT, DELETE');
  const putTopic = await put('/api/topics/0', JSON.stringify({ label: 'x' }));
  assert.equal(putTopic.status, 405);
  assert.equal(putTopic.headers.get('allow'), 'GET, HEAD');
  const ok = await fetch(srv.url + '/api/topics/0', { headers: auth });
  assert.equal(ok.status, 200);
});
