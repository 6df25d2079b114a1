import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readableLabel, topicLabel } from '../../src/represent/topicLabel.js';
import { topicLabel as serviceLabel } from '../../src/model/topic.js';

const w = (...words: string[]) => words.map((word) => ({ word, score: 1 }));

test('the readable label: the first four words joined by ", "', () => {
  assert.equal(readableLabel(12, w('border', 'wall', 'mexico', 'immigration', 'illegal')), 'border, wall, mexico, immigration');
  assert.equal(readableLabel(3, ['nasa', 'orbit']), 'nasa, orbit');
  assert.equal(readableLabel(3, w('a', 'b', 'c'), 2), 'a, b');
});

test('the readable label skips an n-gram whose words are there already', () => {
  assert.equal(readableLabel(1, w('border', 'wall', 'border wall', 'mexico', 'build wall', 'pay')), 'border, wall, mexico, build wall');
});

test('the outliers are "outliers"; a topic without words is its id', () => {
  assert.equal(readableLabel(-1, w('the', 'of')), 'outliers');
  assert.equal(readableLabel(7, []), '7');
});

test("the service's automatic label is the readable one; fit's stays BERTopic's <id>_<w1>_<w2>_<w3>_<w4>", () => {
  assert.equal(serviceLabel(12, w('border', 'wall', 'mexico', 'immigration', 'illegal')), 'border, wall, mexico, immigration');
  assert.equal(serviceLabel(-1, w('the')), 'outliers');
  assert.equal(topicLabel(12, w('border', 'wall', 'mexico', 'immigration', 'illegal')), '12_border_wall_mexico_immigration');
});
