/**
 * The topic hierarchy against BERTopic 0.17.4's hierarchical_topics (defaults: Ward linkage on
 * 1 - cosine of the c-TF-IDF rows) on the toolbox fixture's 23 fixed topics
 * (test/fixtures/toolbox/make_representations.py): the same merges in the same order, distances to
 * 1e-9, the same topics under every node and the same name (its top 5 words). BERTopic's optimal
 * leaf ordering swaps the children of some merges for drawing; we list the smaller first.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { readDocs } from '../../src/io/readDocs.js';
import { topicTerms } from '../../src/pipeline/describeTopics.js';
import { dendrogram, mergesOf } from '../../src/report/hierarchy.js';
import { topicHierarchy } from '../../src/toolbox/topicHierarchy.js';
import { FIXTURES } from '../helpers/paths.js';

interface Row { parent: number; left: number; right: number; distance: number; topics: number[]; name: string }

const DIR = path.join(FIXTURES, 'toolbox');
const expected = (JSON.parse(readFileSync(path.join(DIR, 'representations.json'), 'utf8')) as { hierarchy: Row[] }).hierarchy;
const labels = Int32Array.from((JSON.parse(readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as { base_topics: number[] }).base_topics);
const config = loadConfig({ env: {} });
const docs = (await readDocs(path.join(DIR, 'docs.jsonl.gz'), { ...config.input })).docs;

test('hierarchy: BERTopic\'s hierarchical_topics merges, distances, topics and names', () => {
  const ours = topicHierarchy(topicTerms(docs.map((d) => d.text), labels, config));
  assert.equal(ours.length, expected.length);
  ours.forEach((m, i) => {
    const e = expected[i]!;
    assert.equal(m.id, e.parent, `merge ${i}: id`);
    assert.deepEqual([m.left, m.right], [Math.min(e.left, e.right), Math.max(e.left, e.right)], `merge ${m.id}: children`);
    assert.ok(Math.abs(m.distance - e.distance) < 1e-9, `merge ${m.id}: distance ${m.distance} vs ${e.distance}`);
    assert.deepEqual(m.topics, e.topics, `merge ${m.id}: topics`);
    assert.equal(m.words.slice(0, 5).join('_'), e.name, `merge ${m.id}: name`);
  });
});

test('hierarchy: none for fewer than two topics', () => {
  const one = Int32Array.from(labels, (l) => (l === -1 ? -1 : 0));
  assert.deepEqual(topicHierarchy(topicTerms(docs.map((d) => d.text), one, config)), []);
});

test('the report draws topics.json\'s tree: mergesOf gives linkage rows over the report\'s topic order', () => {
  const tree = topicHierarchy(topicTerms(docs.map((d) => d.text), labels, config));
  const ids = [...new Set(labels)].filter((l) => l !== -1).sort((a, b) => b - a); // any order of the topics
  const merges = mergesOf(tree, ids)!;
  assert.equal(merges.length, ids.length - 1);
  merges.forEach((m, i) => {
    const at = (k: number) => (k < ids.length ? ids[k] : k);
    assert.deepEqual([at(m.a), at(m.b)], [tree[i]!.left, tree[i]!.right]);
    assert.equal(m.size, tree[i]!.topics.length);
  });
  assert.deepEqual([...dendrogram(merges, ids.length).order].sort((a, b) => a - b), ids.map((_, k) => k));
  assert.equal(mergesOf(tree, ids.slice(1)), null, 'a tree over other topics is not used');
});
