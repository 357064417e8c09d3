import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseThreads } from '../../models/engine/threads';

test('thread count: never more than the cores, leaves a core free where there are spare ones', () => {
  assert.equal(chooseThreads(0, 1), 1);
  assert.equal(chooseThreads(0, 2), 1, 'two threads on two cores collapse when the other core is busy');
  assert.equal(chooseThreads(0, 4), 3);
  assert.equal(chooseThreads(0, 8), 6);
  assert.equal(chooseThreads(0, 64), 12);
  assert.equal(chooseThreads(5, 2), 5, 'an explicit setting wins');
});
