import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ChunkSizer } from '../../models/engine/promptChunks';

/** Feeds a `left`-token prompt through the sizer with chunks costing `msPerToken(size)` each token. */
function feed(sizer: ChunkSizer, left: number, msPerToken: (size: number) => number): number[] {
  const sizes: number[] = [];
  while (left > 0) {
    const n = sizer.size(left);
    sizes.push(n);
    sizer.record(n, n * msPerToken(n));
    left -= n;
  }
  return sizes;
}

describe('prompt chunk sizes', () => {
  const policy = { stopBudgetMs: 200, min: 16, initial: 32 };
  test('starts at 32 and grows while a chunk still ends within the stop budget (a fast model: 128)', () => {
    const s = new ChunkSizer(policy);
    const sizes = feed(s, 1000, () => 0.2);
    assert.deepEqual(sizes.slice(0, 4), [32, 128, 128, 128]);
  });
  test('a slow model (qwen05b-shape at 1 thread, ~7 ms per token) stays at the size that fits the budget', () => {
    const s = new ChunkSizer(policy);
    const sizes = feed(s, 800, (n) => (n >= 64 ? 6 : n >= 32 ? 6.5 : 9));
    assert.ok(sizes.slice(1, -1).every((n) => n === 16 || n === 32), sizes.join(','));
    assert.equal(sizes[sizes.length - 2], 16, '32 x 6.5 ms = 208 ms is over the budget: 16');
  });
  test('never below the minimum, even on a machine so busy that no size fits', () => {
    const s = new ChunkSizer(policy);
    assert.ok(feed(s, 300, () => 50).every((n, i, all) => n === 16 || i === 0 || i === all.length - 1));
  });
  test('shrinks when the machine gets busy and grows back when it is idle again', () => {
    const s = new ChunkSizer(policy);
    feed(s, 1000, () => 0.5);
    assert.equal(s.size(1000), 128);
    feed(s, 1000, () => 10);
    assert.equal(s.size(1000), 16);
    feed(s, 3000, () => 0.5);
    assert.equal(s.size(1000), 128);
  });
  test('the last few tokens go in one chunk rather than a 2-token tail', () => {
    const s = new ChunkSizer(policy);
    feed(s, 1000, () => 0.2);
    assert.equal(s.size(150), 150);
    assert.equal(s.size(20), 20);
  });
});
