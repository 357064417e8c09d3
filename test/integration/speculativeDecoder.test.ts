/**
 * The engine's own speculative decode loop on the bundled trained model (real, confident logits):
 * speculation never changes the greedy text, a draft that is the target itself has every guess
 * accepted, an oracle that knows the answer needs far fewer steps, and the FimEngine gives the
 * same completion with speculation off, with the paired draft and with prompt lookup.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Llama, LlamaContext, LlamaModel, Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };
import type { FimRequest } from '../../models/engine/engineProtocol';
import { FimEngine } from '../../models/engine/fimEngine';
import { repoRoot } from '../../models/gguf/paths';
import { bundledDraftBeside, findBundledModel } from '../../models/library/modelLocations';
import { decodeGreedy, type DecodeStats } from '../../models/engine/speculativeDecoder';
import { DraftGuesser, LookupGuesser, type TokenGuesser } from '../../models/engine/tokenGuessers';

const PROMPTS = [
  'export function clamp(value: number, min: number, max: number): number {\n  if (value < min) return min;\n  if (value > max) return max;\n  return ',
  'def read_lines(path):\n    with open(path) as f:\n        for line in f:\n            yield line.rstrip()\n\n\ndef read_words(path):\n    with open(path) as f:\n        for line in f:\n            ',
];
const LENGTH = 40;

describe('speculative decoding (models/engine/speculativeDecoder.ts) on the bundled model', () => {
  let llama: Llama;
  let model: LlamaModel;
  let targetPath = '';
  const contexts: LlamaContext[] = [];
  const signal = new AbortController().signal;

  before(async () => {
    const bundled = await findBundledModel(repoRoot(__dirname));
    assert.ok(bundled, 'models/bundled/ holds no model');
    targetPath = bundled.path;
    const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
    llama = await getLlama({ gpu: false, build: 'never', maxThreads: 1, logLevel: LlamaLogLevel.error });
    model = await llama.loadModel({ modelPath: targetPath });
  });
  after(async () => {
    for (const c of contexts) await c.dispose();
    await model?.dispose();
  });

  const sequence = async () => {
    const ctx = await model.createContext({ contextSize: 512, threads: 1, sequences: 1 });
    contexts.push(ctx);
    return ctx.getSequence();
  };
  const prompt = (text: string): Token[] => {
    const { prefix, suffix, middle } = model.tokens.infill;
    return [prefix!, ...model.tokenize(text), suffix!, ...model.tokenize('\n'), middle!];
  };
  const decode = async (text: string, guesser?: TokenGuesser): Promise<{ tokens: Token[]; stats: DecodeStats }> => {
    const seq = await sequence();
    const p = prompt(text);
    await seq.evaluateWithoutGeneratingNewTokens(p.slice(0, -1));
    const tokens: Token[] = [];
    const stats = await decodeGreedy(seq, p.slice(0, -1), p[p.length - 1], guesser, signal,
      (t) => { tokens.push(t); return tokens.length < LENGTH; }, { maxGuesses: 6, patience: Infinity });
    // What stays in the KV cache is the prompt plus everything generated but the last token.
    assert.equal(seq.nextTokenIndex, p.length + tokens.length - 1, 'refuted guesses were erased from the KV cache');
    return { tokens, stats };
  };

  test('a draft that is the target itself: same text, every guess accepted', async () => {
    for (const text of PROMPTS) {
      const plain = await decode(text);
      assert.equal(plain.stats.steps, LENGTH, 'one step per token without guesses');
      const self = await decode(text, new DraftGuesser(await sequence(), 0));
      assert.deepEqual(self.tokens, plain.tokens);
      assert.ok(self.stats.proposed > 0);
      assert.equal(self.stats.accepted, self.stats.proposed, 'the same model agrees with itself');
    }
  });

  test('an oracle that knows the continuation verifies several tokens per step', async () => {
    for (const text of PROMPTS) {
      const plain = await decode(text);
      const p = prompt(text);
      const oracle: TokenGuesser = { guess: (tokens, max) => plain.tokens.slice(tokens.length - p.length, tokens.length - p.length + max) };
      const fast = await decode(text, oracle);
      assert.deepEqual(fast.tokens, plain.tokens);
      assert.ok(fast.stats.steps <= Math.ceil(LENGTH / 7) + 1, `${fast.stats.steps} steps for ${LENGTH} tokens with 6 right guesses per step`);
    }
  });

  test('wrong guesses cost steps but never change the text', async () => {
    const liar: TokenGuesser = { guess: () => [model.tokenize(' banana')[0]!, model.tokenize(' banana')[0]!] };
    for (const text of PROMPTS) {
      const plain = await decode(text);
      const lied = await decode(text, liar);
      assert.deepEqual(lied.tokens, plain.tokens);
      assert.equal(lied.stats.steps, plain.stats.steps);
    }
    const lookup = await decode(PROMPTS[1], new LookupGuesser());
    assert.deepEqual(lookup.tokens, (await decode(PROMPTS[1])).tokens);
  });

  test('the engine completes identically with speculation off, with the paired draft and with lookup', async () => {
    const draftPath = bundledDraftBeside(targetPath);
    assert.ok(draftPath);
    const engine = new FimEngine(() => undefined);
    const request = (prefix: string): FimRequest => ({ prefix, suffix: '\n', maxPrefixTokens: 512, maxSuffixTokens: 32, maxTokens: 32, singleLine: false });
    const texts: Record<string, string[]> = {};
    try {
      for (const [name, extra] of [['off', { speculation: 'off' }], ['draft', { draftModelPath: draftPath }], ['lookup', {}]] as const) {
        const info = await engine.load({ modelPath: targetPath, contextSize: 512, threads: 1, gpu: 'off', speculation: 'auto', ...extra });
        assert.equal(info.speculation, name);
        texts[name] = [];
        for (const text of PROMPTS) texts[name].push((await engine.complete(request(text), signal)).text);
      }
    } finally {
      await engine.unload();
    }
    assert.ok(texts.off.some((t) => t.trim()), 'the model wrote something');
    assert.deepEqual(texts.draft, texts.off);
    assert.deepEqual(texts.lookup, texts.off);
  });
});
