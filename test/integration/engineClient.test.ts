/**
 * The engine process from the host's side: the typed protocol over a real fork, lazy loading,
 * error codes crossing the process boundary, crash recovery and the idle stop.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EngineClient, type EngineLog } from '../../models/engine/engineClient';
import { EngineError, type FimRequest, type LoadOptions } from '../../models/engine/engineProtocol';
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';
import { chooseThreads } from '../../models/engine/threads';

const enginePath = path.join(__dirname, '..', '..', 'models', 'engine', 'engineProcess.js');
const logged: string[] = [];
const log: EngineLog = {
  trace: (m) => logged.push(m), debug: (m) => logged.push(m), info: (m) => logged.push(m),
  warn: (m) => logged.push(m), error: (m) => logged.push(m),
};
// The extension's thread count: two threads on two busy cores make every timing here a lottery.
const options = (modelPath: string): LoadOptions => ({ modelPath, contextSize: 2048, threads: chooseThreads(0), gpu: 'off' });
const request = (prefix: string): FimRequest =>
  ({ prefix, suffix: '\n', maxPrefixTokens: 3000, maxSuffixTokens: 64, maxTokens: 8, singleLine: true });

describe('engine client over a forked engine process', () => {
  let tiny: string;
  const client = new EngineClient({ enginePath, log });
  before(async () => { tiny = await ensureGeneratedModel('tiny'); });
  after(() => client.stop());

  test('starts lazily, loads, and completes through the protocol', async () => {
    assert.equal(client.state, 'stopped');
    assert.equal(client.pid, undefined);
    const states: string[] = [];
    client.on('state', (s) => states.push(s));
    const info = await client.load(options(tiny));
    assert.equal(info.path, tiny);
    assert.ok(client.pid && client.pid !== process.pid, 'runs in its own process');
    const result = await client.complete(request('const total = '), new AbortController().signal);
    assert.ok(result, 'a result');
    assert.ok(result.stats.promptTokens > 3);
    assert.deepEqual(states.slice(0, 3), ['starting', 'loading', 'ready']);
    assert.ok(states.includes('generating'));
  });

  test('the same configuration is not loaded twice', async () => {
    const pid = client.pid;
    const a = await client.load(options(tiny));
    assert.equal(client.pid, pid);
    assert.equal((await client.load(options(tiny))).loadMs, a.loadMs);
  });

  test('a bad model file fails with its code and message, and the engine keeps running', async () => {
    await assert.rejects(client.load(options('/nonexistent/model.gguf')), (err: unknown) =>
      err instanceof EngineError && err.code === 'model-missing' && err.message.includes('/nonexistent/model.gguf'));
    assert.ok(client.pid);
    await client.load(options(tiny));
    assert.ok(await client.complete(request('let y = '), new AbortController().signal));
  });
});

describe('crash recovery', () => {
  const client = new EngineClient({ enginePath, log });
  after(() => client.stop());

  test('killing the engine mid-request resolves the request empty; the next request works', async () => {
    const big = await ensureGeneratedModel('qwen05b-shape');
    await client.load(options(big));
    const pid = client.pid!;
    const crashes: string[] = [];
    client.on('crash', (reason: string) => crashes.push(reason));
    const prefix = Array.from({ length: 150 }, (_, i) => `let item${i} = list[${i}] ?? fallback;`).join('\n');
    const pending = client.complete(request(prefix), new AbortController().signal);
    setTimeout(() => process.kill(pid, 'SIGKILL'), 200);
    assert.equal(await pending, undefined);
    assert.equal(crashes.length, 1);
    assert.match(crashes[0], /SIGKILL/);
    assert.equal(client.restarts, 1);
    const tiny = await ensureGeneratedModel('tiny');
    const started = performance.now();
    await client.load(options(tiny));
    const result = await client.complete(request('let z = '), new AbortController().signal);
    const recoveryMs = performance.now() - started;
    assert.ok(result);
    assert.notEqual(client.pid, pid);
    // Recovery time is a figure, not a pass/fail line (it depends on machine load): bench territory.
    console.log(`# crash recovery: next completion ${Math.round(recoveryMs)} ms after the crash`);
  });
});

describe('idle stop', () => {
  test('the engine process stops after the idle time and frees its memory', async () => {
    const client = new EngineClient({ enginePath, log, idleStopMs: 400 });
    await client.load(options(await ensureGeneratedModel('tiny')));
    await client.complete(request('a = '), new AbortController().signal);
    const pid = client.pid!;
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(client.state, 'stopped');
    assert.equal(client.pid, undefined);
    assert.throws(() => process.kill(pid, 0), 'the process is gone');
  });
});
