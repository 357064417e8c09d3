/**
 * Speculative draft pairing: which smaller model may guess tokens for the target. A draft is
 * only useful when it speaks the target's exact token language (same tokens, merges and
 * pre-tokenizer, so the same text gives the same ids; same FIM and end-of-text tokens) and is
 * clearly cheaper to run. Decided from GGUF headers alone, before anything loads; the engine still
 * double-checks by tokenizing a sample once both are loaded.
 */
import type { ModelFileFacts } from '../engine/modelFileFacts';

/** A draft must be at most this fraction of the target's size, or drafting costs more than it saves. */
export const MAX_DRAFT_SIZE_RATIO = 0.6;

export type DraftFacts = Pick<ModelFileFacts, 'path' | 'name' | 'sizeBytes' | 'vocabSize' | 'fimTokenIds' | 'tokenizer'>;

/** Why `draft` cannot draft for `target`, in words for the user; undefined when it can. */
export function draftRefusal(target: DraftFacts, draft: DraftFacts): string | undefined {
  if (draft.path === target.path) return `${draft.name} is the model itself`;
  if (draft.tokenizer.model !== target.tokenizer.model) {
    return `${draft.name} uses a different tokenizer (${draft.tokenizer.model}, the model uses ${target.tokenizer.model})`;
  }
  if (draft.vocabSize !== target.vocabSize) {
    return `${draft.name} has a different vocabulary (${draft.vocabSize} tokens, the model has ${target.vocabSize})`;
  }
  if (draft.tokenizer.fingerprint !== target.tokenizer.fingerprint) {
    return `${draft.name} has a different vocabulary (same size, but other tokens or merges), so the same code becomes different tokens`;
  }
  const a = target.fimTokenIds;
  const b = draft.fimTokenIds;
  if (a.prefix !== b.prefix || a.suffix !== b.suffix || a.middle !== b.middle) {
    return `${draft.name} has different fill-in-the-middle tokens (${ids(b)}, the model has ${ids(a)})`;
  }
  if (draft.tokenizer.eosTokenId !== target.tokenizer.eosTokenId) {
    return `${draft.name} ends text with a different token (${draft.tokenizer.eosTokenId}, the model uses ${target.tokenizer.eosTokenId})`;
  }
  if (draft.sizeBytes > target.sizeBytes * MAX_DRAFT_SIZE_RATIO) {
    return `${draft.name} is not much smaller than the model (${mb(draft.sizeBytes)} vs ${mb(target.sizeBytes)}), so drafting would slow completions down`;
  }
  return undefined;
}

export interface DraftChoice<T extends DraftFacts> {
  draft?: T;
  /** Every other candidate with the reason it was not taken. */
  refused: { candidate: T; reason: string }[];
}

/**
 * The best draft among candidates: the smallest compatible one (cheapest guess per token), leaving
 * out those measured slower with this target (`measuredSlower`: draft path -> why, from the host's
 * memory of the engine's speed verdicts).
 */
export function pickDraft<T extends DraftFacts>(target: DraftFacts, candidates: readonly T[],
  measuredSlower: ReadonlyMap<string, string> = new Map()): DraftChoice<T> {
  const refused: DraftChoice<T>['refused'] = [];
  const usable: T[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.path)) continue;
    seen.add(c.path);
    const reason = draftRefusal(target, c) ?? measuredSlower.get(c.path);
    if (reason) refused.push({ candidate: c, reason });
    else usable.push(c);
  }
  usable.sort((x, y) => x.sizeBytes - y.sizeBytes || x.path.localeCompare(y.path));
  return { draft: usable[0], refused };
}

/** The reason for a pair measured slower, in words for the user. */
export function slowerReason(draftName: string, speed: { msPerTokenOn: number; msPerTokenOff: number }): string {
  return `${draftName} made this model slower when measured (${speed.msPerTokenOn} ms per token with it, ${speed.msPerTokenOff} without), so it is not paired automatically`;
}

function ids(t: DraftFacts['fimTokenIds']): string {
  return `${t.prefix ?? '-'}/${t.suffix ?? '-'}/${t.middle ?? '-'}`;
}

function mb(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(1)} GB` : `${Math.round(n / 1e6)} MB`;
}
