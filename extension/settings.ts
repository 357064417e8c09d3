/** Typed view of the extension's settings (package.json `contributes.configuration`). */
import * as vscode from 'vscode';
import type { PipelineSettings } from '../completion/completionPipeline';
import type { ModelChoice } from '../models/engine/modelSession';
import { chooseMaxThreads, chooseThreads } from '../models/engine/threads';
import { bundledDraftBeside } from '../models/library/modelLocations';
import * as fs from 'node:fs';
import { measuredSlower, pairedDraftFor } from './modelMemory';
import { boundSettings, existingFolders } from './settingsBounds';

export const SECTION = 'localCompletion';

export interface Settings extends PipelineSettings {
  enabled: boolean;
  disabledLanguages: string[];
  debounceMs: number;
  idleUnloadMinutes: number;
  /** `auto` or a number (completion/confidenceThresholds.ts turns it into gate thresholds). */
  minConfidence: 'auto' | number;
  /** The engine watchdog's bound (0: off). */
  engineTimeoutSeconds: number;
}

const reported = new Set<string>();
let reporter: ((problem: string) => void) | undefined;

/** Where a nonsense setting is said (the log and a warning), once per distinct problem. */
export function reportSettingsProblemsTo(report: (problem: string) => void): void {
  reporter = report;
}

function reportProblems(problems: readonly string[]): void {
  for (const p of problems) {
    if (reported.has(p)) continue;
    reported.add(p);
    reporter?.(p);
  }
}

/** The numbers, clamped to sane values (settingsBounds.ts), the problems reported. */
function boundedNumbers(c: vscode.WorkspaceConfiguration) {
  const keys = ['maxTokens', 'prefixTokens', 'suffixTokens', 'debounceMs', 'deadlineMs', 'idleUnloadMinutes', 'engineTimeoutSeconds', 'contextSize', 'threads'] as const;
  const { values, problems } = boundSettings(Object.fromEntries(keys.map((k) => [k, c.get<unknown>(k)])));
  reportProblems(problems);
  return values;
}

export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const n = boundedNumbers(c);
  const languages = c.get<unknown>('disabledLanguages', []);
  return {
    enabled: c.get<unknown>('enabled', true) !== false,
    disabledLanguages: Array.isArray(languages) ? languages.filter((l): l is string => typeof l === 'string') : [],
    debounceMs: n.debounceMs,
    idleUnloadMinutes: n.idleUnloadMinutes,
    engineTimeoutSeconds: n.engineTimeoutSeconds,
    maxTokens: n.maxTokens,
    multiline: c.get<unknown>('multiline', true) !== false,
    prefixTokens: n.prefixTokens,
    suffixTokens: n.suffixTokens,
    deadlineMs: n.deadlineMs,
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
  const n = boundedNumbers(c);
  return {
    modelPath,
    draftModelPath: userValue('draftModelPath') ?? autoDraft(modelPath, bundledModelPath),
    contextSize: n.contextSize,
    threads: chooseThreads(n.threads),
    maxThreads: chooseMaxThreads(n.threads),
    gpu: c.get<'auto' | 'off'>('gpu', 'auto'),
    speculation: c.get<'auto' | 'off'>('speculativeDecoding', 'auto'),
  };
}

/**
 * With no draft set by hand, the one paired when the model was chosen (or the draft packaged next
 * to the bundled model), unless automatic pairing is off or the pair was measured slower.
 */
function autoDraft(modelPath: string | undefined, bundledModelPath: string | undefined): string | undefined {
  const draft = automaticDraftFor(modelPath, bundledModelPath);
  return draft && !measuredSlower(modelPath!, draft) ? draft : undefined;
}

/** The draft automatic pairing would use, before the speed verdict (the status says why it is not). */
export function automaticDraftFor(modelPath: string | undefined, bundledModelPath: string | undefined): string | undefined {
  if (!modelPath || !vscode.workspace.getConfiguration(SECTION).get('autoPairDraft', true)) return undefined;
  return pairedDraftFor(modelPath) ?? (modelPath === bundledModelPath ? bundledDraftBeside(modelPath) : undefined);
}

/** Extra folders to look for GGUF files in (machine scope: user values only, like the model paths). */
export function readModelFolders(): string[] {
  const v = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('modelFolders');
  const listed = Array.isArray(v?.globalValue) ? v.globalValue : [];
  const { values, problems } = existingFolders(listed, (f) => fs.statSync(f, { throwIfNoEntry: false })?.isDirectory() ?? false);
  reportProblems(problems);
  return values;
}

export async function setUserSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update(key, value, vscode.ConfigurationTarget.Global);
}
