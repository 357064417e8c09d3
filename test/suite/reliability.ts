/**
 * In-editor reliability tests (issue #6), run inside the real extension host by test/suite/index.ts.
 *
 * Loading this module installs the network guard in the extension host, before the first test
 * (and, unless VS Code was quicker, before the extension activates): calls whose stack runs through
 * this extension (dist/ or out/) are blocked and recorded; VS Code's own calls are only recorded.
 * Engine processes forked from now on get the guard too (NODE_OPTIONS, engine script only).
 * The last test deactivates the extension and checks that nothing reached for the network.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { install, readGuardLog, violations, type Violation } from '../reliability/networkGuard';
import { reliabilityDocumentTests } from './reliabilityDocuments';
import { activeExtension, EXTENSION_ID, hostLag, out, showAt, sleep, snapshot, triggerAndSettle, waitFor, writeWorkspaceFile, type Snapshot } from './reliabilityKit';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const GUARD_LOG = path.join(os.tmpdir(), `lcc-inhost-guard-${process.pid}.jsonl`);
const ours = (stack: string) => [path.join(ROOT, 'dist'), path.join(ROOT, 'out')].some((d) => stack.includes(d + path.sep));
fs.rmSync(GUARD_LOG, { force: true });
install({ mode: 'block', blockIf: ours, logFile: GUARD_LOG });
process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(ROOT, 'out', 'test', 'reliability', 'networkGuard.js')}`.trim();
process.env.LCC_NET_GUARD = 'block';
process.env.LCC_NET_GUARD_LOG = GUARD_LOG;
process.env.LCC_NET_GUARD_SCRIPTS = '[\\\\/]dist[\\\\/](engine|hardwareProbe|validator)\\.js$';
const activeAtLoad = vscode.extensions.getExtension(EXTENSION_ID)?.isActive ?? false;
/** Attempts a test provoked on purpose (an accepted download), not counted against the extension. */
const expected = new Set<Violation>();

interface Test { name: string; fn: () => Promise<void> }

/** Deactivates the extension: the suite runs it after every other test. */
export const DEACTIVATION_TEST = 'reliability: no network from the extension, activation to deactivation';

export function reliabilityTests(): Test[] {
  return [
    { name: 'reliability: workspace settings cannot choose the model, the draft or model folders', fn: workspaceSettings },
    { name: 'reliability: a download starts only after the user says yes in the modal', fn: downloadNeedsConsent },
    { name: 'reliability: engine killed mid-generation: no edit lost, the status says so, next completion within 2 s', fn: engineKilled },
    ...reliabilityDocumentTests(),
    { name: DEACTIVATION_TEST, fn: noNetwork },
  ];
}

async function workspaceSettings(): Promise<void> {
  await activeExtension();
  const before = await snapshot();
  const evil = path.join(os.tmpdir(), 'workspace-chosen-model.gguf');
  const settingsFile = await writeWorkspaceFile(path.join('.vscode', 'settings.json'), JSON.stringify({
    'localCompletion.modelPath': evil, 'localCompletion.draftModelPath': evil, 'localCompletion.modelFolders': [os.tmpdir()],
  }));
  try {
    await sleep(1500); // configuration files are read asynchronously
    const c = vscode.workspace.getConfiguration('localCompletion');
    const seen = c.inspect<string>('modelPath');
    // The extension's own reader (the same source, out/ instead of dist/) and the running extension.
    const settings = require('../../extension/settings') as typeof import('../../extension/settings');
    assert.notEqual(settings.readModelChoice(undefined).modelPath, evil);
    assert.notEqual(settings.readModelChoice(undefined).draftModelPath, evil);
    assert.ok(!settings.readModelFolders().includes(os.tmpdir()), 'workspace model folders are ignored');
    const after = await snapshot();
    assert.equal(after.modelPath, before.modelPath, 'the running extension kept the user\'s model');
    out(`workspace settings: VS Code reports workspaceValue=${JSON.stringify(seen?.workspaceValue)} (trusted=${vscode.workspace.isTrusted}); ` +
      `the extension ignores it: model stays ${after.model}`);
  } finally {
    await vscode.workspace.fs.delete(settingsFile);
  }
}

