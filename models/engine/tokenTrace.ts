/**
 * How sure the model was of each token it wrote, for the host's confidence gate: the probability
 * the decode loop read for every generated token and where each token ends in the text, cut with
 * the text (a token that straddles the cut ends at the cut). Plain JSON: it travels over IPC.
 */

export interface TokenTrace {
  /** Probability of each generated token, in order. */
  probs: number[];
  /** Character offset in the completion's text where each token ends (non-decreasing). */
  ends: number[];
}

export interface ConfidenceSummary {
  /** Probability of the first token. */
  first: number;
  min: number;
  /** Mean natural log-probability per token. */
  meanLogProb: number;
}

export class TraceBuilder {
  private readonly probs: number[] = [];
  private readonly ends: number[] = [];

  push(probability: number, textLength: number): void {
    this.probs.push(probability);
    this.ends.push(textLength);
  }

  /** The trace of the first `length` characters: tokens that start before it, the last ending at it. */
  cut(length: number): TokenTrace {
    const probs: number[] = [];
    const ends: number[] = [];
    for (let i = 0; i < this.probs.length; i++) {
      const start = i ? this.ends[i - 1] : 0;
      if (start >= length && i > 0) break;
      probs.push(this.probs[i]);
      ends.push(Math.min(this.ends[i], length));
    }
    return { probs, ends };
  }
}

export function summarizeTrace(trace: TokenTrace): ConfidenceSummary | undefined {
  if (!trace.probs.length) return undefined;
  return {
    first: trace.probs[0],
    min: Math.min(...trace.probs),
    meanLogProb: trace.probs.reduce((t, p) => t + Math.log(Math.max(p, 1e-12)), 0) / trace.probs.length,
  };
}
