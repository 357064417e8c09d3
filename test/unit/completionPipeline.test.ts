import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CompletionPipeline, type FimBackend, type PipelineOutcome, type PipelineSettings } from '../../completion/completionPipeline';
import type { FimRequest, FimResult } from '../../models/engine/engineProtocol';
import { healTrace, trailingBlank } from '../../completion/spaceHealing';

const settings: PipelineSettings = { maxTokens: 32, multiline: false, prefixTokens: 256, suffixTokens: 64 };

/**
 * A backend that "generates" answer(request) a few characters per tick, streams progress like the
 * engine, honours abort, and records every request.
 */
class FakeBackend implements FimBackend {
  requests: FimRequest[] = [];
  aborted = 0;
  constructor(private readonly answer: (r: FimRequest) => string, private readonly msPerStep = 0, private readonly charsPerStep = 1000) {}
  async complete(request: FimRequest, signal: AbortSignal, onText?: (text: string) => void): Promise<FimResult | undefined> {
    this.requests.push(request);
    const full = request.warmOnly ? '' : this.answer(request);
    let text = '';
    while (text.length < full.length) {
      if (this.msPerStep) await new Promise((r) => setTimeout(r, this.msPerStep));
      if (signal.aborted) { this.aborted++; return undefined; }
      text = full.slice(0, text.length + this.charsPerStep);
      onText?.(text);
    }
    return { text, stats: { promptTokens: 10, evaluatedTokens: 10, generatedTokens: 3, promptMs: 1, generateMs: 1, totalMs: 2,
      aborted: false, stopReason: request.warmOnly ? 'warm' : 'eog', speculativeAccepted: 0, speculativeProposed: 0 } };
  }
}

const input = (prefix: string, suffix = '') => ({ prefix, suffix, languageId: 'typescript' });
const signal = () => new AbortController().signal;
const textOf = (o: PipelineOutcome) => (o.kind === 'completion' ? o.completion.text : `<${o.kind}>`);
const sourceOf = (o: PipelineOutcome) => (o.kind === 'completion' ? o.completion.source : o.kind);
const settle = () => new Promise((r) => setTimeout(r, 5));
/** answerNow at this prefix, polled until the running job has written past it (not timed: load cannot break it). */
async function answeredNow(pipeline: CompletionPipeline, prefix: string): Promise<PipelineOutcome | undefined> {
  let out = pipeline.answerNow(input(prefix), settings);
  for (let i = 0; !out && i < 400; i++) {
    await new Promise((r) => setTimeout(r, 5));
    out = pipeline.answerNow(input(prefix), settings);
  }
  return out;
}

