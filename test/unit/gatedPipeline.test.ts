/**
 * The confidence gate inside the pipeline: a hidden suggestion is remembered as nothing (no new
 * engine call at that place), a cut one is remembered cut and can be typed through, and an
 * explicit request returns the distinct alternatives, gated and post-processed like the first.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CompletionPipeline, type FimBackend, type PipelineOutcome, type PipelineSettings } from '../../completion/completionPipeline';
import type { FimRequest, FimResult, TokenTrace } from '../../models/engine/engineProtocol';

type Piece = [string, number];
const traced = (pieces: Piece[]): { text: string; tokens: TokenTrace } => {
  let text = '';
  const ends: number[] = [];
  for (const [p] of pieces) { text += p; ends.push(text.length); }
  return { text, tokens: { probs: pieces.map(([, q]) => q), ends } };
};

class TracedBackend implements FimBackend {
  requests: FimRequest[] = [];
  constructor(private readonly answer: Piece[], private readonly others: Piece[][] = []) {}
  async complete(request: FimRequest): Promise<FimResult> {
    this.requests.push(request);
    const main = traced(this.answer);
    const alternatives = (request.alternatives ?? 1) > 1 ? this.others.map(traced) : undefined;
    return { ...main, alternatives, stats: { promptTokens: 10, evaluatedTokens: 10, generatedTokens: this.answer.length, promptMs: 1, generateMs: 1,
      totalMs: 2, aborted: false, stopReason: 'eog', speculativeAccepted: 0, speculativeProposed: 0 } };
  }
}

const gate = { show: 0.3, cut: 0.15 };
const settings: PipelineSettings = { maxTokens: 32, multiline: false, prefixTokens: 256, suffixTokens: 64, confidence: gate };
const input = (prefix: string, suffix = '\n') => ({ prefix, suffix, languageId: 'typescript' });
const signal = () => new AbortController().signal;
const textOf = (o: PipelineOutcome) => (o.kind === 'completion' ? o.completion.text : `<${o.kind}>`);
const sourceOf = (o: PipelineOutcome) => (o.kind === 'completion' ? o.completion.source : o.kind);
const settle = () => new Promise((r) => setTimeout(r, 5));

describe('confidence gate in the pipeline', () => {
  test('an unsure suggestion is not shown, and the place is not asked again', async () => {
    const backend = new TracedBackend([['total', 0.1], [';', 0.2]]);
    const pipeline = new CompletionPipeline(backend);
    assert.equal(textOf(await pipeline.complete(input('return '), settings, signal())), '<empty>');
    await settle();
    assert.equal(textOf(await pipeline.complete(input('return '), settings, signal())), '<empty>');
    assert.equal(backend.requests.length, 1);
    const ungated = await new CompletionPipeline(backend).complete(input('return '), { ...settings, confidence: undefined }, signal());
    assert.equal(textOf(ungated), 'total;');
  });
  test('a cut suggestion is remembered cut, and typing through it works', async () => {
    const backend = new TracedBackend([['items', 0.9], ['.', 0.9], ['map', 0.8], ['(', 0.9], ['x', 0.05], [')', 0.9]]);
    const pipeline = new CompletionPipeline(backend);
    const cutOnly = { ...settings, confidence: { show: 0.01, cut: 0.1 } };
    assert.equal(textOf(await pipeline.complete(input('return '), cutOnly, signal())), 'items.map');
    await settle();
    const through = await pipeline.complete(input('return item'), cutOnly, signal());
    assert.deepEqual([textOf(through), sourceOf(through)], ['s.map', 'typing-through']);
    assert.equal(backend.requests.length, 1);
  });
  test('an explicit request asks for alternatives and returns the distinct ones after the gate', async () => {
    const backend = new TracedBackend([['a', 0.9], [' + b', 0.9]], [[['a', 0.5], [' + b', 0.9]], [['b', 0.4], [' * 2', 0.9]], [['c', 0.01]]]);
    const out = await new CompletionPipeline(backend).complete(input('return '), { ...settings, alternatives: 3 }, signal());
    assert.equal(backend.requests[0].alternatives, 3);
    assert.equal(out.kind, 'completion');
    if (out.kind === 'completion') assert.deepEqual([out.completion.text, ...out.completion.alternatives ?? []], ['a + b', 'b * 2']);
    const automatic = await new CompletionPipeline(backend).complete(input('return '), settings, signal());
    assert.equal(backend.requests[1].alternatives, undefined, 'automatic requests stay single');
    assert.equal(automatic.kind === 'completion' && automatic.completion.alternatives, undefined);
  });
});
