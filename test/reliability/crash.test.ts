/**
 * Engine isolation: the engine process is killed in the middle of a generation (SIGKILL, as the
 * out-of-memory killer does; SIGSEGV, as a native crash does; and again and again). This process,
 * the extension host's stand-in, lives on: the pending request resolves empty, the engine comes
 * back by itself with the model, and the next request is answered within 2 s.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { CompletionPipeline } from '../../completion/completionPipeline';
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';
import { ModelSession } from '../../models/engine/modelSession';
import { alive, collectingLog, fimRequest, modelChoice, ms, newClient, report, within } from './support';

/** A generation that runs for seconds on the tiny model: many lines, many tokens. */
const LONG = fimRequest('function table() {\n', '', { singleLine: false, maxTokens: 512, stream: true });
const NEXT_WITHIN_MS = 2000;

/** Engine processes this process has forked and that are still alive. */
function engineChildren(): number[] {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => {
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return ppid === process.pid && fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('engineProcess');
    } catch {
      return false;
    }
  }).map(Number);
}

describe('engine crash in the middle of a generation', () => {
  const log = collectingLog();
  const client = newClient({ log });
  const session = new ModelSession(client);
  const pipeline = new CompletionPipeline(client);
  const settings = { maxTokens: 8, multiline: false, prefixTokens: 768, suffixTokens: 128, deadlineMs: 0 };
  const figures: string[] = [];
  const crashes: string[] = [];
  client.on('crash', (reason: string) => crashes.push(reason));

  before(async () => {
    session.configure(modelChoice(await ensureGeneratedModel('tiny')));
    assert.ok(await session.ensureLoaded());
  });
  after(() => client.stop());

  /** Kills the engine once it has streamed text; returns the timings of what follows. */
  async function crashAndRecover(signal: NodeJS.Signals) {
    const pid = client.pid!;
    // A native crash may dump core: not a 100 MB file in the working tree, please.
    if (signal !== 'SIGKILL') spawnSync('prlimit', [`--pid=${pid}`, '--core=0']);
    let killedAt = 0;
    const pending = client.complete(LONG, new AbortController().signal, () => {
      if (killedAt) return;
      killedAt = performance.now();
      process.kill(pid, signal);
    });
    const result = await within(5000, 'the pending request', pending);
    const resolvedMs = performance.now() - killedAt;
    assert.ok(killedAt > 0, 'the engine was generating when it was killed');
    assert.equal(result, undefined, 'the pending request resolves empty');
    assert.equal(alive(pid), false, 'the engine process is gone');
    // The next keystroke: the provider's path (session, pipeline), at once.
    const asked = performance.now();
    assert.ok(await session.ensureLoaded(), `the model is back: ${session.lastError?.message}`);
    const outcome = await pipeline.complete({ prefix: `const x${crashes.length} = `, suffix: '\n', languageId: 'typescript' }, settings, new AbortController().signal);
    const nextMs = performance.now() - asked;
    assert.ok(outcome.kind === 'completion' || outcome.kind === 'empty', `next request answered (${outcome.kind})`);
    assert.notEqual(client.pid, pid, 'a fresh engine process');
    return { resolvedMs, nextMs, sinceKillMs: performance.now() - killedAt };
  }

  test('SIGKILL (out-of-memory kill): pending resolves empty, next request within 2 s', async (t) => {
    const r = await crashAndRecover('SIGKILL');
    assert.match(crashes.at(-1)!, /SIGKILL/);
    assert.ok(r.nextMs < NEXT_WITHIN_MS, `next request took ${ms(r.nextMs)}`);
    figures.push(`SIGKILL: pending resolved ${ms(r.resolvedMs)} after the kill, next answered in ${ms(r.nextMs)} (${ms(r.sinceKillMs)} after the kill)`);
    t.diagnostic(figures.at(-1)!);
  });

  test('SIGSEGV (native crash): the same', async (t) => {
    const r = await crashAndRecover('SIGSEGV');
    assert.match(crashes.at(-1)!, /SIGSEGV/);
    assert.ok(r.nextMs < NEXT_WITHIN_MS, `next request took ${ms(r.nextMs)}`);
    figures.push(`SIGSEGV: pending ${ms(r.resolvedMs)}, next ${ms(r.nextMs)}`);
    t.diagnostic(figures.at(-1)!);
  });

  test('a restart without a request: the engine is back with its model by itself', async (t) => {
    const pid = client.pid!;
    const killed = performance.now();
    process.kill(pid, 'SIGKILL');
    // No request is made: the engine reloads the model on its own (the next keystroke finds it ready).
    await within(5000, 'the engine back by itself', new Promise<void>((resolve) => {
      const check = () => (client.modelInfo && client.pid !== pid ? resolve() : setTimeout(check, 10));
      check();
    }));
    const readyMs = performance.now() - killed;
    const t0 = performance.now();
    assert.ok(await client.complete(fimRequest('let y = '), new AbortController().signal));
    figures.push(`ready again ${ms(readyMs)} after a kill with no request; then a completion in ${ms(performance.now() - t0)}`);
    t.diagnostic(figures.at(-1)!);
  });

  test('crash after crash: backoff, the host lives on, the next request still works', async (t) => {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) times.push((await crashAndRecover('SIGKILL')).nextMs);
    assert.ok(log.lines.some((l) => /waiting \d+ ms before restarting/.test(l)), 'backoff was applied');
    // A restart and a request both waiting out the backoff once forked two engines, one orphaned.
    assert.deepEqual(engineChildren(), [client.pid], 'exactly one engine process');
    figures.push(`3 more crashes in a row: next request ${times.map(ms).join(', ')} (with backoff)`);
    t.diagnostic(figures.at(-1)!);
    report(t, 'engine-crash', figures.join('; '), { restarts: client.restarts });
  });
});
