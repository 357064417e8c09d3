import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CompletionPipeline, type FimBackend, type PipelineSettings } from '../../completion/completionPipeline';
import { plainPlan, type ContextSource } from '../../completion/contextSource';
import type { FimRequest, FimResult } from '../../models/engine/engineProtocol';

// A jump gets a small prompt after the snippets the engine holds; rests grow it in two adopted steps.
const settings: PipelineSettings = { maxTokens: 16, multiline: false, prefixTokens: 256, suffixTokens: 32 };
const file = Array.from({ length: 600 }, (_, i) => `const v${i} = compute(${i});`).join('\n') + '\n';
/** The text before the start of line `n` (0-based) of the file. */
const upTo = (n: number) => file.split('\n').slice(0, n).join('\n') + '\n';

/** Snippets named after the block of 100 lines the cursor is in: a new place plans other snippets. */
const context: ContextSource = {
  plan: (input, s) => {
    const plan = plainPlan(input, s);
    const block = Math.floor(input.prefix.split('\n').length / 100);
    return { ...plan, request: { ...plan.request, context: [{ path: `near-${block}.ts`, text: `export const near${block} = 1;\n` }] } };
  },
};

class Recorder implements FimBackend {
  requests: FimRequest[] = [];
  /** Warm-ups answer as the engine does when interrupted: aborted, nothing adopted. */
  interruptWarmUps = false;
  /** Milliseconds each request reports for reading 500 prompt tokens (0: reports no rate). */
  promptMs = 0;
  async complete(request: FimRequest): Promise<FimResult> {
    this.requests.push(request);
    const aborted = !!request.warmOnly && this.interruptWarmUps;
    return { text: 'x', stats: { promptTokens: 500, evaluatedTokens: 500, generatedTokens: 1, promptMs: this.promptMs, generateMs: 0, totalMs: 0, aborted,
      stopReason: aborted ? 'aborted' : request.warmOnly ? 'warm' : 'eog', speculativeAccepted: 0, speculativeProposed: 0 } };
  }
  get last(): FimRequest { return this.requests[this.requests.length - 1]; }
}

const at = (prefix: string) => ({ prefix, suffix: '\nmore();\n', languageId: 'typescript', uri: 'file:///a.ts' });
const ask = (p: CompletionPipeline, prefix: string) => p.complete(at(prefix), settings, new AbortController().signal);
const rest = async (p: CompletionPipeline, prefix: string) => { p.warm(at(prefix), settings); await new Promise((r) => setTimeout(r, 5)); };
const names = (r: FimRequest) => r.context?.map((c) => c.path) ?? [];
/** A pipeline whose document grew to the full prompt at line 150: a request, then two rests. */
async function grownAt150(backend: Recorder): Promise<CompletionPipeline> {
  const pipeline = new CompletionPipeline(backend, { context });
  await ask(pipeline, upTo(150) + 'con');
  await rest(pipeline, upTo(150) + 'con');
  await rest(pipeline, upTo(150) + 'con');
  return pipeline;
}

