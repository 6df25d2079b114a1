import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RestartBudget } from '../../../src/core/workers/restartBudget.js';

test('RestartBudget: at most max per sliding window, then room again as old restarts leave it', () => {
  let now = 0;
  const b = new RestartBudget(2, 1000, () => now);
  assert.equal(b.tryTake(), true);
  now = 400;
  assert.equal(b.tryTake(), true);
  assert.equal(b.tryTake(), false);
  assert.equal(b.used(), 2);
  assert.equal(b.nextAllowedAt(), 1000);
  now = 1000; // the first restart leaves the window
  assert.equal(b.tryTake(), true);
  assert.equal(b.tryTake(), false);
  assert.equal(b.nextAllowedAt(), 1400);
  now = 2400;
  assert.equal(b.used(), 0);
  assert.equal(b.nextAllowedAt(), 2400);
});

test('RestartBudget: max 0 never allows a restart', () => {
  const b = new RestartBudget(0, 1000);
  assert.equal(b.tryTake(), false);
  assert.equal(b.nextAllowedAt(), Infinity);
});
