/** The command palette commands (package.json `contributes.commands`) and internal ones. */
import * as vscode from 'vscode';
import type { Controller } from './controller';
import { downloadCatalogModel } from './downloadUi';
import { evaluateWorkspace, type EvaluateArgs } from './evaluateCommand';
import { chooseDraft } from './draftPicker';
import { applyModel } from './modelApply';
import { loadModelMemory } from './modelMemory';
import { loadConfidenceMemory } from './confidenceMemory';
import { pickModel } from './modelPicker';
import { installFolder } from './modelSources';
import { setBackend, setServerApiKey } from './serverSettings';
import { automaticDraftFor, setUserSetting } from './settings';
import { describeDraftSpeed } from './draftSpeed';
import { describeBackend } from '../models/engine/gpuPlan';
import { statusText } from './statusBar';
import { describeUsage } from './usageStats';

export function registerCommands(controller: Controller): vscode.Disposable[] {
  const { context, log } = controller;
  loadModelMemory(context.globalState); // before the controller first reads the model choice
  loadConfidenceMemory(context.globalState);
  const setEnabled = async (enabled: boolean) => {
    await setUserSetting('enabled', enabled);
    log.info(`completions ${enabled ? 'enabled' : 'disabled'}`);
  };
  return [
    /** With a path argument (tests, keybindings) it switches directly. */
    vscode.commands.registerCommand('localCompletion.switchModel', (modelPath?: string) => switchModel(controller, modelPath)),
    vscode.commands.registerCommand('localCompletion.chooseDraft', async () => {
      if (!await chooseDraft(context, log, controller.session.modelPath)) return false;
      controller.reconfigure();
      return true;
    }),
    vscode.commands.registerCommand('localCompletion.enable', () => setEnabled(true)),
    vscode.commands.registerCommand('localCompletion.disable', () => setEnabled(false)),
    vscode.commands.registerCommand('localCompletion.toggle', () => setEnabled(!vscode.workspace.getConfiguration('localCompletion').get('enabled', true))),
    vscode.commands.registerCommand('localCompletion.showLog', () => log.show(true)),
    vscode.commands.registerCommand('localCompletion.restartEngine', async () => {
      await controller.engine.stop();
      controller.session.retry();
      await controller.session.ensureLoaded();
    }),
    /** Returns the snapshot to callers (tests); shows it to people. */
    vscode.commands.registerCommand('localCompletion.showStatus', async () => {
      const s = controller.snapshot();
      const info = controller.session.info;
      const lines = [
        `State: ${statusText({ phase: s.state, model: s.model, lastLatencyMs: s.lastLatencyMs })}`,
        `Model: ${s.modelPath ?? 'none'}${info ? ` (${info.architecture}, context ${info.contextSize}, ${info.threads}${info.maxThreads ? `-${info.maxThreads}` : ''} threads, loaded in ${info.loadMs} ms)` : ''}`,
        `Completions shown: ${s.completions}, accepted: ${s.accepted}, engine restarts: ${s.engineRestarts}`,
      ];
      const runsOn = info && describeBackend(info);
      if (runsOn) lines.push(`Runs on: ${runsOn}${info?.gpuFallback ? ` (${info.gpuFallback})` : ''}`);
      const draftLine = describeDraftSpeed(info, s.modelPath, automaticDraftFor(s.modelPath, controller.bundledModel));
      if (draftLine) lines.push(draftLine);
      if (s.lastError) lines.push(`Last error: ${s.lastError}`);
      lines.push(...describeUsage(controller.usage.read())); // this machine only (extension/usageStats.ts)
      log.info(lines.join(' | '));
      if (s.backend) lines.splice(1, 1, `Server: ${s.backend} at ${s.serverUrl ?? '?'} (code is sent there)`);
      const builtin = s.backend ? ['Use Built-in Engine'] : [];
      void vscode.window.showInformationMessage(lines.join('\n'), { modal: false }, 'Switch Model', 'Show Log', ...builtin).then((a) => {
        if (a === 'Use Built-in Engine') void setBackend('builtin');
        if (a === 'Switch Model') void vscode.commands.executeCommand('localCompletion.switchModel');
        if (a === 'Show Log') log.show(true);
      });
      return s;
    }),
    /** With `{ models: [path, ...] }` (tests) it asks nothing; returns where the report was written. */
    vscode.commands.registerCommand('localCompletion.evaluateModels', (args?: EvaluateArgs) => evaluateWorkspace(controller, args)),
    vscode.commands.registerCommand('localCompletion.accepted', (text: string) => controller.onAccepted(text)),
    /** Internal: the status snapshot without showing anything (tests, other extensions). */
    vscode.commands.registerCommand('localCompletion.statusSnapshot', () => controller.snapshot()),
    vscode.commands.registerCommand('localCompletion.setServerApiKey', async () => {
      const changed = await setServerApiKey(context.secrets);
      if (changed) controller.reconfigure();
      return changed;
    }),
    vscode.commands.registerCommand('localCompletion.useBuiltinEngine', () => setBackend('builtin')),
  ];
}

/**
 * Picks (or takes) a model, downloads it first if it came from the catalog, validates and pairs
 * it, and reloads the engine at once. A refused file leaves the working model in place.
 */
async function switchModel(controller: Controller, modelPath?: string): Promise<boolean> {
  const { context, log } = controller;
  let chosen: { path: string; displayName?: string };
  if (typeof modelPath === 'string') {
    chosen = { path: modelPath };
  } else {
    const snap = controller.snapshot();
    const picked = await pickModel(context, log, {
      modelPath: snap.backend ? undefined : controller.session.modelPath, draftPath: snap.draftModelPath,
      server: snap.backend ? { url: snap.serverUrl, model: controller.backends.server?.config.model } : undefined,
    });
    if (!picked) return false;
    if (picked.kind === 'server') {
      await setBackend(picked.choice.backend, picked.choice.url, picked.choice.backend === 'llama-server' ? '' : picked.choice.model);
      log.info(`switched to ${picked.choice.server} at ${picked.choice.url}, model ${picked.choice.model}`);
      return true;
    }
    if (picked.kind === 'draft') return vscode.commands.executeCommand<boolean>('localCompletion.chooseDraft');
    if (picked.kind === 'download') {
      const file = await downloadCatalogModel(picked.choice, installFolder(context), log);
      if (!file) return false;
      chosen = { path: file };
    } else {
      chosen = picked;
    }
  }
  const outcome = await applyModel(context, log, chosen.path, chosen.displayName);
  if (outcome.problem) {
    log.error(`switch model refused: ${outcome.problem}`);
    controller.refusedSwitch(outcome.problem);
    void vscode.window.showErrorMessage(outcome.problem, 'Switch Model').then((a) => a && vscode.commands.executeCommand('localCompletion.switchModel'));
    return false;
  }
  log.info(`switched model to ${chosen.path}${outcome.draftNote ? `; ${outcome.draftNote}` : ''}`);
  if (outcome.draftRefused) {
    void vscode.window.showWarningMessage(`Local Completion: ${outcome.draftNote}.`, 'Choose Draft')
      .then((a) => a && vscode.commands.executeCommand('localCompletion.chooseDraft'));
  }
  // A local file was chosen: the built-in engine completes (the user's choice, not a fallback).
  if (controller.backends.kind !== 'builtin') await setBackend('builtin');
  controller.reconfigure(); // the same path chosen again, or a new pairing: no settings event
  controller.session.retry();
  await controller.session.ensureLoaded();
  return true;
}