describe('completion pipeline', () => {
  test('returns the post-processed engine text', async () => {
    const backend = new FakeBackend(() => 'a + b;\n}\n');
    const out = await new CompletionPipeline(backend).complete(input('return '), settings, signal());
    assert.equal(textOf(out), 'a + b;');
    assert.equal(sourceOf(out), 'engine');
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
    assert.ok(r.maxPrefixTokens >= 256 && r.maxPrefixTokens <= 256 * 1.5, 'room for a window held in place');
    assert.equal(r.maxSuffixTokens, 64);
  });
  test('the same place again is served from memory without the engine', async () => {
    const backend = new FakeBackend(() => 'value;');
    const pipeline = new CompletionPipeline(backend);
    await pipeline.complete(input('const x = '), settings, signal());
    await settle();
    const again = await pipeline.complete(input('const x = '), settings, signal());
    assert.equal(backend.requests.length, 1);
    assert.equal(sourceOf(again), 'memory');
  });
  test('typing through a suggestion serves the rest of it; backspace brings it back', async () => {
    const backend = new FakeBackend(() => 'computeTotal(items);');
    const pipeline = new CompletionPipeline(backend);
    assert.equal(textOf(await pipeline.complete(input('const total = '), settings, signal())), 'computeTotal(items);');
    await settle();
    const typed = await pipeline.complete(input('const total = comp'), settings, signal());
    assert.equal(textOf(typed), 'uteTotal(items);');
    assert.equal(sourceOf(typed), 'typing-through');
    const back = await pipeline.complete(input('const total = '), settings, signal());
    assert.equal(textOf(back), 'computeTotal(items);');
    assert.equal(backend.requests.length, 1, 'no engine call after the first');
  });
  test('typing something else asks the engine again', async () => {
    const backend = new FakeBackend((r) => (r.prefix.endsWith('x') ? 'yz;' : 'abc;'));
    const pipeline = new CompletionPipeline(backend);
    await pipeline.complete(input('let v = '), settings, signal());
    await settle();
    assert.equal(textOf(await pipeline.complete(input('let v = x'), settings, signal())), 'yz;');
    assert.equal(backend.requests.length, 2);
  });
  test('an empty answer is remembered too', async () => {
    const backend = new FakeBackend(() => '   ');
    const pipeline = new CompletionPipeline(backend);
    assert.equal((await pipeline.complete(input('x = '), settings, signal())).kind, 'empty');
    await settle();
    assert.equal((await pipeline.complete(input('x = '), settings, signal())).kind, 'empty');
    assert.equal(backend.requests.length, 1);
  });
  test('a compatible keystroke reuses the running generation: what it wrote past the typed text at once, the rest when done', async () => {
    const backend = new FakeBackend(() => 'hello(world);', 5, 2);
    const pipeline = new CompletionPipeline(backend);
    const first = new AbortController();
    const p1 = pipeline.complete(input('call('), settings, first.signal);
    await new Promise((r) => setTimeout(r, 12)); // a few characters generated
    first.abort(); // VS Code cancels the request on the next keystroke...
    assert.equal((await p1).kind, 'cancelled');
    const settled = new Promise((r) => pipeline.once('settled', r));
    const out = await pipeline.complete(input('call(he'), settings, signal()); // ...which types "he"
    assert.equal(sourceOf(out), 'reused-job');
    assert.ok(textOf(out) && 'llo(world);'.startsWith(textOf(out)!), `a start of the rest, got ${JSON.stringify(textOf(out))}`);
    await settled;
    const again = await pipeline.complete(input('call(he'), settings, signal());
    assert.equal(textOf(again), 'llo(world);');
    assert.equal(backend.requests.length, 1);
    assert.equal(backend.aborted, 0);
  });
  test('answerNow serves memory and a running job without new engine work, and nothing else', async () => {
    const backend = new FakeBackend(() => 'hello(world);', 20, 2);
    const pipeline = new CompletionPipeline(backend);
    assert.equal(pipeline.answerNow(input('call('), settings), undefined, 'nothing known yet');
    assert.equal(backend.requests.length, 0, 'answerNow never starts the engine');
    const running = pipeline.complete(input('call('), settings, signal());
    // Once the job has written past "he" (a few steps; polled, not timed, so load cannot break it).
    const partial = await answeredNow(pipeline, 'call(he');
    assert.equal(partial && sourceOf(partial), 'reused-job');
    assert.ok(partial && 'llo(world);'.startsWith(textOf(partial)));
    assert.equal(textOf(await running), 'hello(world);');
    const typed = pipeline.answerNow(input('call(hel'), settings);
    assert.equal(typed && textOf(typed), 'lo(world);');
    assert.equal(typed && sourceOf(typed), 'typing-through');
    assert.equal(pipeline.answerNow(input('call(x'), settings), undefined, 'an incompatible keystroke needs the engine');
    assert.equal(backend.requests.length, 1);
  });
  test('a running job\'s text shown at once is partial; once settled, memory recalls the rest there', async () => {
    const backend = new FakeBackend(() => ' sum(values) / len(values)', 10, 2);
    const pipeline = new CompletionPipeline(backend);
    const running = pipeline.complete(input('    return'), settings, signal());
    const partial = await answeredNow(pipeline, '    return ');
    assert.ok(partial?.kind === 'completion' && partial.completion.partial, 'the editor must ask again when it settles');
    assert.equal(pipeline.recalled(input('    return '), settings), undefined, 'nothing settled yet');
    const done = await running;
    assert.ok(done.kind === 'completion' && !done.completion.partial);
    await settle();
    const recalled = pipeline.recalled(input('    return '), settings);
    assert.equal(recalled && textOf(recalled), 'sum(values) / len(values)', 'typed on through the settled text');
    assert.equal(pipeline.recalled(input('    return x'), settings), undefined);
    assert.equal(backend.requests.length, 1, 'recalled never starts the engine');
  });
  test('a compatible keystroke before the job wrote anything waits for it', async () => {
    const backend = new FakeBackend(() => 'hello(world);', 150, 4); // first text after 150 ms
    const pipeline = new CompletionPipeline(backend);
    const first = new AbortController();
    const p1 = pipeline.complete(input('call('), settings, first.signal);
    await new Promise((r) => setTimeout(r, 5));
    first.abort();
    await p1;
    const out = await pipeline.complete(input('call(h'), settings, signal());
    assert.equal(sourceOf(out), 'reused-job');
    assert.equal(textOf(out), 'ello(world);');
    assert.equal(backend.requests.length, 1);
  });
  test('an incompatible keystroke aborts the running generation (no queue)', async () => {
    const backend = new FakeBackend((r) => (r.prefix.endsWith('q') ? 'q2;' : 'hello(world);'), 5, 1);
    const pipeline = new CompletionPipeline(backend);
    const first = new AbortController();
    const p1 = pipeline.complete(input('call('), settings, first.signal);
    await new Promise((r) => setTimeout(r, 8));
    first.abort();
    await p1;
    assert.equal(textOf(await pipeline.complete(input('call(q'), settings, signal())), 'q2;');
    assert.equal(backend.aborted, 1);
  });
  test('answerNow stops a running job that cannot serve the new place, before the debounce', async () => {
    const backend = new FakeBackend(() => 'hello(world);', 20, 1);
    const pipeline = new CompletionPipeline(backend);
    const running = pipeline.complete(input('call('), settings, signal());
    // Once it has written past "h": a compatible keystroke keeps it running.
    const partial = await answeredNow(pipeline, 'call(h');
    assert.equal(partial && sourceOf(partial), 'reused-job');
    assert.equal(backend.aborted, 0, 'a compatible job keeps running');
    assert.equal(pipeline.answerNow(input('call(x'), settings), undefined);
    assert.equal(textOf(await running), '<cancelled>');
    assert.equal(backend.aborted, 1, 'the incompatible keystroke stopped it without a new request');
    assert.equal(backend.requests.length, 1);
  });
  test('the deadline shows what is ready; the rest lands in memory', async () => {
    const backend = new FakeBackend(() => 'alpha beta gamma delta;', 10, 3);
    const pipeline = new CompletionPipeline(backend);
    const settled = new Promise((r) => pipeline.once('settled', r));
    const early = await pipeline.complete(input('words = '), { ...settings, deadlineMs: 35 }, signal());
    assert.equal(sourceOf(early), 'deadline');
    assert.ok(textOf(early).length > 0 && 'alpha beta gamma delta;'.startsWith(textOf(early)), textOf(early));
    await settled;
    assert.equal(textOf(await pipeline.complete(input('words = '), settings, signal())), 'alpha beta gamma delta;');
    assert.equal(backend.requests.length, 1);
  });
  test('prefetch computes the next place before it is asked for', async () => {
    const backend = new FakeBackend(() => 'next();');
    const pipeline = new CompletionPipeline(backend);
    pipeline.prefetch(input('done();\n'), settings);
    await settle();
    const out = await pipeline.complete(input('done();\n'), settings, signal());
    assert.equal(sourceOf(out), 'memory');
    assert.equal(textOf(out), 'next();');
  });
  test('warm-up sends a prompt-only request and stays out of the way', async () => {
    const backend = new FakeBackend(() => 'w();', 5);
    const pipeline = new CompletionPipeline(backend);
    pipeline.warm(input('idle = '), settings);
    assert.equal(backend.requests[0].warmOnly, true);
    const out = await pipeline.complete(input('idle = '), settings, signal());
    assert.equal(textOf(out), 'w();');
    assert.equal(backend.requests.length, 2, 'a warm-up is never mistaken for a completion');
  });
  test('the prefix window start holds while typing (the engine keeps its KV cache)', async () => {
    const backend = new FakeBackend(() => 'x;');
    const pipeline = new CompletionPipeline(backend);
    let prefix = 'let value = compute(1, 2, 3);\n'.repeat(400);
    for (const ch of 'const total = sum(values);\n'.repeat(6)) {
      prefix += ch;
      await pipeline.complete(input(prefix), settings, new AbortController().signal);
    }
    const starts = new Set(backend.requests.map((r) => r.prefix.slice(0, 60)));
    assert.ok(backend.requests.length > 100);
    assert.ok(starts.size <= 3, `${starts.size} different window starts`);
  });
  test('the naive baseline evaluates the whole prompt afresh', async () => {
    const backend = new FakeBackend(() => 'x;');
    await new CompletionPipeline(backend, { naive: true }).complete(input('a = '), settings, signal());
    assert.equal(backend.requests[0].freshPrompt, true);
  });
  test('the naive pipeline asks the engine every time and aborts on cancel', async () => {
    const backend = new FakeBackend(() => 'v;', 5);
    const pipeline = new CompletionPipeline(backend, { naive: true });
    await pipeline.complete(input('n = '), settings, signal());
    await pipeline.complete(input('n = '), settings, signal());
    const c = new AbortController();
    const p = pipeline.complete(input('n = '), settings, c.signal);
    c.abort();
    assert.equal((await p).kind, 'cancelled');
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(backend.requests.length, 3);
    assert.equal(backend.aborted, 1);
  });
  test('skips mid-word positions without asking the engine', async () => {
    const backend = new FakeBackend(() => 'x');
    const out = await new CompletionPipeline(backend).complete(input('cons', 'ole.log(1);'), settings, signal());
    assert.deepEqual(out, { kind: 'skipped', reason: 'mid-word' });
    assert.equal(backend.requests.length, 0);
  });
  test('removes the repeated closing text after the cursor', async () => {
    const backend = new FakeBackend(() => '1, 2)');
    const out = await new CompletionPipeline(backend).complete(input('sum(', ');\n'), settings, signal());
    assert.equal(textOf(out), '1, 2');
  });
});

