/**
 * In-host test suite: runs INSIDE a real VS Code extension host (the `extensionTestsPath` model),
 * started either by test/e2e/inHost.ts (code-server + smoke-test driver payload) or by
 * test/electron/runTests.ts (@vscode/test-electron). Plain node:assert, a tiny sequential runner.
 *
 * It needs the user setting `localCompletion.modelPath` to point at the tiny test model
 * (E2E_MODEL in the extension host's environment overrides it).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { evaluationTests } from './evaluation';
import { DEACTIVATION_TEST, reliabilityTests } from './reliability';
import { EXTENSION_ID, out, sleep, snapshot, waitFor, type Snapshot } from './reliabilityKit';

/** Runs a command that might wait on UI (a notification): never wait for it longer than `ms`. */
async function commandWithin(ms: number, command: string, ...args: unknown[]): Promise<unknown> {
  return Promise.race([
    Promise.resolve(vscode.commands.executeCommand(command, ...args)).catch((e) => out(`${command} threw: ${String(e)}`)),
    sleep(ms).then(() => 'timeout'),
  ]);
}

function modelPathUnderTest(): string {
  const p = process.env.E2E_MODEL || vscode.workspace.getConfiguration('localCompletion').get<string>('modelPath') || '';
  assert.ok(p, 'no model configured: set localCompletion.modelPath in the user settings (or E2E_MODEL)');
  return p;
}

const label = (p: string) => path.basename(p).replace(/\.gguf$/i, '');

// ------------------------------------------------------------------------------- editor helpers

const SOURCE = [
  '// in-host test file',
  'export function add(a: number, b: number): number {',
  '  return a + b;',
  '}',
  '',
  'export function main(): void {',
  '  const x = add(1, 2);',
  '}',
  '',
].join('\n');

/** Code lines put one after another inside main(): a different prompt each time. */
const PROMPTS = [
  '  const y = add(x, ',
  '  console.log("sum is", ',
  '  let total = 0; for (let i = 0; i < 10; i++) total += ',
  '  const names = ["a", "b"].map((n) => ',
  '  if (x > 2) { return ',
  '  const message = `x is ${',
];

let fileCounter = 0;

async function openFreshEditor(): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test window must have a workspace folder');
  const uri = vscode.Uri.joinPath(folder.uri, `inhost-${process.pid}-${++fileCounter}.ts`);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(SOURCE));
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Inserts `text` as a new line before main()'s closing brace; returns the cursor at its end. */
async function insertPromptLine(editor: vscode.TextEditor, text: string): Promise<vscode.Position> {
  const doc = editor.document;
  let closing = -1;
  for (let i = doc.lineCount - 1; i >= 0; i--) {
    if (doc.lineAt(i).text === '}') { closing = i; break; }
  }
  assert.ok(closing > 0, 'closing brace of main() not found');
  const at = new vscode.Position(closing, 0);
  const ok = await editor.edit((e) => e.insert(at, text + '\n'));
  assert.ok(ok, 'edit failed');
  const pos = new vscode.Position(closing, text.length);
  editor.selection = new vscode.Selection(pos, pos);
  return pos;
}

/**
 * Waits until the `completions` counter grows past `s0` (a completion was shown), or until a request
 * has been made (`requests` grew) and the engine has settled for a second without a completion
 * (a blank result, which the pipeline drops).
 */
async function waitForOutcome(s0: Snapshot, ms: number, prompt: string): Promise<Snapshot> {
  let settledSince = 0;
  return waitFor(async () => {
    const s = await snapshot();
    if (s.completions > s0.completions) return s;
    const busy = s.state === 'loading' || s.state === 'generating';
    if (typeof s.requests === 'number' && typeof s0.requests === 'number' && s.requests > s0.requests && !busy) {
      if (!settledSince) settledSince = Date.now();
      if (Date.now() - settledSince >= 1_000) return s;
    } else {
      settledSince = 0;
    }
    return undefined;
  }, ms, `a completion after trigger (prompt ${JSON.stringify(prompt)})`);
}

interface Accepted {
  completion: string;
  prompt: string;
  requestMs: number;
  attempts: number;
}

/**
 * Triggers inline completion at the end of fresh prompt lines until the engine produces a
 * non-blank completion, commits it and checks that the document now holds exactly the engine's
 * `lastCompletion` at the cursor.
 */
