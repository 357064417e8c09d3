/** The command palette commands (package.json `contributes.commands`) and internal ones. */
import * as vscode from 'vscode';
import type { Controller } from './controller';
import { applyModel, pickModel } from './modelPicker';
import { setUserSetting } from './settings';
import { statusText } from './statusBar';

export function registerCommands(controller: Controller): vscode.Disposable[] {
  const { context, log } = controller;
  const setEnabled = async (enabled: boolean) => {
    await setUserSetting('enabled', enabled);
    log.info(`completions ${enabled ? 'enabled' : 'disabled'}`);
  };
  return [
    /** With a path argument (tests, keybindings) it switches directly. */
    vscode.commands.registerCommand('localCompletion.switchModel', async (modelPath?: string) => {
      const chosen = typeof modelPath === 'string' ? modelPath : await pickModel(context, controller.session.modelPath);
      if (!chosen) return false;
      const problem = await applyModel(context, chosen);
      if (problem) {
        log.error(`switch model refused: ${problem}`);
        controller.refusedSwitch(problem);
        void vscode.window.showErrorMessage(problem, 'Switch Model').then((a) => a && vscode.commands.executeCommand('localCompletion.switchModel'));
        return false;
      }
      log.info(`switched model to ${chosen}`);
      controller.session.retry();
      await controller.session.ensureLoaded();
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
        `Model: ${s.modelPath ?? 'none'}${info ? ` (${info.architecture}, context ${info.contextSize}, ${info.threads} threads, loaded in ${info.loadMs} ms)` : ''}`,
        `Completions shown: ${s.completions}, accepted: ${s.accepted}, engine restarts: ${s.engineRestarts}`,
      ];
      if (s.lastError) lines.push(`Last error: ${s.lastError}`);
      log.info(lines.join(' | '));
      void vscode.window.showInformationMessage(lines.join('\n'), { modal: false }, 'Switch Model', 'Show Log').then((a) => {
        if (a === 'Switch Model') void vscode.commands.executeCommand('localCompletion.switchModel');
        if (a === 'Show Log') log.show(true);
      });
      return s;
    }),
    vscode.commands.registerCommand('localCompletion.accepted', (text: string) => controller.onAccepted(text)),
    /** Internal: the status snapshot without showing anything (tests, other extensions). */
    vscode.commands.registerCommand('localCompletion.statusSnapshot', () => controller.snapshot()),
  ];
}