describe('jump stages: small prompt at a new place, grown while the user stays', () => {
  test('a document starts small with no snippets, and two rests grow it to the window, then to its snippets', async () => {
    const backend = new Recorder();
    const pipeline = new CompletionPipeline(backend, { context });
    await ask(pipeline, upTo(150) + 'con');
    assert.ok(backend.last.prefix.length < 64 * 4 + 40, 'the small window');
    assert.deepEqual(names(backend.last), [], 'no snippets the engine does not hold yet');
    await rest(pipeline, upTo(150) + 'con');
    assert.ok(backend.last.warmOnly && backend.last.prefix.length > 600, 'the first growth: the full window');
    assert.deepEqual(names(backend.last), [], 'with the snippets still pinned');
    await rest(pipeline, upTo(150) + 'con');
    assert.deepEqual(names(backend.last), ['near-1.ts'], 'the second growth: this place\'s snippets');
    await ask(pipeline, upTo(150) + 'cons');
    assert.deepEqual(names(backend.last), ['near-1.ts']);
    assert.ok(backend.last.prefix.length > 600, 'typing keeps the grown prompt');
  });

  test('a jump keeps the snippets the engine holds and sends only the nearest lines', async () => {
    const backend = new Recorder();
    const pipeline = await grownAt150(backend);
    const grown = backend.last;
    await ask(pipeline, upTo(450) + 'le');
    assert.deepEqual(names(backend.last), names(grown), 'the pinned snippets, not this place\'s');
    assert.ok(backend.last.prefix.length < 64 * 4 + 40, `small window at the jump (${backend.last.prefix.length} chars)`);
    assert.ok(backend.last.prefix.endsWith(`const v449 = compute(449);\nle`));
    const small = backend.last.prefix.length;
    await ask(pipeline, upTo(450) + 'let');
    assert.equal(backend.last.prefix.length, small + 1, 'typing there keeps the small window\'s start');
    assert.deepEqual(names(backend.last), names(grown));
  });

  test('a jump to the top of the file, where the whole prefix is small anyway, keeps the pinned snippets too', async () => {
    const backend = new Recorder();
    const pipeline = await grownAt150(backend);
    await ask(pipeline, upTo(2) + 'x');
    assert.deepEqual(names(backend.last), ['near-1.ts']);
  });

  test('an interrupted growth is not adopted: the next keystroke still gets the small prompt', async () => {
    const backend = new Recorder();
    const pipeline = new CompletionPipeline(backend, { context });
    await ask(pipeline, upTo(150) + 'con');
    backend.interruptWarmUps = true;
    await rest(pipeline, upTo(150) + 'con');
    assert.ok(backend.last.warmOnly && backend.last.prefix.length > 600);
    await ask(pipeline, upTo(150) + 'cons');
    assert.ok(backend.last.prefix.length < 64 * 4 + 40, 'still the small window');
  });

  test('listeners hear that the prompt can grow until it is full', async () => {
    const backend = new Recorder();
    const pipeline = new CompletionPipeline(backend, { context });
    let growable = 0;
    pipeline.on('growable', () => growable++);
    await ask(pipeline, upTo(150) + 'con');
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(growable, 1);
    await rest(pipeline, upTo(150) + 'con');
    assert.equal(growable, 2, 'after the window growth the snippets are still to come');
    await rest(pipeline, upTo(150) + 'con');
    assert.equal(growable, 2, 'full: nothing more to grow');
  });

  test('jumpPrefixTokens 0 sends the full prompt at once, as before', async () => {
    const backend = new Recorder();
    const pipeline = new CompletionPipeline(backend, { context, jumpPrefixTokens: 0 });
    await ask(pipeline, upTo(450) + 'le');
    assert.ok(backend.last.prefix.length > 600);
    assert.deepEqual(names(backend.last), ['near-4.ts']);
  });

  test('a backend whose warm-ups reach no cache (Ollama, OpenAI-compatible) gets the full prompt at once: a staged one would never grow', async () => {
    const backend = Object.assign(new Recorder(), { warms: false });
    const pipeline = new CompletionPipeline(backend, { context });
    let growable = 0;
    pipeline.on('growable', () => growable++);
    await ask(pipeline, upTo(450) + 'le');
    assert.ok(backend.last.prefix.length > 600, `the full window (${backend.last.prefix.length} chars)`);
    assert.deepEqual(names(backend.last), ['near-4.ts']);
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(growable, 0, 'no warm-ups asked for');
  });

  test('a server that caches what it was sent, finished or not: an interrupted growth is adopted when sent, so a jump pins the snippets it holds now', async () => {
    const backend = Object.assign(new Recorder(), { warmsBeside: false });
    const pipeline = new CompletionPipeline(backend, { context });
    await ask(pipeline, upTo(150) + 'con');
    await rest(pipeline, upTo(150) + 'con');
    backend.interruptWarmUps = true;
    await rest(pipeline, upTo(150) + 'con');
    assert.deepEqual(names(backend.last), ['near-1.ts'], 'the growth to this place\'s snippets was sent');
    await ask(pipeline, upTo(450) + 'le');
    assert.deepEqual(names(backend.last), ['near-1.ts'], 'the jump pins what the server got last, though the growth never finished');
    assert.ok(backend.last.prefix.length < 64 * 4 + 40);
  });

  test('a backend that reads a whole prompt in well under STAGE_ABOVE_MS gets it whole at a new place; a slow one gets the small one', async () => {
    for (const [msPer500, small] of [[5, false], [2000, true]] as const) {
      const backend = Object.assign(new Recorder(), { promptMs: msPer500 });
      const pipeline = new CompletionPipeline(backend, { context });
      await ask(pipeline, upTo(150) + 'con');
      await ask(pipeline, upTo(450) + 'le');
      assert.equal(backend.last.prefix.length < 64 * 4 + 40, small, `${msPer500} ms per 500 tokens: ${backend.last.prefix.length} chars`);
      assert.deepEqual(names(backend.last), small ? [] : ['near-4.ts']);
    }
  });
});