async function downloadNeedsConsent(): Promise<void> {
  const { downloadCatalogModel } = require('../../extension/downloadUi') as typeof import('../../extension/downloadUi');
  const { gatherCatalogChoices } = require('../../models/library/modelChoices') as typeof import('../../models/library/modelChoices');
  const { loadCatalog } = require('../../models/library/modelCatalog') as typeof import('../../models/library/modelCatalog');
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lcc-download-consent-'));
  const hw = { totalRamBytes: os.totalmem(), freeRamBytes: os.freemem(), cpuCores: os.availableParallelism(), gpu: false as const,
    gpuNames: [], vramTotalBytes: 0, vramFreeBytes: 0, unifiedMemory: false, source: 'os' as const };
  const [choice] = await gatherCatalogChoices(loadCatalog(), hw, folder);
  const log = vscode.window.createOutputChannel('Local Completion reliability test', { log: true });
  // The user's answers: this test answers the modal (the same API object the extension uses).
  const w = vscode.window as unknown as Record<string, unknown>;
  const saved = { info: w.showInformationMessage, error: w.showErrorMessage, warning: w.showWarningMessage };
  const asked: unknown[][] = [];
  let answer: string | undefined;
  w.showInformationMessage = async (...args: unknown[]) => { asked.push(args); return answer; };
  w.showErrorMessage = async () => undefined;
  w.showWarningMessage = async () => undefined;
  try {
    assert.equal(vscode.window.showInformationMessage, w.showInformationMessage, 'the modal answer can be given by the test');
    const count = violations.length;
    answer = undefined; // "Cancel"
    assert.equal(await downloadCatalogModel(choice, folder, log), undefined);
    assert.equal(asked.length, 1, 'the user was asked');
    assert.equal((asked[0][1] as { modal?: boolean }).modal, true, 'in a modal');
    assert.ok(String((asked[0][1] as { detail?: string }).detail).includes(choice.entry.url), 'showing the URL');
    assert.equal(violations.length, count, 'declined: no connection attempted');
    answer = 'Download'; // the user says yes: the download really tries the network, and the guard stops it
    assert.equal(await downloadCatalogModel(choice, folder, log), undefined);
    const attempts = violations.slice(count);
    attempts.forEach((v) => expected.add(v));
    assert.ok(attempts.length > 0 && attempts.every((v) => v.blocked && v.target.includes(new URL(choice.entry.url).host)),
      `accepted: the attempt to ${choice.entry.url} was caught (${attempts.map((v) => v.api).join(', ')})`);
    assert.deepEqual(fs.readdirSync(folder).filter((f) => f.endsWith('.gguf')), [], 'nothing installed');
    out(`download: declined -> no connection; accepted -> ${attempts.length} blocked attempts to ${new URL(choice.entry.url).host}`);
  } finally {
    Object.assign(w, { showInformationMessage: saved.info, showErrorMessage: saved.error, showWarningMessage: saved.warning });
    log.dispose();
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

async function engineKilled(): Promise<void> {
  await activeExtension();
  const s0 = await snapshot();
  // A request that runs long enough to be killed in the middle: a file the engine has never seen,
  // so the whole ~900-token prompt is evaluated (a short one finishes in milliseconds on the tiny model).
  let editor: vscode.TextEditor | undefined;
  let killedPid = 0;
  let killedAt = 0;
  let before = '';
  let at = 0;
  for (let attempt = 0; attempt < 5 && !killedPid; attempt++) {
    const body = Array.from({ length: 300 }, (_, i) => `const item${attempt}_${i} = compute(${i * 7 + attempt}, "${(i * 31 + attempt).toString(36)}");\n`).join('');
    const source = `// attempt ${attempt}\n${body}export function table(): string[] {\n  const rows: string[] = [];\n  \n}\n`;
    const uri = await writeWorkspaceFile(`crash-${process.pid}-${attempt}.ts`, source);
    editor = await showAt(await vscode.workspace.openTextDocument(uri), source.lastIndexOf('\n}'));
    const s1 = await snapshot();
    // (not awaited: the trigger command resolves only once the providers have answered)
    void vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    const generating = await waitFor(async () => { const s = await snapshot(); return (s.state === 'generating' || s.completions > s1.completions) && s; }, 8000, 'a request', 0)
      .catch(() => undefined);
    if (!generating || generating.state !== 'generating') {
      out(`attempt ${attempt + 1}: no generation caught (${generating ? `answered in ${Math.round(generating.lastLatencyMs ?? 0)} ms` : 'no request'}); again`);
      continue;
    }
    before = editor.document.getText();
    at = editor.document.offsetAt(editor.selection.active);
    killedPid = generating.enginePid!;
    killedAt = Date.now();
    process.kill(killedPid, 'SIGKILL');
  }
  assert.ok(editor && killedPid, 'a request in flight to kill the engine under');
  // The user keeps typing through the crash.
  const typed = 'rows.push("a");';
  for (const ch of typed) {
    await vscode.commands.executeCommand('type', { text: ch });
    await sleep(10);
  }
  const crashed = await waitFor(async () => { const s = await snapshot(); return s.engineRestarts > s0.engineRestarts && s; }, 5000, 'the crash noticed');
  // The error, or once the restarted engine has already answered, the tooltip's restart line.
  const said = crashed.lastError ?? crashed.lastRestart;
  assert.match(String(said), /engine process stopped \(signal SIGKILL\)/, `the status says what happened: ${said}`);
  assert.equal(editor.document.getText(), before.slice(0, at) + typed + before.slice(at), 'every keystroke made during the crash is in the document');
  const back = await waitFor(async () => { const s = await snapshot(); return !!s.enginePid && s.enginePid !== killedPid && s.state === 'ready' && s; }, 10_000, 'the engine back');
  const readyMs = Date.now() - killedAt;
  await editor.edit((e) => e.insert(editor!.selection.active, '\n  const total = '));
  const next = await triggerAndSettle(5000);
  assert.notEqual(next.answer, 'not asked');
  assert.ok(next.tookMs < 2000, `next completion after ${next.tookMs} ms`);
  out(`engine killed mid-request (pid ${killedPid} -> ${back.enginePid}): ready again ${readyMs} ms after the kill; ` +
    `next completion ${next.answer} in ${next.tookMs} ms; status: "${crashed.lastError}"`);
  await editor.document.save(); // (closing a dirty editor would ask)
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

async function noNetwork(): Promise<void> {
  const ext = await activeExtension();
  const main = require(path.join(ext.extensionPath, 'dist', 'extension.js')) as { deactivate(): Promise<void> };
  const pid = (await snapshot()).enginePid;
  const { lagMs } = await hostLag(() => main.deactivate());
  if (pid) await waitFor(() => { try { process.kill(pid, 0); return false; } catch { return true; } }, 5000, 'the engine stopped at deactivation');
  const log = readGuardLog(GUARD_LOG);
  const enginesGuarded = log.filter((e) => e.event === 'installed' && e.pid !== process.pid).length;
  const mine = violations.filter((v) => ours(v.stack) && !expected.has(v));
  const others = violations.filter((v) => !ours(v.stack));
  const fromChildren = log.filter((e) => e.event === 'violation' && e.pid !== process.pid);
  out(`network: ${mine.length} calls from the extension, ${fromChildren.length} from its processes (${enginesGuarded} engine/probe ` +
    `processes guarded), ${others.length} by VS Code itself (not ours: ${[...new Set(others.map((v) => v.api))].join(', ') || 'none'}); ` +
    `guard installed ${activeAtLoad ? 'AFTER' : 'before'} activation; deactivate ${Math.round(lagMs)} ms`);
  assert.deepEqual(mine.map((v) => `${v.api}(${v.target})\n${v.stack}`), []);
  assert.deepEqual(fromChildren.map((v) => `${v.api}(${v.target}) in ${v.script}`), []);
  assert.ok(enginesGuarded > 0, 'the guard ran inside the engine processes');
}
