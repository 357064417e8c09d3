import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PromptRate, STAGE_ABOVE_MS } from '../../completion/promptRate';
import type { FimRequest } from '../../models/engine/engineProtocol';

const request = (chars: number): FimRequest => ({ prefix: 'x'.repeat(chars), suffix: '', maxPrefixTokens: 4096, maxSuffixTokens: 0, maxTokens: 8, singleLine: true });

test('prompt rate: unknown is slow; short evaluations are ignored; a moving average follows the backend', () => {
  const rate = new PromptRate();
  assert.equal(rate.estimateMs(100), undefined);
  assert.equal(rate.slowFor(request(3500)), true, 'no measurement yet: stage');
  rate.record(4, 40); // a keystroke: fixed costs, not a rate
  assert.equal(rate.estimateMs(100), undefined);
  rate.record(1000, 100); // 0.1 ms per token: a fast GPU
  assert.equal(rate.estimateMs(1000), 100);
  assert.equal(rate.slowFor(request(3500)), false, `1,000 tokens in 100 ms < ${STAGE_ABOVE_MS} ms`);
  rate.record(1000, 10_000); // the machine got busy: 10 ms per token
  assert.ok(rate.estimateMs(1000)! > 2000);
  assert.equal(rate.slowFor(request(3500)), true);
  rate.clear();
  assert.equal(rate.estimateMs(1000), undefined);
});
