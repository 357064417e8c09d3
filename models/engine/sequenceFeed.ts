/**
 * Evaluating a prompt into a sequence in small chunks, so that a cancelled request stops within
 * one chunk instead of after the whole prompt (the target's prompt in fimEngine.ts, a new prompt
 * reaching the draft in tokenGuessers.ts).
 */
import type { LlamaContextSequence, Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };

/** One evaluation's size and duration (the thread governor compares them across thread counts). */
export type OnEvaluated = (tokens: number, ms: number) => void;

/**
 * Evaluates `tokens` from the sequence's next token index on (what its cache does not hold yet),
 * `chunk` tokens at a time (a number, or a size for what is left). Returns false when the signal
 * stopped it between chunks.
 */
export async function feedInChunks(sequence: LlamaContextSequence, tokens: readonly Token[], chunk: number | ((left: number) => number),
  signal: AbortSignal, onChunk?: OnEvaluated): Promise<boolean> {
  for (let i = sequence.nextTokenIndex; i < tokens.length;) {
    if (signal.aborted) return false;
    const size = Math.max(1, typeof chunk === 'number' ? chunk : chunk(tokens.length - i));
    const started = performance.now();
    await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(i, i + size) as Token[]);
    onChunk?.(Math.min(size, tokens.length - i), performance.now() - started);
    i += size;
  }
  return true;
}

/** Evaluations of comparable cost share a kind: sizes rounded down to a power of two. */
export function evaluationKind(what: 'prompt' | 'step', tokens: number): string {
  return `${what}${2 ** Math.floor(Math.log2(Math.max(1, tokens)))}`;
}
