/**
 * What the extension remembers about model files across restarts (in its global state, not in
 * settings): the draft that was paired automatically with each model, and display names for
 * files named only by a hash (Ollama blobs), and draft/model pairs the engine measured slower than
 * the model alone. Loaded once at activation, before the first read.
 */
import type * as vscode from 'vscode';
import type { SpeculationSpeed } from '../models/engine/engineProtocol';
import { allModelDisplayNames, setModelDisplayName } from '../models/engine/modelNames';
import { modelLabel } from '../models/engine/modelFileFacts';
import { slowerReason } from '../models/library/draftPairing';

const PAIRED_KEY = 'pairedDrafts';
const NAMES_KEY = 'modelDisplayNames';
const SLOWER_KEY = 'slowerDrafts';

type Measured = Pick<SpeculationSpeed, 'msPerTokenOn' | 'msPerTokenOff'>;

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

/** The measured speeds of a draft/model pair found slower than the model alone, if it was. */
export function measuredSlower(modelPath: string, draftPath: string): Measured | undefined {
  return state?.get<Record<string, Record<string, Measured>>>(SLOWER_KEY, {})[modelPath]?.[draftPath];
}

/** Drafts measured slower with this model -> why (draftPairing.pickDraft's `measuredSlower`). */
export function slowerDrafts(modelPath: string): Map<string, string> {
  const pairs = state?.get<Record<string, Record<string, Measured>>>(SLOWER_KEY, {})[modelPath] ?? {};
  return new Map(Object.entries(pairs).map(([draft, speed]) => [draft, slowerReason(modelLabel(draft), speed)]));
}

/** The engine's verdict on a pair: a slower one is remembered, a faster one forgotten (re-measured). */
export async function rememberDraftSpeed(modelPath: string, draftPath: string, speed: SpeculationSpeed): Promise<void> {
  if (!state) return;
  const all = { ...state.get<Record<string, Record<string, Measured>>>(SLOWER_KEY, {}) };
  const pairs = { ...all[modelPath] };
  if (speed.slower) pairs[draftPath] = { msPerTokenOn: speed.msPerTokenOn, msPerTokenOff: speed.msPerTokenOff };
  else delete pairs[draftPath];
  if (Object.keys(pairs).length) all[modelPath] = pairs;
  else delete all[modelPath];
  await state.update(SLOWER_KEY, all);
}
