/** Typed view of the extension's settings (package.json `contributes.configuration`). */
import * as vscode from 'vscode';
import type { PipelineSettings } from '../completion/completionPipeline';
import type { ModelChoice } from '../models/engine/modelSession';
import { chooseThreads } from '../models/engine/threads';
import { bundledDraftBeside } from '../models/library/modelLocations';
import { pairedDraftFor } from './modelMemory';

export const SECTION = 'localCompletion';

export interface Settings extends PipelineSettings {
  enabled: boolean;
  disabledLanguages: string[];
  debounceMs: number;
  idleUnloadMinutes: number;
  /** `auto` or a number (completion/confidenceThresholds.ts turns it into gate thresholds). */
  minConfidence: 'auto' | number;
}

export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    enabled: c.get('enabled', true),
    disabledLanguages: c.get<string[]>('disabledLanguages', []),
    debounceMs: c.get('debounceMs', 40),
    idleUnloadMinutes: c.get('idleUnloadMinutes', 15),
    maxTokens: c.get('maxTokens', 64),
    multiline: c.get('multiline', true),
    prefixTokens: c.get('prefixTokens', 768),
    suffixTokens: c.get('suffixTokens', 32),
    deadlineMs: c.get('deadlineMs', 100),
    minConfidence: readMinConfidence(c.get<unknown>('minConfidence', 'auto')),
  };
}

function readMinConfidence(value: unknown): 'auto' | number {
  const n = typeof value === 'string' && value.trim() !== 'auto' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : 'auto';
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
  const modelPath = userValue('modelPath') ?? bundledModelPath;
  return {
    modelPath,
    draftModelPath: userValue('draftModelPath') ?? autoDraft(modelPath, bundledModelPath),
    contextSize: c.get('contextSize', 2048),
    threads: chooseThreads(c.get('threads', 0)),
    gpu: c.get<'auto' | 'off'>('gpu', 'auto'),
    speculation: c.get<'auto' | 'off'>('speculativeDecoding', 'auto'),
  };
}

/**
 * With no draft set by hand, the one paired when the model was chosen (or the draft packaged next
 * to the bundled model), unless automatic pairing is off.
 */
function autoDraft(modelPath: string | undefined, bundledModelPath: string | undefined): string | undefined {
  if (!modelPath || !vscode.workspace.getConfiguration(SECTION).get('autoPairDraft', true)) return undefined;
  return pairedDraftFor(modelPath) ?? (modelPath === bundledModelPath ? bundledDraftBeside(modelPath) : undefined);
}

/** Extra folders to look for GGUF files in (machine scope: user values only, like the model paths). */
export function readModelFolders(): string[] {
  const v = vscode.workspace.getConfiguration(SECTION).inspect<string[]>('modelFolders');
  return (v?.globalValue ?? []).filter((f): f is string => typeof f === 'string' && f.trim() !== '');
}

export async function setUserSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update(key, value, vscode.ConfigurationTarget.Global);
}
