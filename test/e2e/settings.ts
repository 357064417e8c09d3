/**
 * User settings for every real-VS-Code test run (code-server cases and @vscode/test-electron).
 * Quiet: no telemetry, no update checks, no trust prompt, no AI features of VS Code itself.
 * Deterministic editing: no suggest widget (Tab must accept the ghost text, not a suggestion),
 * no auto-closing brackets/quotes (the file on disk must hold exactly what was typed + accepted).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const EXTENSION_ID = 'localcompletion.local-code-completion';

/** A gate no random-weight model passes (the confidence case). */
export const STRICT_CONFIDENCE = 0.999;

export interface SettingsOptions {
  /** Unset: the extension's default (the bundled model). */
  modelPath?: string;
  enabled?: boolean;
  debounceMs?: number;
  multiline?: boolean;
  /** Further settings, e.g. `localCompletion.deadlineMs`. */
  extra?: Record<string, unknown>;
  /** The confidence gate; unset: `auto` (the extension's default). */
  minConfidence?: number | 'auto';
}

export function testSettings(o: SettingsOptions): Record<string, unknown> {
  return {
    // quiet
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'workbench.startupEditor': 'none',
    'workbench.enableExperiments': false,
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'security.workspace.trust.enabled': false,
    'files.hotExit': 'off',
    'files.autoSave': 'off',
    'typescript.disableAutomaticTypeAcquisition': true,
    'git.enabled': false,
    'github.gitAuthentication': false,
    'chat.disableAIFeatures': true,
    // deterministic editing
    'editor.inlineSuggest.enabled': true,
    'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
    'editor.suggestOnTriggerCharacters': false,
    'editor.wordBasedSuggestions': 'off',
    'editor.parameterHints.enabled': false,
    'editor.autoClosingBrackets': 'never',
    'editor.autoClosingQuotes': 'never',
    'editor.autoSurround': 'never',
    'editor.formatOnType': false,
    'editor.minimap.enabled': false,
    // the extension under test
    ...(o.modelPath ? { 'localCompletion.modelPath': o.modelPath } : {}),
    'localCompletion.enabled': o.enabled ?? true,
    'localCompletion.debounceMs': o.debounceMs ?? 40,
    'localCompletion.multiline': o.multiline ?? false,
    ...o.extra,
    ...(o.minConfidence !== undefined ? { 'localCompletion.minConfidence': o.minConfidence } : {}),
  };
}

/**
 * Writes `<userDataDir>/User/settings.json` (desktop VS Code reads everything from there) and
 * `<userDataDir>/Machine/settings.json` with the extension's settings: in code-server the window is
 * a remote window, and VS Code ignores MACHINE-scoped settings (localCompletion.modelPath) from
 * User/settings.json there; it reads them from the remote machine settings only.
 */
export function writeUserSettings(userDataDir: string, o: SettingsOptions): string {
  const settings = testSettings(o);
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(settings, null, 2) + '\n');
  const machine = Object.fromEntries(Object.entries(settings).filter(([k]) => k.startsWith('localCompletion.')));
  const machineFile = path.join(userDataDir, 'Machine', 'settings.json');
  fs.mkdirSync(path.dirname(machineFile), { recursive: true });
  fs.writeFileSync(machineFile, JSON.stringify(machine, null, 2) + '\n');
  return file;
}

/** Where the extension looks for installed models (Switch Model lists `*.gguf` there). */
export function globalStorageModelsDir(userDataDir: string): string {
  return path.join(userDataDir, 'User', 'globalStorage', EXTENSION_ID, 'models');
}
