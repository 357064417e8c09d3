/**
 * Two KV-cache sequences of one context: the foreground, which keystrokes continue, and a spare
 * for idle warm-ups that would overwrite it. A growth of the prompt (completion/jumpStages.ts: the
 * full window, this place's snippets) differs from what the foreground holds near the start of
 * the prompt; evaluated there, a keystroke that interrupts it would have to evaluate the smaller
 * prompt again (hundreds of tokens). On the spare, the interrupted growth costs the keystroke
 * nothing, keeps what it evaluated so far (the next rest resumes it), and once complete becomes
 * the foreground. Each sequence has its own contextSize of KV cells (node-llama-cpp), so the
 * context's cache memory doubles: ~25 MB for a 0.5B model at 2,048 tokens.
 */
import type { LlamaContextSequence, Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };

/** Prompt tokens at its end that a warm-up of the same place may change (the typed part, re-tokenized). */
const SAME_PLACE_TAIL = 4;

export class SequencePair {
  /** The length of the last prompt each sequence was asked to hold. */
  private readonly prompted = new Map<LlamaContextSequence, number>();

  constructor(private front: LlamaContextSequence, private spare: LlamaContextSequence | undefined) {}

  get foreground(): LlamaContextSequence {
    return this.front;
  }

  get all(): LlamaContextSequence[] {
    return this.spare ? [this.front, this.spare] : [this.front];
  }

  /**
   * Where a request runs: requests for a suggestion on the foreground; a warm-up there too when
   * it keeps the foreground's last prompt but for its last few tokens (the same place, typed on:
   * in either FIM order only the end changes), else on the spare.
   */
  pick(tokens: readonly Token[], warmOnly: boolean): LlamaContextSequence {
    const keeps = () => commonPrefix(this.front.contextTokens, tokens) >= (this.prompted.get(this.front) ?? 0) - SAME_PLACE_TAIL;
    const sequence = !warmOnly || !this.spare || keeps() ? this.front : this.spare;
    this.prompted.set(sequence, tokens.length);
    return sequence;
  }

  /** A warm-up completed on `sequence`: the next requests continue its prompt. */
  completed(sequence: LlamaContextSequence): void {
    if (sequence === this.spare) [this.front, this.spare] = [this.spare, this.front];
  }
}

function commonPrefix(a: readonly Token[], b: readonly Token[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}
