/**
 * Threads change at run time on the real node-llama-cpp (models/engine/threadGovernor.ts): the
 * context is made for the most threads and `llama.maxThreads` lowers it between evaluations. The
 * policies here decide regardless of timings, so that the test checks the mechanism, not the load.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FimEngine } from '../../models/engine/fimEngine';
import type { FimRequest } from '../../models/engine/engineProtocol';
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';
import { DEFAULT_THREAD_POLICY } from '../../models/engine/threadGovernor';

const request = (prefix: string): FimRequest =>
  ({ prefix, suffix: '\n}\n', maxPrefixTokens: 256, maxSuffixTokens: 32, maxTokens: 6, singleLine: false });
const signal = () => new AbortController().signal;

describe('threads switched at run time', () => {
  test('a probe that is kept moves the model to 2 threads; one that is not moves it back to 1', async () => {
    const tiny = await ensureGeneratedModel('tiny');
    for (const keep of [true, false]) {
      const logs: string[] = [];
      const engine = new FimEngine((_l, m) => logs.push(m), { ...DEFAULT_THREAD_POLICY, probeEvery: 2, minGain: keep ? 0 : Infinity, fallback: Infinity, collapse: Infinity, looksBusy: () => false });
      try {
        const info = await engine.load({ modelPath: tiny, contextSize: 512, threads: 1, maxThreads: 2, gpu: 'off', speculation: 'off' });
        assert.equal(info.threads, 1);
        assert.equal(info.maxThreads, 2);
        const first = await engine.complete(request('function a() {\n  return '), signal());
        assert.equal(first.stats.threads, 1);
        assert.equal(engine.nativeThreads, 1, 'llama.cpp ran the first request with 1 thread');
        let during: number | undefined;
        const probe = await engine.complete({ ...request('function b() {\n  return '), stream: true }, signal(), () => { during ??= engine.nativeThreads; });
        assert.equal(during, 2, 'the probe request ran with 2 threads');
        assert.equal(probe.stats.threads, 2);
        assert.ok(logs.some((m) => m.includes('threads 1 -> 2')), logs.join('\n'));
        const after = await engine.complete(request('function c() {\n  return '), signal());
        assert.equal(after.stats.threads, keep ? 2 : 1);
        assert.equal(engine.nativeThreads, keep ? 2 : 1);
      } finally {
        await engine.unload();
      }
    }
  });

  test('a set thread count (or a one-core machine) never changes', async () => {
    const tiny = await ensureGeneratedModel('tiny');
    const engine = new FimEngine(() => undefined, { ...DEFAULT_THREAD_POLICY, probeEvery: 1, minGain: 0 });
    try {
      await engine.load({ modelPath: tiny, contextSize: 512, threads: 1, maxThreads: 1, gpu: 'off', speculation: 'off' });
      for (const p of ['a', 'b', 'c']) assert.equal((await engine.complete(request(`let ${p} = `), signal())).stats.threads, 1);
      assert.equal(engine.nativeThreads, 1);
    } finally {
      await engine.unload();
    }
  });
});
