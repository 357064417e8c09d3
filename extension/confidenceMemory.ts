/**
 * Confidence thresholds calibrated per model file by "Evaluate Models on This Workspace", kept in
 * the extension's global state (they describe a model on this user's code, not a setting to sync).
 */
import type * as vscode from 'vscode';
import type { GateThresholds } from '../completion/confidenceGate';
import { gateThresholds } from '../completion/confidenceThresholds';
import { readSettings, type Settings } from './settings';

const KEY = 'calibratedMinConfidence';
let state: vscode.Memento | undefined;

export function loadConfidenceMemory(globalState: vscode.Memento): void {
  state = globalState;
}

export function calibratedConfidence(modelPath: string | undefined): number | undefined {
  return modelPath ? state?.get<Record<string, number>>(KEY, {})[modelPath] : undefined;
}

export async function rememberCalibratedConfidence(modelPath: string, threshold: number): Promise<void> {
  if (!state) return;
  await state.update(KEY, { ...state.get<Record<string, number>>(KEY, {}), [modelPath]: threshold });
}

/** The settings for a completion in `scope` with the gate thresholds of the model at `modelPath`. */
export function gatedSettings(scope: vscode.ConfigurationScope | undefined, modelPath: string | undefined): Settings & { confidence?: GateThresholds } {
  const read = readSettings(scope);
  return { ...read, confidence: gateThresholds(read.minConfidence, calibratedConfidence(modelPath), modelPath) };
}
