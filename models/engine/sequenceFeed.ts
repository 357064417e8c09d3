/**
 * Evaluating a prompt into a sequence in small chunks, so that a cancelled request stops within
 * one chunk instead of after the whole prompt (the target's prompt in fimEngine.ts, a new prompt
 * reaching the draft in tokenGuessers.ts).
 */
import type { LlamaContextSequence, Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };

/**
 * Evaluates `tokens` from the sequence's next token index on (what its cache does not hold yet),
 * `chunk` tokens at a time. Returns false when the signal stopped it between chunks.
 */
export async function feedInChunks(sequence: LlamaContextSequence, tokens: readonly Token[], chunk: number, signal: AbortSignal): Promise<boolean> {
  for (let i = sequence.nextTokenIndex; i < tokens.length; i += chunk) {
    if (signal.aborted) return false;
    await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(i, i + chunk) as Token[]);
  }
  return true;
}
