/**
 * The engine measures speculation against plain decoding (adaptivePredictor.ts) and turns a slower
 * guesser off for the rest of its run; this keeps that verdict for the draft/model pair (global
 * state, modelMemory.ts), so that automatic pairing skips the pair from then on, and says so.
 */
import type * as vscode from 'vscode';
import type { EngineClient } from '../models/engine/engineClient';
import type { ModelInfo } from '../models/engine/engineProtocol';
import { modelLabel } from '../models/engine/modelFileFacts';
import { slowerReason } from '../models/library/draftPairing';
import { measuredSlower, rememberDraftSpeed } from './modelMemory';

export function watchDraftSpeed(engine: EngineClient, log: vscode.LogOutputChannel): void {
  let last = '';
  engine.on('state', () => {
    const info = engine.modelInfo;
    const speed = info?.speculationSpeed;
    if (!info?.draft || info.speculation !== 'draft' || !speed) return;
    const key = `${info.path}\n${info.draft.path}\n${speed.slower}`;
    if (key === last) return;
    last = key;
    void rememberDraftSpeed(info.path, info.draft.path, speed);
    if (speed.slower) log.warn(`${slowerReason(modelLabel(info.draft.path), speed)} (it stays off for this run; with ${info.name})`);
    else log.info(`draft ${modelLabel(info.draft.path)} speeds ${info.name} up (${speed.msPerTokenOn} ms per token with it, ${speed.msPerTokenOff} without)`);
  });
}

/** One status line about the draft, when there is something to say. */
export function describeDraftSpeed(info: ModelInfo | undefined, modelPath: string | undefined, autoDraft: string | undefined): string | undefined {
  if (info?.draft && info.speculationSpeed) {
    const s = info.speculationSpeed;
    return `Draft: ${info.draft.name}, ${s.msPerTokenOn} ms per token with it, ${s.msPerTokenOff} without${s.slower ? ' (slower: off)' : ''}`;
  }
  const skipped = modelPath && autoDraft && measuredSlower(modelPath, autoDraft);
  return skipped ? `Draft: none (${slowerReason(modelLabel(autoDraft), skipped)})` : undefined;
}
