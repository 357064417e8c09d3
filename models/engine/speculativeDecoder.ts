/**
 * Greedy decoding with speculation, run by us rather than by node-llama-cpp's TokenPredictor:
 * in node-llama-cpp 3.22.1 the sequence's predictor loop validates at most one guess per batch
 * (its `validatedTokens` list is never filled, so every later guess is "refuted" and erased), which
 * made even a perfect predictor ~1.0x. Here each step evaluates the last token plus k guesses in
 * one batch (`controlledEvaluate`), keeps the guesses the target agrees with, and erases the rest
 * from the KV cache. The output is plain greedy decoding's, except at near-ties: llama.cpp rounds a
 * batched evaluation slightly differently from a single-token one, so two candidates closer than
 * that can swap (0 of 300 held-out lines with the bundled model; 14 of 300 with a 3-minute model
 * whose predictions are nearly flat). Only the number of steps drops.
 */
import type { LlamaContextSequence, Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };
import type { TokenGuesser } from './tokenGuessers';
import { mostLikely, TOP_CHOICES } from './topChoices';

export interface DecodeOptions {
  /** Guesses per step (the batch is 1 + this). */
  maxGuesses: number;
  /** Stop guessing for the rest of the request after this many useless steps in a row. */
  patience: number;
  /** Each step's batch size and milliseconds (the thread governor's samples). */
  onStep?: (tokens: number, ms: number) => void;
}

export const DEFAULT_DECODE: DecodeOptions = { maxGuesses: 6, patience: 2 };


export interface DecodeStats { steps: number; proposed: number; accepted: number }

/**
 * Feeds `first` (not yet in the sequence) and generates greedily. `onToken` gets every new token
 * in order with its probability (from the same logits the token was picked from, see TOP_CHOICES)
 * and returns false to stop. `history` is the prompt as evaluated so far (guessers read it).
 * `onFirstChoices` gets the whole next-token distribution after `first` (for alternatives).
 */
export async function decodeGreedy(
  sequence: LlamaContextSequence,
  history: Token[],
  first: Token,
  guesser: TokenGuesser | undefined,
  signal: AbortSignal,
  onToken: (token: Token, probability: number) => boolean,
  options: DecodeOptions = DEFAULT_DECODE,
  onFirstChoices?: (probabilities: Map<Token, number>) => void,
): Promise<DecodeStats> {
  const stats: DecodeStats = { steps: 0, proposed: 0, accepted: 0 };
  const tokens = [...history];
  let input = first;
  let misses = 0;
  for (;;) {
    if (signal.aborted) return stats;
    tokens.push(input);
    const ask = guesser && misses < options.patience;
    // Guesses never push the sequence past its context (that would shift the cache for nothing).
    const room = Math.min(options.maxGuesses, sequence.context.contextSize - sequence.nextTokenIndex - 2);
    const guesses = ask && room > 0 ? (await guesser.guess(tokens, room, signal)).slice(0, room) : [];
    if (signal.aborted) return stats;
    const batch = [input, ...guesses];
    const start = sequence.nextTokenIndex;
    const stepStarted = performance.now();
    const results = await sequence.controlledEvaluate(batch.map((t) => [t, { generateNext: TOP_CHOICES }] as const));
    options.onStep?.(batch.length, performance.now() - stepStarted);
    if (onFirstChoices && stats.steps === 0 && results[0]?.next.probabilities) onFirstChoices(results[0].next.probabilities);
    stats.steps++;
    // out[j] is the target's next token after batch[j]; guess j+1 stands while it equals out[j].
    const out: Token[] = [];
    const probs: number[] = [];
    for (let j = 0; j < batch.length; j++) {
      const best = mostLikely(results[j]?.next.probabilities);
      if (!best) break;
      const next = best[0];
      out.push(next);
      probs.push(best[1]);
      if (j + 1 >= batch.length || batch[j + 1] !== next) break;
    }
    if (!out.length) throw new Error('the model produced no token');
    const accepted = out.length - 1;
    stats.proposed += guesses.length;
    stats.accepted += accepted;
    // A miss: refuted guesses (a bigger batch for nothing) or a costly guesser that had none.
    if (accepted) misses = 0;
    else if (guesses.length || !guesser?.free) misses++;
    // Drop the refuted guesses from the KV cache: what stays is input + accepted guesses.
    const keep = start + 1 + accepted;
    if (keep < sequence.nextTokenIndex) await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
    tokens.push(...guesses.slice(0, accepted));
    for (const [j, token] of out.entries()) {
      if (onToken(token, probs[j])) continue;
      // Stopped early: keep the cache to what was consumed (input + the guesses before token j).
      if (start + 1 + j < sequence.nextTokenIndex) await sequence.eraseContextTokenRanges([{ start: start + 1 + j, end: sequence.nextTokenIndex }]);
      return stats;
    }
    input = out[out.length - 1];
  }
}