async function getAndAcceptCompletion(editor: vscode.TextEditor, firstTimeoutMs: number): Promise<Accepted> {
  for (let i = 0; i < PROMPTS.length; i++) {
    const prompt = PROMPTS[i];
    const pos = await insertPromptLine(editor, prompt);
    const doc = editor.document;
    const offset = doc.offsetAt(pos);
    const before = doc.getText();
    const s0 = await snapshot();
    const t0 = Date.now();
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    let snap: Snapshot;
    try {
      snap = await waitForOutcome(s0, i === 0 ? firstTimeoutMs : 20_000, prompt);
    } catch (e) {
      out(`attempt ${i + 1}: ${String(e).split('\n')[0]}`);
      continue;
    }
    const requestMs = Date.now() - t0;
    const completion = snap.completions > s0.completions ? (snap.lastCompletion ?? '') : '';
    if (completion.trim() === '') {
      out(`attempt ${i + 1}: no completion for ${JSON.stringify(prompt)} (blank result; state ${snap.state}); next prompt`);
      continue;
    }
    // The ghost text may render a moment after the provider returned: commit until the text changes.
    const expected = before.slice(0, offset) + completion + before.slice(offset);
    const end = Date.now() + 6_000;
    let retriggered = false;
    while (doc.getText() === before && Date.now() < end) {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      if (doc.getText() !== before) break;
      await sleep(150);
      if (!retriggered && Date.now() > end - 3_000) {
        retriggered = true;
        await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      }
    }
    const after = doc.getText();
    assert.notEqual(after, before, `inlineSuggest.commit changed nothing (engine completion ${JSON.stringify(completion)})`);
    if (after !== expected) {
      const got = after.slice(offset, offset + completion.length + 40);
      assert.fail(
        `document does not hold the engine's lastCompletion at the cursor.\n  lastCompletion: ${JSON.stringify(completion)}\n` +
          `  at cursor now:  ${JSON.stringify(got)}`,
      );
    }
    const cursor = editor.selection.active;
    assert.equal(doc.offsetAt(cursor), offset + completion.length, 'cursor should sit after the accepted text');
    return { completion, prompt, requestMs, attempts: i + 1 };
  }
  throw new Error(`no usable completion after ${PROMPTS.length} prompts; snapshot ${JSON.stringify(await snapshot())}`);
}

// ------------------------------------------------------------------------------------ the tests

interface Test { name: string; fn: () => Promise<void> }
const tests: Test[] = [];
const test = (name: string, fn: () => Promise<void>) => tests.push({ name, fn });

test('extension activates and the status snapshot reports the configured model', async () => {
  const model = modelPathUnderTest();
  const ext = await waitFor(async () => vscode.extensions.getExtension(EXTENSION_ID), 30_000, `extension ${EXTENSION_ID} present`);
  const t0 = Date.now();
  await ext.activate();
  out(`activate() resolved in ${Date.now() - t0} ms`);
  const s = await snapshot();
  out(`snapshot after activation: ${JSON.stringify(s)}`);
  assert.equal(s.modelPath, model, 'snapshot.modelPath');
  assert.equal(s.model, label(model), 'snapshot.model');
  assert.notEqual(s.state, 'error', `state is error: ${JSON.stringify(s.lastError)}`);
  assert.equal(typeof s.completions, 'number', 'snapshot.completions');
  assert.equal(typeof s.engineRestarts, 'number', 'snapshot.engineRestarts');
});

test('trigger + commit inserts exactly the engine completion at the cursor', async () => {
  const editor = await openFreshEditor();
  const r = await getAndAcceptCompletion(editor, 90_000);
  const s = await snapshot();
  out(`accepted ${JSON.stringify(r.completion)} after ${r.prompt.trim()} (attempt ${r.attempts}, ${r.requestMs} ms to completion, ` +
    `lastLatencyMs ${s.lastLatencyMs}, state ${s.state})`);
  assert.equal(s.model, label(modelPathUnderTest()));
  await editor.document.save();
  // Memory with the model loaded: the extension host (this process) and the engine process.
  const engineRss = (() => {
    const pid = (s as unknown as { enginePid?: number }).enginePid;
    try { return pid ? Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024 : NaN; } catch { return NaN; }
  })();
  out(`memory with the model loaded: extension host RSS ${Math.round(process.memoryUsage().rss / 1048576)} MB, ` +
    `engine process RSS ${Math.round(engineRss)} MB; extension activate() took ${(s as unknown as { activationMs?: number }).activationMs} ms`);
});

test('disabled: no completion is requested or inserted', async () => {
  await commandWithin(5_000, 'localCompletion.disable');
  try {
    const s0 = await waitFor(async () => { const s = await snapshot(); return s.state === 'disabled' && s; }, 5_000, 'state "disabled"');
    const editor = await openFreshEditor();
    const pos = await insertPromptLine(editor, PROMPTS[0]);
    const before = editor.document.getText();
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await sleep(2_000);
    await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
    await sleep(300);
    const s1 = await snapshot();
    assert.equal(s1.completions, s0.completions, 'completions counter grew while disabled');
    assert.equal(editor.document.getText(), before, 'document changed while disabled');
    assert.equal(editor.selection.active.isEqual(pos), true, 'cursor moved while disabled');
  } finally {
    await commandWithin(5_000, 'localCompletion.enable');
  }
  await waitFor(async () => (await snapshot()).state !== 'disabled', 5_000, 'state leaves "disabled" after enable');
});

