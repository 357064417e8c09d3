/** Prompt lookup: what followed the latest earlier occurrence of the last tokens. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };
import { LookupGuesser } from '../../models/engine/tokenGuessers';

const t = (...ids: number[]) => ids as Token[];

test('proposes what followed the latest earlier occurrence of the last tokens', () => {
  const g = new LookupGuesser();
  // ... 7 8 9 [10 11] ... 7 8 9 -> 10 11 (up to what exists before the end)
  assert.deepEqual(g.guess(t(1, 7, 8, 9, 10, 11, 2, 3, 7, 8, 9), 2), t(10, 11));
  assert.deepEqual(g.guess(t(1, 7, 8, 9, 10, 11, 2, 3, 7, 8, 9), 8), t(10, 11, 2, 3, 7, 8, 9));
});

test('prefers the longest matching n-gram over a later shorter one', () => {
  const g = new LookupGuesser(4, 2);
  // "5 6" occurs twice; only the first occurrence is preceded by 4 as at the end: 4 5 6 -> 20.
  assert.deepEqual(g.guess(t(4, 5, 6, 20, 0, 5, 6, 30, 0, 4, 5, 6), 1), t(20));
});

test('proposes nothing without a repeated n-gram of the minimum length', () => {
  const g = new LookupGuesser(4, 2);
  assert.deepEqual(g.guess(t(1, 2, 3, 4, 5, 6), 4), []);
  assert.deepEqual(g.guess(t(1), 4), []);
  assert.deepEqual(g.guess(t(), 4), []);
});

test('looks no further back than its window', () => {
  const g = new LookupGuesser(2, 2, 5);
  assert.deepEqual(g.guess(t(8, 9, 42, 1, 2, 3, 4, 5, 8, 9), 1), []);
  assert.deepEqual(new LookupGuesser(2, 2, 100).guess(t(8, 9, 42, 1, 2, 3, 4, 5, 8, 9), 1), t(42));
});
