/**
 * A hung engine: the engine process is frozen (SIGSTOP, as a native deadlock or a machine swapping
 * to a halt looks from outside) in the middle of a generation. The watchdog notices within its
 * bound, kills it, says why (the 'crash' event the status bar shows, and the log); the pending
 * request resolves empty, and the next completion starts a fresh engine and is answered. And a model
 * too big for this machine's RAM is refused before any engine starts.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { CompletionPipeline } from '../../completion/completionPipeline';
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';
import { EngineError } from '../../models/engine/engineProtocol';
import { ModelSession } from '../../models/engine/modelSession';
import { alive, collectingLog, fimRequest, loadOptions, modelChoice, ms, newClient, report, within } from './support';

/** The bound under test (the setting's default is 20 s; the logic is the same, the wait shorter). */
const BOUND_MS = 3000;
const LONG = fimRequest('function table() {\n', '', { singleLine: false, maxTokens: 512, stream: true });

const log = collectingLog();
const client = newClient({ log, timeoutMs: BOUND_MS });
const session = new ModelSession(client);
const pipeline = new CompletionPipeline(client);
const reasons: string[] = [];
client.on('crash', (reason: string) => reasons.push(reason));

before(async () => {
  session.configure(modelChoice(await ensureGeneratedModel('tiny')));
  assert.ok(await session.ensureLoaded());
});
after(() => client.stop());

test('engine frozen mid-request: killed within the bound, the next completion works', async (t) => {
  const pid = client.pid!;
  let frozenAt = 0;
  const pending = client.complete(LONG, new AbortController().signal, () => {
    if (frozenAt) return;
    frozenAt = performance.now();
    process.kill(pid, 'SIGSTOP');
  });
  const result = await within(BOUND_MS * 3, 'the frozen request', pending);
  const resolvedMs = performance.now() - frozenAt;
  assert.ok(frozenAt > 0, 'the engine was generating when it froze');
  assert.equal(result, undefined, 'the pending request resolves empty');
  assert.ok(resolvedMs < BOUND_MS + 1500, `recovered within the bound: ${ms(resolvedMs)}`);
  assert.equal(alive(pid), false, 'the frozen process was killed');
  // Frozen: the heartbeat or the request's progress, whichever check comes first, is late.
  assert.match(reasons.at(-1) ?? '', /(did not answer a heartbeat|showed no progress) for .*stopped by the watchdog/);
  assert.ok(log.lines.some((l) => /^error engine process \d+ is hung/.test(l)), 'the log says why');
  // Not restarted at once (what hung it may hang it again): the next keystroke starts a fresh one.
  assert.equal(client.pid, undefined);
  const asked = performance.now();
  assert.ok(await session.ensureLoaded(), `the model is back: ${session.lastError?.message}`);
  const outcome = await pipeline.complete({ prefix: 'const answer = ', suffix: '\n', languageId: 'typescript' },
    { maxTokens: 8, multiline: false, prefixTokens: 768, suffixTokens: 128, deadlineMs: 0 }, new AbortController().signal);
  const nextMs = performance.now() - asked;
  assert.ok(outcome.kind === 'completion' || outcome.kind === 'empty', `next request answered (${outcome.kind})`);
  assert.notEqual(client.pid, pid, 'a fresh engine process');
  report(t, 'hung-engine', `SIGSTOP mid-generation, bound ${ms(BOUND_MS)}: killed and the request resolved ${ms(resolvedMs)} after the freeze; ` +
    `next completion (fresh engine, model loaded) in ${ms(nextMs)}`, { boundMs: BOUND_MS, resolvedMs, nextMs });
});

test('a busy engine is not hung: a long generation under the bound passes untouched', async () => {
  const pid = client.pid;
  const result = await client.complete(fimRequest('function table() {\n', '', { singleLine: false, maxTokens: 256 }), new AbortController().signal);
  assert.ok(result, 'completed');
  assert.equal(client.pid, pid, 'same process');
});

test('a model bigger than RAM is refused before any engine starts, with the numbers', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lcc-too-big-'));
  const file = path.join(dir, 'huge.gguf');
  try {
    fs.copyFileSync(await ensureGeneratedModel('tiny'), file);
    fs.truncateSync(file, 2 * os.totalmem()); // sparse: no disk used
    const fresh = newClient();
    const err = await fresh.load(loadOptions(file, { gpu: 'off' })).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof EngineError && err.code === 'model-too-big', String(err));
    assert.match(err.message, /needs about [\d.]+ GB of memory .* this machine has [\d.]+ GB of RAM/);
    assert.equal(fresh.pid, undefined, 'no engine process was started');
    report(t, 'too-big', err.message.slice(0, 160));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