test('usage figures count what was shown and accepted, on this machine; reset empties them', async () => {
  type Usage = { total: { shown: number; accepted: number; acceptedChars: number } };
  const u = (await snapshot() as unknown as { usage: Usage }).usage;
  out(`usage figures: ${JSON.stringify(u.total)}`);
  assert.ok(u.total.shown >= 1 && u.total.accepted >= 1 && u.total.acceptedChars >= 1, `after an accepted completion: ${JSON.stringify(u.total)}`);
  await commandWithin(5_000, 'localCompletion.resetUsage');
  const after = (await snapshot() as unknown as { usage: Usage }).usage;
  assert.deepEqual(after.total, { shown: 0, accepted: 0, acceptedChars: 0 });
});

test('snoozed: no completion is requested, even on an explicit trigger; resume ends it', async () => {
  await commandWithin(5_000, 'localCompletion.snooze', 5);
  try {
    const s0 = await snapshot() as Snapshot & { snoozedMinutes?: number };
    assert.equal(s0.snoozedMinutes, 5, 'snoozed for 5 minutes');
    const editor = await openFreshEditor();
    await insertPromptLine(editor, PROMPTS[0]);
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await sleep(2_000);
    const s1 = await snapshot();
    assert.equal(s1.requests, s0.requests, 'a request reached the engine while snoozed');
  } finally {
    await commandWithin(5_000, 'localCompletion.resume');
  }
  const s2 = await snapshot() as Snapshot & { snoozedMinutes?: number };
  assert.equal(s2.snoozedMinutes, undefined, 'awake after resume');
});

test('a missing model file: Switch Model refuses it and keeps the working model; a hand-set path shows the error', async () => {
  const model = modelPathUnderTest();
  const missing = path.join(os.tmpdir(), `no-such-model-${process.pid}-${Date.now()}.gguf`);
  const switched = await commandWithin(10_000, 'localCompletion.switchModel', missing);
  const refused = await snapshot();
  out(`after Switch Model to a missing file: returned ${switched}, state ${refused.state}, modelPath ${refused.modelPath}, lastError ${JSON.stringify(refused.lastError)}`);
  assert.equal(switched, false, 'switchModel reports the refusal');
  assert.equal(refused.modelPath, model, 'the working model stays');
  assert.notEqual(refused.state, 'error', 'the working model still works');
  assert.ok(JSON.stringify(refused.lastError ?? '').includes(missing), 'the reason names the file');

  // A path typed into the settings by hand cannot be refused: the status shows the error instead.
  const config = vscode.workspace.getConfiguration('localCompletion');
  await config.update('modelPath', missing, vscode.ConfigurationTarget.Global);
  try {
    const editor = await openFreshEditor();
    await insertPromptLine(editor, PROMPTS[1]);
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    const s = await waitFor(async () => { const x = await snapshot(); return x.state === 'error' && x; }, 15_000, 'state "error" for a hand-set missing file');
    assert.ok(JSON.stringify(s.lastError ?? '').includes(missing), `lastError names the file: ${JSON.stringify(s.lastError)}`);
  } finally {
    await commandWithin(10_000, 'localCompletion.switchModel', model);
  }
  await waitFor(async () => {
    const x = await snapshot();
    return x.modelPath === model && x.state !== 'error' && x;
  }, 30_000, `back on ${model} without error`);
  const editor = await openFreshEditor();
  const r = await getAndAcceptCompletion(editor, 60_000);
  const after = await snapshot();
  out(`after switching back: accepted ${JSON.stringify(r.completion)}; state ${after.state}, model ${after.model}, engineRestarts ${after.engineRestarts}`);
  assert.equal(after.model, label(model));
});

// Reliability (issue #6, test/suite/reliability.ts); E2E_SUITE=reliability runs only those. Its
// deactivation test runs after all the others (see run()).
for (const t of reliabilityTests()) test(t.name, t.fn);

for (const t of evaluationTests(modelPathUnderTest, out)) test(t.name, t.fn);

export async function run(): Promise<void> {
  const t0 = Date.now();
  out(`VS Code ${vscode.version}, node ${process.version}, ${tests.length} tests`);
  let passed = 0;
  const failed: string[] = [];
  const selected = tests.filter((x) => !process.env.E2E_SUITE || x.name.startsWith(`${process.env.E2E_SUITE}:`));
  for (const t of [...selected.filter((x) => x.name !== DEACTIVATION_TEST), ...selected.filter((x) => x.name === DEACTIVATION_TEST)]) {
    const ts = Date.now();
    try {
      await t.fn();
      passed++;
      out(`PASS ${t.name} (${Date.now() - ts} ms)`);
    } catch (e) {
      failed.push(t.name);
      out(`FAIL ${t.name} (${Date.now() - ts} ms): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
  out(`${passed} passed, ${failed.length} failed (${Date.now() - t0} ms)`);
  if (failed.length) throw new Error(`${failed.length} in-host test(s) failed: ${failed.join('; ')}`);
}
