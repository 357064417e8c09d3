/**
 * Prepares the fresh work folder of one e2e case (called by run.sh before code-server starts):
 *   <work>/ud/User/settings.json   user settings (model path etc.)
 *   <work>/workspace/              a copy of test/e2e/workspace
 *   switch-model only: the model copied into the extension's global storage as tiny-b.gguf
 *   zero-setup: no model setting at all (the extension must use the model bundled in the VSIX), gate off
 *   manners: no model setting either (the recommendation shows only with the bundled model), gate off
 *   confidence: a strict confidence gate (nothing a random model writes passes it)
 *   other cases: the gate off (they test how ghost text gets on screen, with random-weight models)
 * Usage: node out/test/e2e/prepare.js <case>   (env: E2E_WORK, E2E_MODEL)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { globalStorageModelsDir, STRICT_CONFIDENCE, writeUserSettings } from './settings';

function main(): void {
  const caseName = process.argv[2] ?? '';
  const work = required('E2E_WORK');
  const model = required('E2E_MODEL');
  const repo = path.resolve(__dirname, '..', '..', '..');
  const ud = path.join(work, 'ud');

  // zero-setup, manners: no model setting; the gate is off there too (at the default threshold the
  // bundled model's suggestions at the typed places are hidden: bench/gate/README.md).
  writeUserSettings(ud, caseName === 'zero-setup' ? { minConfidence: 0 } : caseName === 'manners' ? { ...MANNERS, minConfidence: 0 } : { modelPath: model, minConfidence: caseName === 'confidence' ? STRICT_CONFIDENCE : 0 });
  fs.cpSync(path.join(repo, 'test', 'e2e', 'workspace'), path.join(work, 'workspace'), { recursive: true });

  if (caseName === 'switch-model') {
    const dir = globalStorageModelsDir(ud);
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(model, path.join(dir, 'tiny-b.gguf'));
  }
}

/** A short deadline and long suggestions: suggestions are often cut at the deadline and settle later (Esc check). */
const MANNERS = { multiline: true, extra: { 'localCompletion.deadlineMs': 60, 'localCompletion.maxTokens': 128 } };

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}

main();
