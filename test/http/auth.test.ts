// The optional bearer token: required on the API and the dashboard, on /metrics only with
// protectMetrics, never on the probes; the dashboard trades `?token=` for an HttpOnly cookie.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { bearerOf, cookieOf, safeEqual, SESSION_COOKIE } from '../../src/http/auth.js';
import { startFake } from './fakeContext.js';

const TOKEN = 'correct-horse-battery-staple';
const servers: Array<{ close(): Promise<void> }> = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** `token` null: no token configured. */
async function serve(protectMetrics: boolean, token: string | null = TOKEN) {
  const s = await startFake({ token: token ?? undefined, protectMetrics });
  servers.push(s.http);
  return (path: string, headers: Record<string, string> = {}) => fetch(s.url + path, { headers, redirect: 'manual' });
}

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

test('helpers: constant-time comparison, header and cookie parsing', () => {
  assert.equal(safeEqual('abc', 'abc'), true);
  assert.equal(safeEqual('abc', 'abd'), false);
  assert.equal(safeEqual('abc', 'abcd'), false);
  assert.equal(safeEqual('', ''), true);
  assert.equal(bearerOf('Bearer xyz'), 'xyz');
  assert.equal(bearerOf('bearer   xyz '), 'xyz');
  assert.equal(bearerOf('Basic eHl6'), undefined);
  assert.equal(bearerOf('Bearer a b'), undefined);
  assert.equal(bearerOf(undefined), undefined);
  assert.equal(cookieOf('a=1; topicstream_session=s3; b=2', SESSION_COOKIE), 's3');
  assert.equal(cookieOf('xtopicstream_session=s3', SESSION_COOKIE), undefined);
});

test('without a token everything is open', async () => {
  const get = await serve(false, null);
  for (const p of ['/api/topics', '/api/status', '/api/topics/0', '/api/events', '/api/search?q=x', '/metrics', '/', '/?token=anything']) {
    assert.equal((await get(p)).status, 200, p);
  }
});

test('with a token: API and dashboard need it, probes never, metrics only when asked', async () => {
  const get = await serve(false);
  for (const p of ['/api/topics', '/api/status', '/api/topics/0', '/api/events', '/api/search?q=x']) {
    for (const headers of [{}, bearer('wrong-token-of-some-length'), bearer(TOKEN.slice(0, -1)), { authorization: TOKEN }, { authorization: `Basic ${TOKEN}` }]) {
      const r = await get(p, headers);
      assert.equal(r.status, 401, `${p} ${JSON.stringify(headers)}`);
      assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer/);
      assert.match(((await r.json()) as { error: string }).error, /token/);
    }
    assert.equal((await get(p, bearer(TOKEN))).status, 200, p);
    assert.equal((await get(p, { authorization: `bearer ${TOKEN}` })).status, 200, `${p}, scheme in lower case`);
  }
  for (const p of ['/healthz', '/readyz', '/metrics']) assert.equal((await get(p)).status, 200, p);
  assert.equal((await get('/', {})).status, 401);
});

test('protectMetrics puts /metrics behind the token too', async () => {
  const get = await serve(true);
  assert.equal((await get('/metrics')).status, 401);
  assert.equal((await get('/metrics', bearer('nope-nope-nope-nope'))).status, 401);
  const ok = await get('/metrics', bearer(TOKEN));
  assert.equal(ok.status, 200);
  assert.match(await ok.text(), /topicstream_documents_assigned_total/);
  assert.equal((await get('/healthz')).status, 200);
  assert.equal((await get('/readyz')).status, 200);
});

test('dashboard: ?token= once sets an HttpOnly SameSite=Strict cookie that opens the page and its API calls', async () => {
  const get = await serve(false);
  assert.equal((await get('/?token=wrong-token-of-some-length')).status, 401);
  const login = await get(`/?token=${encodeURIComponent(TOKEN)}`);
  assert.equal(login.status, 303);
  assert.equal(login.headers.get('location'), './');
  const setCookie = login.headers.get('set-cookie') ?? '';
  assert.match(setCookie, new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]+;`));
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /SameSite=Strict/);
  assert.ok(!setCookie.includes(TOKEN), 'the cookie does not hold the token itself');
  const cookie = setCookie.split(';')[0]!;
  const page = await get('/', { cookie });
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<title>topicstream<\/title>/);
  assert.equal((await get('/api/topics', { cookie })).status, 200);
  assert.equal((await get('/metrics', { cookie })).status, 200);
  // a forged or stale cookie does not
  assert.equal((await get('/api/topics', { cookie: `${SESSION_COOKIE}=forged` })).status, 401);
  // a wrong header is not rescued by a good cookie
  assert.equal((await get('/api/topics', { cookie, ...bearer('wrong-token-of-some-length') })).status, 401);
  // another token, another cookie: the old one stops working
  const other = await serve(false, 'another-token-entirely-0123');
  assert.equal((await other('/api/topics', { cookie })).status, 401);
});
