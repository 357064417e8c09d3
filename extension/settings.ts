/** Typed view of the extension's settings (package.json `contributes.configuration`). */
import * as vscode from 'vscode';
import type { PipelineSettings } from '../completion/completionPipeline';
import type { ModelChoice } from '../models/modelSession';
import { chooseThreads } from '../models/threads';

export const SECTION = 'localCompletion';

export interface Settings extends PipelineSettings {
  enabled: boolean;
  disabledLanguages: string[];
  debounceMs: number;
  idleUnloadMinutes: number;
}

export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    enabled: c.get('enabled', true),
    disabledLanguages: c.get<string[]>('disabledLanguages', []),
    debounceMs: c.get('debounceMs', 40),
    idleUnloadMinutes: c.get('idleUnloadMinutes', 15),
    maxTokens: c.get('maxTokens', 64),
    multiline: c.get('multiline', false),
    prefixTokens: c.get('prefixTokens', 768),
    suffixTokens: c.get('suffixTokens', 128),
    deadlineMs: c.get('deadlineMs', 100),
  };
}

/**
 * The model configuration. Model paths are machine-scoped settings; reading them through
 * `inspect` and ignoring workspace values makes sure a workspace can never choose the file
 * the engine loads, even where scope enforcement is lax.
 */
export function readModelChoice(bundledModelPath: string | undefined): ModelChoice {
  const c = vscode.workspace.getConfiguration(SECTION);
  const userValue = (key: string): string | undefined => {
    const v = c.inspect<string>(key);
    return (v?.globalValue || v?.defaultValue || '').trim() || undefined;
  };
  return {
    modelPath: userValue('modelPath') ?? bundledModelPath,
    draftModelPath: userValue('draftModelPath'),
    contextSize: c.get('contextSize', 2048),
    threads: chooseThreads(c.get('threads', 0)),
    gpu: c.get<'auto' | 'off'>('gpu', 'off'),
    speculation: c.get<'auto' | 'off'>('speculativeDecoding', 'auto'),
  };
}

export async function setUserSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update(key, value, vscode.ConfigurationTarget.Global);
}
