/**
 * How fast the backend reads a prompt, from what its requests report (tokens evaluated and the
 * milliseconds that took). A staged jump prompt (jumpStages.ts) pays for itself only where a whole
 * prompt is slow to read; on a fast GPU the whole one is read before the user notices, and its
 * first suggestion is better (bench/layout: the 64-token first prompt costs ~5 % edit similarity).
 */
import { CHARS_PER_TOKEN } from '../context/promptWindows';
import type { FimRequest } from '../models/engine/engineProtocol';

/** A whole prompt the backend reads faster than this is sent whole at a new place too. */
export const STAGE_ABOVE_MS = 200;
/** Evaluations shorter than this are mostly fixed costs: they say little about the rate. */
const MIN_TOKENS = 32;
/** Weight of the newest measurement (a moving average: load and thread count change). */
const WEIGHT = 0.3;

export class PromptRate {
  private msPerToken?: number;

  record(evaluatedTokens: number, promptMs: number): void {
    if (!(evaluatedTokens >= MIN_TOKENS) || !(promptMs > 0)) return;
    const rate = promptMs / evaluatedTokens;
    this.msPerToken = this.msPerToken === undefined ? rate : this.msPerToken + WEIGHT * (rate - this.msPerToken);
  }

  /** Milliseconds to read `tokens`, or undefined before any measurement. */
  estimateMs(tokens: number): number | undefined {
    return this.msPerToken === undefined ? undefined : this.msPerToken * tokens;
  }

  /** Whether reading this whole prompt takes STAGE_ABOVE_MS or more (so, before any measurement). */
  slowFor(request: FimRequest): boolean {
    const chars = request.prefix.length + request.suffix.length + (request.context ?? []).reduce((n, c) => n + c.text.length + c.path.length, 0);
    const ms = this.estimateMs(chars / CHARS_PER_TOKEN);
    return ms === undefined || ms >= STAGE_ABOVE_MS;
  }

  clear(): void {
    this.msPerToken = undefined;
  }
}