describe('a blank typed after text is left out of the prompt (spaceHealing.ts)', () => {
  test('the model is asked at `return`, writes ` total;`, and the editor gets `total;`', async () => {
    const backend = new FakeBackend((r) => (r.prefix.endsWith('return') ? ' total;' : 'WRONG'));
    const out = await new CompletionPipeline(backend).complete(input('  return '), settings, signal());
    assert.equal(backend.requests[0].prefix.endsWith('return'), true);
    assert.equal(textOf(out), 'total;');
  });
  test('text without the blank is kept, and a prompt ending in indentation is sent as it is', async () => {
    const backend = new FakeBackend(() => ';');
    assert.equal(textOf(await new CompletionPipeline(backend).complete(input('x = a '), settings, signal())), ';');
    const indent = new FakeBackend(() => 'return 1;');
    await new CompletionPipeline(indent).complete(input('function f() {\n  '), settings, signal());
    assert.equal(indent.requests[0].prefix.endsWith('{\n  '), true);
  });
  test('typing the next character goes on from the healed job', async () => {
    const backend = new FakeBackend(() => ' total;', 5, 1);
    const pipeline = new CompletionPipeline(backend);
    const first = pipeline.complete(input('  return '), settings, signal());
    await new Promise((r) => setTimeout(r, 12));
    const second = await pipeline.complete(input('  return t'), settings, signal());
    await first;
    assert.equal(textOf(second), 'otal;');
    assert.equal(backend.requests.length, 1, 'one engine request served both keystrokes');
  });
});

test('trailingBlank and healTrace', () => {
  assert.equal(trailingBlank('return '), ' ');
  assert.equal(trailingBlank('a\t'), '\t');
  assert.equal(trailingBlank('  '), '');
  assert.equal(trailingBlank('a  '), '');
  assert.deepEqual(healTrace({ probs: [0.9, 0.8], ends: [6, 7] }, ' total;', ' '), { probs: [0.9, 0.8], ends: [5, 6] });
  assert.deepEqual(healTrace({ probs: [0.9], ends: [1] }, ';', ' '), { probs: [0.9], ends: [1] });
});
