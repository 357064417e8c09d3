/**
 * The status bar item's menu (a QuickPick): every switch a user reaches for, each also a palette
 * command. The items are built from the current state (enabled, this language, snoozed, trigger),
 * so the menu always offers the opposite of what is in force.
 */
import * as vscode from 'vscode';
import type { Snooze } from './snooze';
import { SECTION } from './settings';

interface MenuItem extends vscode.QuickPickItem {
  command?: string;
  args?: unknown[];
}

export interface MenuState {
  snooze: Snooze;
  languageId?: string;
}

export function menuItems(state: MenuState): MenuItem[] {
  const c = vscode.workspace.getConfiguration(SECTION);
  const enabled = c.get('enabled', true);
  const lang = state.languageId;
  const langOff = lang !== undefined && c.get<string[]>('disabledLanguages', []).includes(lang);
  const manual = c.get<string>('trigger', 'automatic') === 'manual';
  const left = state.snooze.minutesLeft();
  const sep = (label: string): MenuItem => ({ label, kind: vscode.QuickPickItemKind.Separator });
  const items: MenuItem[] = [
    sep('Completions'),
    enabled
      ? { label: '$(circle-slash) Disable Everywhere', command: 'localCompletion.disable' }
      : { label: '$(check) Enable Everywhere', command: 'localCompletion.enable' },
  ];
  if (lang) {
    items.push(langOff
      ? { label: `$(check) Enable for ${lang}`, command: 'localCompletion.enableLanguage', args: [lang] }
      : { label: `$(circle-slash) Disable for ${lang}`, command: 'localCompletion.disableLanguage', args: [lang] });
  }
  if (left !== undefined) items.push({ label: '$(bell) Resume Now', description: `snoozed, ${left} min left`, command: 'localCompletion.resume' });
  for (const m of [5, 15, 60]) items.push({ label: `$(bell-slash) Snooze ${m} Minutes`, command: 'localCompletion.snooze', args: [m] });
  items.push(manual
    ? { label: '$(zap) Suggest as I Type', description: 'now: only on Alt+\\', command: 'localCompletion.setTrigger', args: ['automatic'] }
    : { label: '$(keyboard) Suggest Only on Alt+\\', description: 'now: as you type', command: 'localCompletion.setTrigger', args: ['manual'] });
  items.push(
    sep('Model'),
    { label: '$(library) Switch Model…', command: 'localCompletion.switchModel' },
    { label: '$(zap) Choose Draft Model…', command: 'localCompletion.chooseDraft' },
    { label: '$(star-empty) Recommend a Model for This Machine', command: 'localCompletion.recommendModel' },
    { label: '$(debug-restart) Restart Engine', command: 'localCompletion.restartEngine' },
    sep('Information'),
    { label: '$(info) Show Status', command: 'localCompletion.showStatus' },
    { label: '$(graph) Show Usage Figures', description: 'kept on this machine only', command: 'localCompletion.showUsage' },
    { label: '$(trash) Reset Usage Figures', command: 'localCompletion.resetUsage' },
    { label: '$(output) Show Log', command: 'localCompletion.showLog' },
    { label: '$(gear) Open Settings', command: 'localCompletion.openSettings' },
    { label: '$(book) Getting Started', command: 'localCompletion.gettingStarted' },
  );
  return items;
}

/** Opens the menu; runs the chosen item's command. */
export async function showMenu(state: MenuState): Promise<void> {
  const picked = await vscode.window.showQuickPick(menuItems(state), {
    title: 'Local Code Completion',
    placeHolder: state.snooze.active ? `Snoozed: ${state.snooze.minutesLeft()} min left` : 'Runs on this machine; nothing is sent anywhere',
  });
  if (picked?.command) await vscode.commands.executeCommand(picked.command, ...(picked.args ?? []));
}
