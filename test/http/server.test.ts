// The HTTP server alone, on a fake context: malformed request targets, oversized request lines,
// methods, request bodies, timeouts and handler errors never take it down, and get the right status.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRequest, rawRequest } from '../helpers/rawHttp.js';
import { startFake, type FakeContext } from './fakeContext.js';
import type { RunningHttpServer } from '../../src/http/server.js';

let srv: { ctx: FakeContext; http: RunningHttpServer; url: string };

before(async () => {
  srv = await startFake({ limits: { headersTimeoutMs: 500, requestTimeoutMs: 1000, timeoutCheckMs: 100 } });
});
after(async () => {
  await srv.http.close();
});

const raw = (target: string, method = 'GET', headers: string[] = []) => rawRequest(srv.http.port, buildRequest({ method, target, headers }));

async function assertStillServing(): Promise<void> {
  const r = await fetch(`${srv.url}/healthz`, { signal: AbortSignal.timeout(10_000) });
  assert.equal(r.status, 200);
}

test('malformed and odd request targets get 4xx answers, never a crash', async () => {
  const cases: Array<[string, number]> = [
    ['//', 404],
    ['/%zz', 404],
    ['//healthz', 404], // never resolved as the host "healthz"
    ['/%', 404],
    ['/api/topics/%zz', 404],
    ['/api/topics/99999999999999999999', 404],
    ['/api/topics/0', 200],
    ['/api/search?q=%zz%', 200],
    ['/api/search?q=%ff%fe', 200], // invalid UTF-8 after decoding: replaced, not thrown
    ['/api/events?limit=%zz', 400],
    ['/healthz#frag', 200],
    ['http://example.invalid/healthz', 200], // absolute form
    ['*', 400],
    ['healthz', 400],
  ];
  for (const [target, status] of cases) {
    const r = await raw(target);
    assert.equal(r.status, status, `${target}: ${JSON.stringify(r)}`);
    assert.match(r.headers['content-type'] ?? '', /application\/json/, target);
    if (status >= 400) assert.equal(typeof JSON.parse(r.body).error, 'string', target);
  }
  await assertStillServing();
});

test('bytes the HTTP parser rejects get a 400 on the raw socket', async () => {
  for (const bad of ['GET /\x01 HTTP/1.1\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03', 'GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n']) {
    const r = await rawRequest(srv.http.port, bad);
    assert.ok(r.status === 400 || r.error !== undefined, `${JSON.stringify(bad)}: ${JSON.stringify(r)}`);
  }
  await assertStillServing();
});

test('a 64 KB path is refused (431) and a 10 KB one too (414)', async () => {
  const huge = await raw('/' + 'a'.repeat(64 * 1024));
  // the server answers before reading the rest of the line; the answer or a reset reaches us
  assert.ok(huge.status === 431 || huge.error === 'ECONNRESET', JSON.stringify({ ...huge, body: huge.body.slice(0, 200) }));
  const long = await raw('/api/search?q=' + 'a'.repeat(10 * 1024));
  assert.equal(long.status, 414);
  await assertStillServing();
});

test('methods: GET and HEAD only, 405 with Allow for the others, 400 for unknown tokens', async () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND']) {
    const target = method === 'CONNECT' ? '127.0.0.1:1' : '/api/topics';
    const r = await raw(target, method);
    assert.equal(r.status, 405, `${method}: ${JSON.stringify(r)}`);
    assert.equal(r.headers.allow, 'GET, HEAD', method);
  }
  const upgrade = await raw('/api/topics', 'GET', ['Connection: Upgrade', 'Upgrade: websocket']);
  assert.equal(upgrade.status, 200, JSON.stringify(upgrade));
  const head = await raw('/healthz', 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
  for (const method of ['FOO', 'G\x00T']) {
    const r = await raw('/', method);
    assert.ok(r.status === 400 || r.error !== undefined, `${JSON.stringify(method)}: ${JSON.stringify(r)}`);
  }
  await assertStillServing();
});

test('request bodies are answered without being read: 1 MB POST → 405, 1 MB GET → 413, connection reusable', async () => {
  const mb = Buffer.alloc(1_000_000, 0x61);
  const searchesBefore = srv.ctx.searchCalls;
  const post = await rawRequest(srv.http.port, buildRequest({ method: 'POST', target: '/api/search', body: mb }));
  assert.equal(post.status, 405, JSON.stringify(post));
  const get = await rawRequest(srv.http.port, buildRequest({ target: '/api/topics', body: mb }));
  assert.equal(get.status, 413, JSON.stringify(get));
  // keep-alive: after the discarded body the same connection answers the next request
  const two = await rawRequest(srv.http.port, [...buildRequest({ target: '/api/topics', body: mb, close: false }), ...buildRequest({ target: '/healthz' })]);
  assert.equal(two.status, 413);
  assert.match(two.body, /HTTP\/1\.1 200 OK[\s\S]*"status":"ok"/, 'the second answer on the same connection');
  // chunked, and announced with Expect: 100-continue (no 100 is sent: the body is not wanted)
  const chunked = await rawRequest(srv.http.port, buildRequest({ method: 'POST', target: '/', headers: ['Transfer-Encoding: chunked'] }).concat(Buffer.from('5\r\nhello\r\n0\r\n\r\n')));
  assert.equal(chunked.status, 405);
  const expect = await rawRequest(srv.http.port, buildRequest({ method: 'PUT', target: '/api/topics', headers: ['Expect: 100-continue', 'Content-Length: 1000000'] }), { timeoutMs: 5000 });
  assert.equal(expect.status, 405, JSON.stringify(expect));
  assert.equal(srv.ctx.searchCalls, searchesBefore, 'no search ran');
  await assertStillServing();
});

test('a body beyond the discard limit closes the connection', async () => {
  const body = Buffer.alloc(6 * 1024 * 1024, 0x62);
  const r = await rawRequest(srv.http.port, buildRequest({ method: 'POST', target: '/', body, close: false }), { timeoutMs: 15_000 });
  assert.equal(r.timedOut, false, 'the server closed the connection');
  await assertStillServing();
});

test('slow clients: headers not complete in time get 408 and the socket is closed', async () => {
  const r = await rawRequest(srv.http.port, 'GET /healthz HTTP/1.1\r\nHost: a\r\n', { timeoutMs: 10_000 });
  assert.equal(r.timedOut, false, JSON.stringify(r));
  assert.ok(r.status === 408 || r.error !== undefined, JSON.stringify(r));
  await assertStillServing();
});

test('a failing handler answers 500 with a JSON error and the server goes on', async () => {
  srv.ctx.statusError = new Error('boom');
  try {
    const r = await fetch(`${srv.url}/api/status`);
    assert.equal(r.status, 500);
    assert.match(((await r.json()) as { error: string }).error, /internal error/);
  } finally {
    srv.ctx.statusError = undefined;
  }
  await assertStillServing();
});

test('routes answer as before: probes, metrics, topics, events, dashboard, 404', async () => {
  const get = (p: string) => fetch(srv.url + p);
  assert.equal((await get('/readyz')).status, 200);
  assert.match(await (await get('/metrics')).text(), /topicstream_documents_assigned_total/);
  assert.equal(((await (await get('/api/topics')).json()) as { topics: unknown[] }).topics.length, 1);
  assert.equal(((await (await get('/api/events?limit=2')).json()) as { events: unknown[] }).events.length, 2);
  const page = await get('/');
  assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  assert.match(await page.text(), /<title>topicstream<\/title>/);
  assert.equal((await get('/api/search')).status, 400);
  assert.equal((await get('/nope')).status, 404);
});
