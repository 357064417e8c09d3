/**
 * Confidence and alternatives from the real decode loop (node-llama-cpp on the tiny generated
 * model): every generated token comes with its probability and where it ends in the text, and an
 * explicit request's alternatives are distinct candidates decoded from the prompt already in the
 * KV cache (the sequence's own token meter shows the prompt is not evaluated again).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';
import { chooseThreads } from '../../models/engine/threads';
import { FimEngine } from '../../models/engine/fimEngine';
import type { FimRequest } from '../../models/engine/engineProtocol';

const request = (extra: Partial<FimRequest> = {}): FimRequest => ({
  prefix: 'function add(a, b) {\n  return ', suffix: ';\n}\n', maxPrefixTokens: 1024, maxSuffixTokens: 128, maxTokens: 12, singleLine: true, ...extra,
});

describe('confidence and alternatives on the tiny model', () => {
  const engine = new FimEngine(() => undefined);
  before(async () => { await engine.load({ modelPath: await ensureGeneratedModel('tiny'), contextSize: 2048, threads: chooseThreads(0), gpu: 'off', speculation: 'off' }); });
  after(() => engine.unload());

  test('each generated token has a probability and an end offset inside the text', async () => {
    const result = await engine.complete(request(), new AbortController().signal);
    const t = result.tokens!;
    assert.ok(t.probs.length > 0 && t.probs.length <= result.stats.generatedTokens, `${t.probs.length} of ${result.stats.generatedTokens}`);
    assert.equal(t.ends.length, t.probs.length);
    assert.ok(t.probs.every((p) => p > 0 && p <= 1));
    assert.ok(t.ends.every((e, i) => e >= (i ? t.ends[i - 1] : 0) && e <= result.text.length));
    if (result.text) assert.equal(t.ends[t.ends.length - 1], result.text.length);
    const c = result.confidence!;
    assert.equal(c.first, t.probs[0]);
    assert.ok(c.min <= c.first && c.meanLogProb <= 0);
  });

  test('alternatives are distinct, start differently, and reuse the evaluated prompt', async () => {
    const signal = new AbortController().signal;
    await engine.complete(request({ prefix: 'let x = 1;\n' }), signal); // something else in the cache first
    const single = await engine.complete(request(), signal);
    const promptEvaluated = (await engine.complete(request({ prefix: 'let y = 2;\n' }), signal), await engine.complete(request({ alternatives: 3 }), signal));
    assert.equal(single.alternatives, undefined, 'automatic requests stay single');
    const alts = promptEvaluated.alternatives!;
    assert.equal(alts.length, 2);
    const all = [promptEvaluated.text, ...alts.map((a) => a.text)];
    assert.equal(new Set(all).size, 3, `distinct: ${JSON.stringify(all)}`);
    for (const a of alts) assert.equal(a.tokens.probs.length, a.tokens.ends.length);
    // The prompt was evaluated once; the branches cost only their own tokens.
    const branchTokens = alts.reduce((t, a) => t + a.tokens.probs.length, 0);
    assert.ok(promptEvaluated.stats.alternativeTokens! <= branchTokens + alts.length, `${promptEvaluated.stats.alternativeTokens} tokens for ${branchTokens} generated`);
    assert.ok(promptEvaluated.stats.alternativeTokens! < promptEvaluated.stats.promptTokens / 2, 'far fewer than the prompt');
    // The next keystroke still finds its prompt in the cache.
    const again = await engine.complete(request(), signal);
    assert.ok(again.stats.evaluatedTokens < again.stats.promptTokens / 2, `${again.stats.evaluatedTokens} of ${again.stats.promptTokens} evaluated`);
    assert.equal(again.text, promptEvaluated.text, 'the greedy text is unchanged by the branches');
  });
});
