import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, ConfigError } from '../../src/config/load.js';
import { ROOT } from '../helpers/paths.js';

test('defaults match BERTopic', () => {
  const c = loadConfig({ env: {} });
  assert.equal(c.umap.nNeighbors, 15);
  assert.equal(c.umap.nComponents, 5);
  assert.equal(c.umap.minDist, 0);
  assert.equal(c.hdbscan.minClusterSize, 10);
  assert.equal(c.hdbscan.clusterSelectionMethod, 'eom');
  assert.equal(c.ctfidf.topNWords, 10);
  assert.equal(c.embedding.model, 'sentence-transformers/all-MiniLM-L6-v2');
  assert.equal(c.kafka.topics.assignments, 'topic-assignments');
});

test('the shipped config/default.json is valid', () => {
  const c = loadConfig({ file: path.join(ROOT, 'config', 'default.json'), env: {} });
  assert.equal(c.kafka.topics.dlq, 'posts-dlq');
});

test('file < environment < flags', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ts-cfg-'));
  const f = path.join(dir, 'c.json');
  writeFileSync(f, JSON.stringify({ kafka: { brokers: ['file:1'], groupId: 'from-file' }, http: { port: 1111 } }));
  const c = loadConfig({ file: f, env: { TOPICSTREAM_KAFKA_BROKERS: 'env:1, env:2', TOPICSTREAM__stream__window__maxDocs: '5000' }, flags: { http: { port: 2222 } } });
  assert.deepEqual(c.kafka.brokers, ['env:1', 'env:2']);
  assert.equal(c.kafka.groupId, 'from-file');
  assert.equal(c.http.port, 2222);
  assert.equal(c.stream.window.maxDocs, 5000);
});

test('a bad setting is named with its path and source', () => {
  assert.throws(
    () => loadConfig({ env: {}, flags: { stream: { window: { maxDocs: -3 } } } }),
    (e: unknown) => e instanceof ConfigError && /stream\.window\.maxDocs/.test(e.message) && /flags/.test(e.message),
  );
  assert.throws(() => loadConfig({ env: {}, flags: { umap: { nNeighbours: 3 } } }), /umap.*nNeighbours|Unrecognized key/);
});

test('missing or malformed config file gives a clear error', () => {
  assert.throws(() => loadConfig({ file: '/nonexistent/x.json', env: {} }), /config file not found/);
  const dir = mkdtempSync(path.join(tmpdir(), 'ts-cfg-'));
  const f = path.join(dir, 'bad.json');
  writeFileSync(f, '{ nope');
  assert.throws(() => loadConfig({ file: f, env: {} }), /not valid JSON/);
});

test('embedding.model: any model id (sentence-transformers models run from a folder or the hub); a malformed id is an error naming the setting', () => {
  assert.equal(loadConfig({ env: {}, flags: { embedding: { model: 'sentence-transformers/all-MiniLM-L6-v2' } } }).embedding.model, 'sentence-transformers/all-MiniLM-L6-v2');
  assert.equal(loadConfig({ env: {}, flags: { embedding: { model: 'BAAI/bge-small-en-v1.5' } } }).embedding.model, 'BAAI/bge-small-en-v1.5');
  assert.throws(
    () => loadConfig({ env: {}, flags: { embedding: { model: '../all-mpnet-base-v2' } } }),
    (e: unknown) => e instanceof ConfigError && /embedding\.model: "\.\.\/all-mpnet-base-v2" is not a model id/.test(e.message),
  );
});

test('one seed; settings that did nothing are gone (a config still setting them is told so)', () => {
  assert.equal(loadConfig({ env: {}, flags: { seed: 7 } }).seed, 7);
  for (const stale of [{ stream: { seed: 1 } }, { stream: { batchMaxWaitMs: 100 } }, { umap: { metric: 'cosine' } }]) {
    assert.throws(() => loadConfig({ env: {}, flags: stale }), /Unrecognized key/, JSON.stringify(stale));
  }
});
