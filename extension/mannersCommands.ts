/**
 * Commands behind the status bar menu, the keybindings and the walkthrough (package.json
 * `contributes.commands`, `keybindings`, `walkthroughs`): per-language switch, snooze, trigger
 * mode, usage figures, model recommendation, settings, getting started, and Esc's dismissal note.
 */
import * as vscode from 'vscode';
import type { Controller } from './controller';
import { recommendModel } from './recommendation';
import { SECTION, setUserSetting } from './settings';
import { showMenu } from './statusMenu';
import { describeUsage } from './usageStats';

export const WALKTHROUGH_ID = 'localcompletion.local-code-completion#localCompletion.gettingStarted';

export function registerMannersCommands(controller: Controller): vscode.Disposable[] {
  const { log, snooze, usage } = controller;
  // The user's own list (not a workspace's values, which would be copied into user settings).
  const languages = () => {
    const v = vscode.workspace.getConfiguration(SECTION).inspect<string[]>('disabledLanguages');
    return v?.globalValue ?? v?.defaultValue ?? [];
  };
  const activeLanguage = () => vscode.window.activeTextEditor?.document.languageId;
  const setLanguage = async (on: boolean, lang = activeLanguage()) => {
    if (!lang) return;
    const rest = languages().filter((l) => l !== lang);
    await setUserSetting('disabledLanguages', on ? rest : [...rest, lang]);
    log.info(`completions ${on ? 'enabled' : 'disabled'} for ${lang}`);
  };
  const command = vscode.commands.registerCommand;
  return [
    command('localCompletion.menu', () => showMenu({ snooze, languageId: activeLanguage() })),
    command('localCompletion.enableLanguage', (lang?: string) => setLanguage(true, lang)),
    command('localCompletion.disableLanguage', (lang?: string) => setLanguage(false, lang)),
    /** Without an argument (palette) it asks how long. */
    command('localCompletion.snooze', async (minutes?: number) => {
      const m = typeof minutes === 'number' ? minutes
        : Number((await vscode.window.showQuickPick(['5', '15', '60'], { title: 'Snooze completions for (minutes)' })) ?? NaN);
      if (!(m > 0)) return;
      await snooze.start(m);
      log.info(`completions snoozed for ${m} min`);
    }),
    command('localCompletion.resume', async () => {
      await snooze.resume();
      log.info('snooze ended');
    }),
    command('localCompletion.setTrigger', async (mode?: 'automatic' | 'manual') => {
      const current = vscode.workspace.getConfiguration(SECTION).get<string>('trigger', 'automatic');
      const next = mode ?? (current === 'manual' ? 'automatic' : 'manual');
      await setUserSetting('trigger', next);
      log.info(`suggestions ${next === 'manual' ? 'only on Alt+\\' : 'as you type'}`);
    }),
    command('localCompletion.showUsage', async () => {
      const lines = describeUsage(usage.read());
      log.info(`usage (this machine only): ${lines.join(' | ')}`);
      const a = await vscode.window.showInformationMessage(lines.join('\n'), { detail: 'Kept on this machine only; never sent.' }, 'Reset');
      if (a === 'Reset') await vscode.commands.executeCommand('localCompletion.resetUsage');
      return usage.read();
    }),
    command('localCompletion.resetUsage', async () => {
      await usage.reset();
      log.info('usage figures reset');
      void vscode.window.showInformationMessage('Local Completion: usage figures reset.');
    }),
    command('localCompletion.recommendModel', () => recommendModel(controller, true)),
    command('localCompletion.openSettings', () => vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${WALKTHROUGH_ID.split('#')[0]}`)),
    command('localCompletion.gettingStarted', () => vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false)),
    /** Esc while a suggestion shows (package.json keybinding): hide it as Esc does, and note where. */
    command('localCompletion.dismissSuggestion', async () => {
      const editor = vscode.window.activeTextEditor;
      if (editor) controller.dismissal.dismissed(controller.spotOf(editor));
      await vscode.commands.executeCommand('editor.action.inlineSuggest.hide');
      // A next-edit change offered at the place jumped to goes with it (its gutter mark too).
      await vscode.commands.executeCommand('localCompletion.nextEdit.dismiss');
    }),
  ];
}
