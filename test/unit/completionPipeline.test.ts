import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CompletionPipeline, type FimBackend, type PipelineSettings } from '../../completion/completionPipeline';
import type { FimRequest, FimResult } from '../../models/engineProtocol';

const settings: PipelineSettings = { maxTokens: 32, multiline: false, prefixTokens: 256, suffixTokens: 64 };

/** A backend that answers from a function and records what it was asked. */
class FakeBackend implements FimBackend {
  requests: FimRequest[] = [];
  constructor(private readonly answer: (r: FimRequest) => string | undefined) {}
  async complete(request: FimRequest, signal: AbortSignal): Promise<FimResult | undefined> {
    this.requests.push(request);
    if (signal.aborted) return undefined;
    const text = this.answer(request);
    if (text === undefined) return undefined;
    return { text, stats: { promptTokens: 10, evaluatedTokens: 10, generatedTokens: 3, promptMs: 1, generateMs: 1, totalMs: 2, aborted: false, stopReason: 'eog' } };
  }
}

const input = (prefix: string, suffix = '') => ({ prefix, suffix, languageId: 'typescript' });
const signal = () => new AbortController().signal;

describe('completion pipeline', () => {
  test('returns the post-processed engine text', async () => {
    const backend = new FakeBackend(() => 'a + b;\n}\n');
    const out = await new CompletionPipeline(backend).complete(input('return '), settings, signal());
    assert.equal(out.kind, 'completion');
    assert.equal(out.kind === 'completion' && out.completion.text, 'a + b;');
    assert.equal(backend.requests[0].singleLine, true);
    assert.equal(backend.requests[0].maxTokens, 32);
  });
  test('passes windows within the budgets and the exact caps to the engine', async () => {
    const backend = new FakeBackend(() => 'x');
    const prefix = 'line();\n'.repeat(5000);
    await new CompletionPipeline(backend).complete(input(prefix, '\nafter();'.repeat(5000)), settings, signal());
    const r = backend.requests[0];
    assert.ok(r.prefix.length < prefix.length && r.prefix.length <= 256 * 3.5);
    assert.ok(r.suffix.length <= 64 * 3.5);
    assert.equal(r.maxPrefixTokens, 256);
    assert.equal(r.maxSuffixTokens, 64);
  });
  test('serves a repeated request from the cache without the engine', async () => {
    const backend = new FakeBackend(() => 'value;');
    const pipeline = new CompletionPipeline(backend);
    await pipeline.complete(input('const x = '), settings, signal());
    const again = await pipeline.complete(input('const x = '), settings, signal());
    assert.equal(backend.requests.length, 1);
    assert.equal(again.kind === 'completion' && again.completion.fromCache, true);
  });
  test('an empty engine answer is empty, and cached as such', async () => {
    const backend = new FakeBackend(() => '   ');
    const pipeline = new CompletionPipeline(backend);
    assert.equal((await pipeline.complete(input('x = '), settings, signal())).kind, 'empty');
    assert.equal((await pipeline.complete(input('x = '), settings, signal())).kind, 'empty');
    assert.equal(backend.requests.length, 1);
  });
  test('a cancelled request reports cancelled and caches nothing', async () => {
    const backend = new FakeBackend(() => 'late');
    const pipeline = new CompletionPipeline(backend);
    const controller = new AbortController();
    controller.abort();
    assert.equal((await pipeline.complete(input('y = '), settings, controller.signal)).kind, 'cancelled');
    assert.equal((await pipeline.complete(input('y = '), settings, signal())).kind, 'completion');
    assert.equal(backend.requests.length, 2);
  });
  test('skips mid-word positions without asking the engine', async () => {
    const backend = new FakeBackend(() => 'x');
    const out = await new CompletionPipeline(backend).complete(input('cons', 'ole.log(1);'), settings, signal());
    assert.deepEqual(out, { kind: 'skipped', reason: 'mid-word' });
    assert.equal(backend.requests.length, 0);
  });
  test('removes the repeated closing text after the cursor', async () => {
    const backend = new FakeBackend(() => '1, 2)');
    const out = await new CompletionPipeline(backend).complete(input('sum('), { ...settings }, signal());
    assert.equal(out.kind, 'completion');
    const withSuffix = await new CompletionPipeline(backend).complete(input('sum(', ');\n'), settings, signal());
    assert.equal(withSuffix.kind === 'completion' && withSuffix.completion.text, '1, 2');
  });
});
