/**
 * Warm-ups that would overwrite the prompt keystrokes continue run on the spare sequence
 * (models/engine/sequencePair.ts), on the real engine with the tiny generated model: an interrupted
 * growth costs the next keystroke nothing, the next rest resumes it, and once complete it is what
 * keystrokes continue.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';
import { FimEngine } from '../../models/engine/fimEngine';
import type { FimRequest } from '../../models/engine/engineProtocol';

const file = Array.from({ length: 300 }, (_, i) => `const value${i} = compute(${i}, "k${i}");`).join('\n') + '\n';
const small = file.slice(-200);
const request = (prefix: string, extra: Partial<FimRequest> = {}): FimRequest => ({
  prefix, suffix: '\nnext();\n', anchor: prefix.length - prefix.lastIndexOf('\n') - 1 || undefined,
  maxPrefixTokens: 1500, maxSuffixTokens: 32, maxTokens: 4, singleLine: true, ...extra,
});

describe('warm-ups on the spare sequence', () => {
  const engine = new FimEngine(() => undefined);
  before(async () => engine.load({ modelPath: await ensureGeneratedModel('tiny'), contextSize: 2048, threads: 1, gpu: 'off', speculation: 'off' }));
  after(() => engine.unload());

  test('an interrupted growth leaves the keystroke prompt cached, and the next rest resumes it', async () => {
    await engine.complete(request(small + 'co'), new AbortController().signal);
    // The growth (the whole file before the cursor) is interrupted after its first chunk.
    const stop = new AbortController();
    const growing = engine.complete(request(file + 'co', { warmOnly: true }), stop.signal, undefined);
    setImmediate(() => stop.abort());
    const interrupted = await growing;
    assert.equal(interrupted.stats.stopReason, 'aborted');
    const key = await engine.complete(request(small + 'con'), new AbortController().signal);
    assert.ok(key.stats.evaluatedTokens <= 4, `keystroke after the interrupted growth evaluated ${key.stats.evaluatedTokens} tokens`);
    // The next rest resumes the growth where it stopped instead of starting over.
    const resumed = await engine.complete(request(file + 'con', { warmOnly: true }), new AbortController().signal);
    assert.equal(resumed.stats.stopReason, 'warm');
    assert.ok(resumed.stats.evaluatedTokens < resumed.stats.promptTokens - 1, `resumed: ${resumed.stats.evaluatedTokens} of ${resumed.stats.promptTokens}`);
    // Complete: keystrokes now continue the grown prompt.
    const after = await engine.complete(request(file + 'cons'), new AbortController().signal);
    assert.ok(after.stats.evaluatedTokens <= 4, `keystroke after the growth evaluated ${after.stats.evaluatedTokens} tokens`);
  });

  test('a warm-up of the same place runs on the foreground (no second copy of the prompt)', async () => {
    await engine.complete(request(small + 'x'), new AbortController().signal);
    const warm = await engine.complete(request(small + 'xy', { warmOnly: true }), new AbortController().signal);
    assert.ok(warm.stats.evaluatedTokens <= 4, `warm-up at the same place evaluated ${warm.stats.evaluatedTokens} tokens`);
  });
});
