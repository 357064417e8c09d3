/**
 * What the extension remembers about model files across restarts (in its global state, not in
 * settings): the draft that was paired automatically with each model, and display names for
 * files named only by a hash (Ollama blobs). Loaded once at activation, before the first read.
 */
import type * as vscode from 'vscode';
import { allModelDisplayNames, setModelDisplayName } from '../models/engine/modelNames';

const PAIRED_KEY = 'pairedDrafts';
const NAMES_KEY = 'modelDisplayNames';

let state: vscode.Memento | undefined;

export function loadModelMemory(globalState: vscode.Memento): void {
  state = globalState;
  for (const [file, name] of Object.entries(globalState.get<Record<string, string>>(NAMES_KEY, {}))) setModelDisplayName(file, name);
}

/** The automatically paired draft for a model, if one was paired. */
export function pairedDraftFor(modelPath: string): string | undefined {
  return state?.get<Record<string, string>>(PAIRED_KEY, {})[modelPath];
}

export async function rememberPairedDraft(modelPath: string, draftPath: string | undefined): Promise<void> {
  if (!state) return;
  const all = { ...state.get<Record<string, string>>(PAIRED_KEY, {}) };
  if (draftPath) all[modelPath] = draftPath;
  else delete all[modelPath];
  await state.update(PAIRED_KEY, all);
}

export async function rememberDisplayName(modelPath: string, name: string): Promise<void> {
  setModelDisplayName(modelPath, name);
  await state?.update(NAMES_KEY, allModelDisplayNames());
}
