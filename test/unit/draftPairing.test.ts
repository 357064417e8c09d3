// Draft compatibility from header facts: every reason a draft is refused, and the pick among
// several candidates. (test/integration/modelChoices.test.ts does the same on generated files.)

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { draftRefusal, pickDraft, slowerReason, type DraftFacts } from '../../models/library/draftPairing';

const qwen = (name: string, sizeBytes: number, extra: Partial<DraftFacts> = {}): DraftFacts => ({
  path: `/m/${name}.gguf`, name, sizeBytes, vocabSize: 151665,
  fimTokenIds: { prefix: 151659, suffix: 151661, middle: 151660 },
  tokenizer: { model: 'gpt2', fingerprint: 'qwen-vocab', eosTokenId: 151643 },
  ...extra,
});

const target = qwen('qwen-7b', 8.1e9);

test('a small model with the same vocabulary can draft', () => {
  assert.equal(draftRefusal(target, qwen('qwen-0.5b', 0.53e9)), undefined);
});

test('each incompatibility is refused with its reason', () => {
  assert.match(draftRefusal(target, target)!, /is the model itself/);
  assert.match(draftRefusal(target, qwen('llama', 1e9, { tokenizer: { model: 'llama', fingerprint: 'x', eosTokenId: 2 } }))!,
    /different tokenizer \(llama, the model uses gpt2\)/);
  assert.match(draftRefusal(target, qwen('small-vocab', 1e9, { vocabSize: 32000 }))!, /32000 tokens, the model has 151665/);
  assert.match(draftRefusal(target, qwen('other-merges', 1e9, { tokenizer: { model: 'gpt2', fingerprint: 'other', eosTokenId: 151643 } }))!,
    /other tokens or merges/);
  assert.match(draftRefusal(target, qwen('other-fim', 1e9, { fimTokenIds: { prefix: 1, suffix: 2, middle: 3 } }))!,
    /fill-in-the-middle tokens \(1\/2\/3, the model has 151659\/151661\/151660\)/);
  assert.match(draftRefusal(target, qwen('other-eos', 1e9, { tokenizer: { model: 'gpt2', fingerprint: 'qwen-vocab', eosTokenId: 7 } }))!,
    /ends text with a different token/);
  assert.match(draftRefusal(qwen('qwen-1.5b', 1.0e9), qwen('qwen-0.5b-q8', 0.8e9))!, /not much smaller .*slow completions down/);
});

test('the smallest compatible candidate wins; the others come back with reasons', () => {
  const candidates = [
    qwen('qwen-1.5b', 1.6e9),
    qwen('qwen-0.5b-q8', 0.53e9),
    qwen('qwen-0.5b-q4', 0.4e9),
    qwen('starcoder', 0.3e9, { vocabSize: 49152, tokenizer: { model: 'gpt2', fingerprint: 'sc', eosTokenId: 0 } }),
    target,
  ];
  const choice = pickDraft(target, candidates);
  assert.equal(choice.draft?.name, 'qwen-0.5b-q4');
  assert.deepEqual(choice.refused.map((r) => r.candidate.name).sort(), ['qwen-7b', 'starcoder']);
  assert.equal(pickDraft(target, [target]).draft, undefined);
});

test('a pair measured slower is skipped by automatic pairing, with the figures as its reason', () => {
  const small = qwen('qwen-0.5b-q4', 0.4e9);
  const bigger = qwen('qwen-0.5b-q8', 0.53e9);
  const slower = new Map([[small.path, slowerReason(small.name, { msPerTokenOn: 31, msPerTokenOff: 24 })]]);
  const choice = pickDraft(target, [small, bigger], slower);
  assert.equal(choice.draft?.name, 'qwen-0.5b-q8', 'the next smallest compatible one');
  assert.match(choice.refused[0].reason, /qwen-0.5b-q4 made this model slower when measured \(31 ms per token with it, 24 without\), so it is not paired automatically/);
  assert.equal(pickDraft(target, [small], slower).draft, undefined, 'none rather than a slower one');
});
