/**
 * Where speculative guesses come from: a small draft model with the target's vocabulary, or the
 * prompt itself (code repeats its own identifiers and lines: prompt lookup, nearly free).
 */
import type { LlamaContextSequence, Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };
import { feedInChunks } from './sequenceFeed';
import { mostLikely, TOP_CHOICES } from './topChoices';

export interface TokenGuesser {
  /** Asking costs nothing (a step where it has no guess is not a miss; refuted guesses still are). */
  readonly free?: boolean;
  /** Up to `max` guesses for the tokens that follow `tokens` (the whole history, last one included). */
  guess(tokens: readonly Token[], max: number, signal: AbortSignal): Promise<Token[]> | Token[];
}

/** Proposes what followed the latest earlier occurrence of the last few tokens. */
export class LookupGuesser implements TokenGuesser {
  readonly free = true;

  constructor(private readonly longestNgram = 4, private readonly shortestNgram = 2, private readonly window = 4096) {}

  guess(tokens: readonly Token[], max: number): Token[] {
    const end = tokens.length;
    const from = Math.max(0, end - this.window);
    for (let n = Math.min(this.longestNgram, end - 1); n >= this.shortestNgram; n--) {
      // Latest earlier occurrence of tokens[end-n .. end) that has something after it.
      for (let at = end - n - 1; at >= from; at--) {
        let same = true;
        for (let k = 0; k < n && same; k++) same = tokens[at + k] === tokens[end - n + k];
        if (same) return tokens.slice(at + n, Math.min(at + n + max, end)) as Token[];
      }
    }
    return [];
  }
}

const DRAFT_CHUNK = 64;

/** Greedy guesses from a draft model's own sequence, kept in step with the target's history. */
export class DraftGuesser implements TokenGuesser {
  /**
   * @param minConfidence stop at the first guess the draft itself is less sure of (a draft that
   * is never sure costs one draft step per target step, not a batch of refuted guesses).
   */
  constructor(private readonly sequence: LlamaContextSequence, private readonly minConfidence = 0.5) {}

  async guess(tokens: readonly Token[], max: number, signal: AbortSignal): Promise<Token[]> {
    // Keep the common prefix; always re-feed at least the last token to get a prediction after it.
    const head = tokens.slice(0, -1) as Token[];
    await this.sequence.adaptStateToTokens(head, false);
    // A new prompt reaches the draft here: read it in chunks so that a keystroke can stop it.
    if (!(await feedInChunks(this.sequence, head, DRAFT_CHUNK, signal))) return [];
    const guesses: Token[] = [];
    // One token per evaluation with a top-k distribution, as the target's loop reads it: asking
    // for `confidence` sorts the whole vocabulary per token (30-45 % of a step, bench/gate).
    let input = tokens[tokens.length - 1];
    while (!signal.aborted && guesses.length < max) {
      const [result] = await this.sequence.controlledEvaluate([[input, { generateNext: TOP_CHOICES }]]);
      const best = mostLikely(result?.next.probabilities);
      if (!best || best[1] < this.minConfidence) break;
      guesses.push(best[0]);
      input = best[0];
    }
    return guesses;
  }
}
