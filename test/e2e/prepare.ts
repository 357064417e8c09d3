/**
 * Prepares the fresh work folder of one e2e case (called by run.sh before code-server starts):
 *   <work>/ud/User/settings.json   user settings (model path etc.)
 *   <work>/workspace/              a copy of test/e2e/workspace
 *   switch-model only: the model copied into the extension's global storage as tiny-b.gguf
 *   zero-setup: no model setting at all (the extension must use the model bundled in the VSIX), gate off
 *   manners: no model setting either (the recommendation shows only with the bundled model), gate off
 *   llama-server: backend llama-server on a free loopback port (written to <work>/server-port; the
 *     case starts the server there), no model path: the built-in engine has nothing to load; gate off
 *   confidence: a strict confidence gate (nothing a random model writes passes it)
 *   real-model: the real Qwen2.5-Coder 0.5B (E2E_REAL_MODEL) with the default gate; empty sum.ts, stats.py
 *   other cases: the gate off (they test how ghost text gets on screen, with random-weight models)
 * Usage: node out/test/e2e/prepare.js <case>   (env: E2E_WORK, E2E_MODEL)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort } from '../servers/llamaServerProcess';
import { globalStorageModelsDir, STRICT_CONFIDENCE, writeUserSettings } from './settings';

async function main(): Promise<void> {
  const caseName = process.argv[2] ?? '';
  const work = required('E2E_WORK');
  const model = required('E2E_MODEL');
  const repo = path.resolve(__dirname, '..', '..', '..');
  const ud = path.join(work, 'ud');

  if (caseName === 'llama-server') {
    const port = await freePort();
    fs.writeFileSync(path.join(work, 'server-port'), String(port));
    writeUserSettings(ud, { minConfidence: 0, extra: { 'localCompletion.backend': 'llama-server', 'localCompletion.server.url': `http://127.0.0.1:${port}` } });
  } else if (caseName === 'real-model') {
    // The real model with the extension's defaults (gate, multi-line) as a user has them; only the
    // indentation is left to the typist, so the typed text is exactly what the test expects.
    writeUserSettings(ud, { modelPath: required('E2E_REAL_MODEL'), multiline: true, minConfidence: Number(process.env.E2E_REAL_MIN_CONFIDENCE ?? 'NaN') || undefined, extra: { 'editor.autoIndent': 'none' } });
  } else {
    // zero-setup, manners: no model setting; the gate is off there too (at the default threshold the
    // bundled model's suggestions at the typed places are hidden: bench/gate/README.md).
    writeUserSettings(ud, caseName === 'zero-setup' ? { minConfidence: 0 } : caseName === 'manners' ? { ...MANNERS, minConfidence: 0 } : { modelPath: model, minConfidence: caseName === 'confidence' ? STRICT_CONFIDENCE : 0 });
  }
  fs.cpSync(path.join(repo, 'test', 'e2e', 'workspace'), path.join(work, 'workspace'), { recursive: true });

  if (caseName === 'real-model') for (const f of ['sum.ts', 'stats.py']) fs.writeFileSync(path.join(work, 'workspace', f), '');
  if (caseName === 'untrusted') untrustedWorkspace(ud, path.join(work, 'workspace'), model);
  if (caseName === 'switch-model') {
    const dir = globalStorageModelsDir(ud);
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(model, path.join(dir, 'tiny-b.gguf'));
  }
}

/** A short deadline and long suggestions: suggestions are often cut at the deadline and settle later (Esc check). */
const MANNERS = { multiline: true, extra: { 'localCompletion.deadlineMs': 60, 'localCompletion.maxTokens': 128 } };

/**
 * Workspace trust on, this folder not trusted (no prompt: it opens in Restricted Mode), and a
 * .vscode/settings.json that points the model, the draft and the folders at files of the workspace.
 */
function untrustedWorkspace(ud: string, workspace: string, model: string): void {
  const userFile = path.join(ud, 'User', 'settings.json');
  const user = JSON.parse(fs.readFileSync(userFile, 'utf8')) as Record<string, unknown>;
  Object.assign(user, { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false });
  fs.writeFileSync(userFile, JSON.stringify(user, null, 2) + '\n');
  const planted = path.join(workspace, 'planted');
  fs.mkdirSync(planted, { recursive: true });
  fs.copyFileSync(model, path.join(planted, 'workspace-model.gguf'));
  fs.copyFileSync(model, path.join(planted, 'workspace-draft.gguf'));
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({
    'localCompletion.modelPath': path.join(planted, 'workspace-model.gguf'),
    'localCompletion.draftModelPath': path.join(planted, 'workspace-draft.gguf'),
    'localCompletion.modelFolders': [planted],
  }, null, 2));
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}

void main();
