/**
 * The FIM engine on the real node-llama-cpp with generated models: prompt layout from the GGUF's
 * own FIM tokens, KV reuse between keystrokes, cancellation during prompt evaluation, bad files.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';
import { chooseThreads } from '../../models/engine/threads';
import { FimEngine } from '../../models/engine/fimEngine';
import type { FimRequest, LoadOptions } from '../../models/engine/engineProtocol';
import { EngineError } from '../../models/engine/engineProtocol';
import { makeBadModels } from './badModels';

const quiet = () => undefined;
const load = (modelPath: string, extra: Partial<LoadOptions> = {}): LoadOptions =>
  ({ modelPath, contextSize: 2048, threads: chooseThreads(0), gpu: 'off', ...extra }); // the extension's default
const request = (prefix: string, suffix: string, extra: Partial<FimRequest> = {}): FimRequest =>
  ({ prefix, suffix, maxPrefixTokens: 1024, maxSuffixTokens: 128, maxTokens: 16, singleLine: false, ...extra });

describe('FimEngine with the tiny generated model', () => {
  const engine = new FimEngine(quiet);
  let tiny: string;

  before(async () => {
    tiny = await ensureGeneratedModel('tiny');
    await engine.load(load(tiny));
  });
  after(() => engine.unload());

  test('builds the PSM prompt from the GGUF FIM token ids', async () => {
    const { readGgufFileInfo } = await import('node-llama-cpp');
    const info = await readGgufFileInfo(tiny, { sourceType: 'filesystem', logWarnings: false });
    const ids = info.metadata.tokenizer.ggml as unknown as Record<string, number>;
    await engine.complete(request('const a = ', ';\n'), new AbortController().signal);
    const prompt = engine.lastPrompt as readonly number[];
    assert.equal(prompt[0], ids.fim_pre_token_id);
    assert.equal(prompt[prompt.length - 1], ids.fim_mid_token_id);
    assert.ok(prompt.includes(ids.fim_suf_token_id), 'suffix marker present');
    assert.ok(prompt.indexOf(ids.fim_suf_token_id) > 1, 'prefix text sits between prefix and suffix markers');
  });

  test('special-token text typed in user code stays text', async () => {
    await engine.complete(request('// <|fim_middle|> <|endoftext|>\nlet x = ', ''), new AbortController().signal);
    const prompt = engine.lastPrompt as readonly number[];
    const specials = prompt.filter((t, i) => i > 0 && i < prompt.length - 1 && t === prompt[prompt.length - 1]);
    assert.equal(specials.length, 0, 'the user\'s "<|fim_middle|>" did not become the control token');
  });

  test('generates deterministic text and stops within maxTokens', async () => {
    const a = await engine.complete(request('function add(a, b) {\n  return ', '\n}\n', { maxTokens: 8 }), new AbortController().signal);
    const b = await engine.complete(request('function add(a, b) {\n  return ', '\n}\n', { maxTokens: 8 }), new AbortController().signal);
    assert.ok(a.stats.generatedTokens <= 8 && a.stats.generatedTokens > 0);
    assert.equal(a.text, b.text, 'greedy decoding is deterministic');
    assert.match(a.text, /^[\x20-\x7e\n]+$/, 'the tiny model writes printable text');
    assert.ok(['eog', 'maxTokens'].includes(a.stats.stopReason));
  });

  test('single-line mode stops at the end of the first line', async () => {
    const r = await engine.complete(request('let s = "', '";\n', { maxTokens: 64, singleLine: true }), new AbortController().signal);
    assert.ok(!r.text.trim().includes('\n'), `one line: ${JSON.stringify(r.text)}`);
  });

  test('a keystroke re-evaluates only the changed tail (KV reuse)', async () => {
    const prefix = Array.from({ length: 40 }, (_, i) => `const value${i} = compute(${i}, "${'x'.repeat(i % 7)}");`).join('\n') + '\nconst next = ';
    const first = await engine.complete(request(prefix, '\n'), new AbortController().signal);
    const second = await engine.complete(request(prefix + 'c', '\n'), new AbortController().signal);
    assert.ok(first.stats.promptTokens > 200);
    assert.ok(second.stats.evaluatedTokens < 12, `re-evaluated ${second.stats.evaluatedTokens} of ${second.stats.promptTokens}`);
  });

  test('anchored layout: typing on the line evaluates only the typed tokens, the suffix stays cached', async () => {
    const before = Array.from({ length: 40 }, (_, i) => `const value${i} = compute(${i}, "${'x'.repeat(i % 7)}");`).join('\n') + '\n';
    const suffix = '\n' + Array.from({ length: 6 }, (_, i) => `use(value${i});`).join('\n');
    const line = 'const nextValue = comp';
    const costs: number[] = [];
    for (let n = 10; n <= line.length; n++) {
      const r = await engine.complete(request(before + line.slice(0, n), suffix, { anchor: n }), new AbortController().signal);
      costs.push(r.stats.evaluatedTokens);
    }
    const prompt = engine.lastPrompt as readonly number[];
    const { model } = (engine as unknown as { loaded: { model: { tokenize(t: string): number[] } } }).loaded;
    assert.deepEqual(prompt.slice(-model.tokenize(line).length), model.tokenize(line), 'the typed text ends the prompt');
    // Each keystroke: its own token(s), a re-tokenized last token, and the token fed with the first decode step.
    assert.ok(Math.max(...costs.slice(1)) <= 4, `tokens evaluated per keystroke: ${costs.join(',')}`);
  });

  test('an aborted signal stops before any evaluation', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await engine.complete(request('x'.repeat(3000), ''), controller.signal);
    assert.equal(r.stats.aborted, true);
    assert.equal(r.text, '');
  });
});

describe('FimEngine refuses bad model files with a message that says what to do', () => {
  const engine = new FimEngine(quiet);
  let bad: ReturnType<typeof makeBadModels>;
  before(async () => { bad = makeBadModels(await ensureGeneratedModel('tiny')); });
  after(() => engine.unload());

  const cases: [string, () => string, string, RegExp][] = [
    ['missing file', () => bad.missing, 'model-missing', /not found.*Switch Model/],
    ['a directory', () => bad.directory, 'model-not-file', /folder/],
    ['a zero-byte file', () => bad.empty, 'model-not-gguf', /empty/],
    ['a text file', () => bad.notGguf, 'model-not-gguf', /not a GGUF/],
    ['a truncated file', () => bad.truncated, 'model-truncated', /incomplete.*Download it again/],
    ['a damaged header', () => bad.corruptHeader, 'model-not-gguf', /damaged/],
    ['a relative path', () => 'models/tiny.gguf', 'model-missing', /not absolute/],
  ];
  for (const [name, file, code, message] of cases) {
    test(name, async () => {
      await assert.rejects(engine.load(load(file())), (err: unknown) => {
        assert.ok(err instanceof EngineError, String(err));
        assert.equal(err.code, code, err.message);
        assert.match(err.message, message);
        return true;
      });
    });
  }

  test('a model without FIM tokens', async () => {
    const noFim = await ensureGeneratedModel('tiny-nofim');
    await assert.rejects(engine.load(load(noFim)), (err: unknown) =>
      err instanceof EngineError && err.code === 'model-no-fim' && /fill-in-the-middle/.test(err.message));
  });
});

describe('cancellation during prompt evaluation (Qwen2.5-Coder-0.5B-sized model)', () => {
  const engine = new FimEngine(quiet);
  before(async () => { await engine.load(load(await ensureGeneratedModel('qwen05b-shape'), { contextSize: 4096 })); });
  after(() => engine.unload());

  test('a long prompt stops within a chunk of the abort', async () => {
    // ~2,500 prompt tokens: seconds of evaluation on a laptop CPU.
    const prefix = Array.from({ length: 220 }, (_, i) => `let item${i} = list[${i}] ?? defaultValue;`).join('\n');
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 300);
    const r = await engine.complete(request(prefix, '', { maxPrefixTokens: 3000 }), controller.signal);
    const elapsed = performance.now() - started;
    assert.equal(r.stats.aborted, true);
    assert.ok(r.stats.evaluatedTokens < r.stats.promptTokens, `stopped early: ${r.stats.evaluatedTokens}/${r.stats.promptTokens}`);
    // The whole prompt takes seconds; stopping within a few chunks of the abort is what counts.
    // (Wall-clock bounds flake on a loaded machine: the figure is printed, not asserted.)
    assert.ok(r.stats.evaluatedTokens < r.stats.promptTokens / 2, `evaluated ${r.stats.evaluatedTokens} of ${r.stats.promptTokens}`);
    console.log(`# cancel during prompt evaluation: returned ${Math.round(elapsed)} ms after start (abort at 300 ms)`);
  });
});

describe('speculative draft pairing in the engine', () => {
  const engine = new FimEngine(quiet);
  after(() => engine.unload());

  test('a draft with another vocabulary is refused with the reason; the target runs alone', async () => {
    const tiny = await ensureGeneratedModel('tiny');
    const info = await engine.load(load(tiny, { draftModelPath: await ensureGeneratedModel('tiny-othervocab') }));
    assert.match(info.draftRefused ?? '', /(FIM tokens|tokenizer) differ/);
    assert.equal(info.draft, undefined);
    assert.equal(info.speculation, 'lookup', 'prompt lookup still speculates');
    const r = await engine.complete(request('const a = ', ';\n'), new AbortController().signal);
    assert.ok(r.stats.generatedTokens > 0);
  });

  test('a compatible draft is paired and completions still work', async () => {
    const tiny = await ensureGeneratedModel('tiny');
    const info = await engine.load(load(tiny, { draftModelPath: tiny }));
    assert.equal(info.speculation, 'draft');
    assert.equal(info.draftRefused, undefined);
    const r = await engine.complete(request('function f(x) {\n  return ', '\n}\n', { maxTokens: 12 }), new AbortController().signal);
    assert.ok(r.stats.generatedTokens > 0);
  });
});
