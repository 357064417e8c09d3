import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CompletionPipeline, type FimBackend, type PipelineSettings } from '../../completion/completionPipeline';
import type { FimRequest, FimResult } from '../../models/engine/engineProtocol';

// The prompt the pipeline asks for: anchored layout, small first prompt at a new place, busy flag.
const settings: PipelineSettings = { maxTokens: 16, multiline: false, prefixTokens: 256, suffixTokens: 32 };
const file = Array.from({ length: 300 }, (_, i) => `const v${i} = compute(${i});`).join('\n') + '\n';
const stats = { promptTokens: 1, evaluatedTokens: 1, generatedTokens: 1, promptMs: 0, generateMs: 0, totalMs: 0, aborted: false, speculativeAccepted: 0, speculativeProposed: 0 };

class Recorder implements FimBackend {
  requests: FimRequest[] = [];
  release?: () => void;
  constructor(private readonly hold = false) {}
  async complete(request: FimRequest): Promise<FimResult> {
    this.requests.push(request);
    if (this.hold) await new Promise<void>((r) => { this.release = r; });
    // As the engine: a warm-up that evaluated its whole prompt ends with 'warm'.
    return { text: 'x', stats: { ...stats, stopReason: request.warmOnly ? 'warm' : 'eog' } };
  }
}
const at = (prefix: string) => ({ prefix, suffix: '\nmore();\n', languageId: 'typescript', uri: 'file:///a.ts' });

describe('the prompt the pipeline asks for', () => {
  test('anchored by default: the text typed on the line is the request anchor, the prefix window stays', async () => {
    const backend = new Recorder();
    const pipeline = new CompletionPipeline(backend);
    for (const typed of ['con', 'cons', 'const y']) await pipeline.complete(at(file + typed), settings, new AbortController().signal);
    assert.deepEqual(backend.requests.map((r) => r.anchor), [3, 4, 7]);
    const heads = backend.requests.map((r) => r.prefix.slice(0, r.prefix.length - (r.anchor ?? 0)));
    assert.equal(new Set(heads).size, 1, 'the part before the anchor is the same for every keystroke');
  });
  test('the classic layout sends no anchor', async () => {
    const backend = new Recorder();
    await new CompletionPipeline(backend, { layout: 'classic' }).complete(at(file + 'con'), settings, new AbortController().signal);
    assert.equal(backend.requests[0].anchor, undefined);
  });
  test('a small first prompt at a new place, grown to the full window by a warm-up', async () => {
    const backend = new Recorder();
    const pipeline = new CompletionPipeline(backend, { jumpPrefixTokens: 64 });
    await pipeline.complete(at(file + 'con'), settings, new AbortController().signal);
    const first = backend.requests[0].prefix.length;
    assert.ok(first < 64 * 4 + 40, `first window ${first} chars`);
    await pipeline.complete(at(file + 'cons'), settings, new AbortController().signal);
    assert.equal(backend.requests[1].prefix.length, first + 1, 'typing keeps the small window start');
    pipeline.warm(at(file + 'cons'), settings);
    await new Promise((r) => setTimeout(r, 5));
    assert.ok(backend.requests[2].warmOnly && backend.requests[2].prefix.length > 600, 'the warm-up asks for the full window');
    await pipeline.complete(at(file + 'const'), settings, new AbortController().signal);
    assert.equal(backend.requests[3].prefix.length, backend.requests[2].prefix.length + 1, 'and later keystrokes keep it');
  });
  test('busy while a generation runs for someone, not after it', async () => {
    const backend = new Recorder(true);
    const pipeline = new CompletionPipeline(backend);
    assert.equal(pipeline.busy, false);
    const done = pipeline.complete(at(file + 'c'), settings, new AbortController().signal);
    await new Promise((r) => setTimeout(r, 1));
    assert.equal(pipeline.busy, true);
    backend.release!();
    await done;
    assert.equal(pipeline.busy, false);
  });
});
