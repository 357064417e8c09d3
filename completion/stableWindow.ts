/**
 * Keeps the start of the prefix window where it was while the user types, so the engine's KV
 * cache stays valid: a window that slid one line per keystroke would change the first prompt token
 * and force the whole prompt (seconds on a CPU) to be evaluated again. The start is kept while the
 * window stays within `slack` times its budget; then it jumps ahead far enough to last a while.
 * At a new place the window can start small (the nearest lines: a short first prompt) and grow:
 * its start is kept while the user types below it, and an idle warm-up asks for the full window.
 */
import { LRUCache } from 'lru-cache';
import { CHARS_PER_TOKEN } from '../context/promptWindows';

/** Characters that identify a window start (long enough to be unique in practice). */
const ANCHOR_CHARS = 160;
const MAX_DOCUMENTS = 32;

/** Time to the first suggestion at a new place (completion/completionPipeline.ts). */
export interface JumpOptions {
  /** The window for a new place: a small one, quick to evaluate, that grows as the user types. */
  small?: string;
  /** Keep the previous start only if its window has at least this many characters (to grow it). */
  atLeast?: number;
}

export class StableWindows {
  // Recency is the last window chosen (reads peek), as in JumpStages.
  private readonly anchors = new LRUCache<string, string>({ max: MAX_DOCUMENTS });

  constructor(private readonly slack = 1.35) {}

  /**
   * The window to use: `proposed` (a suffix of `fullPrefix` chosen by the planner) or, when the
   * previous window start is still in `fullPrefix` and not too far back, the text from there on.
   */
  choose(documentKey: string, fullPrefix: string, proposed: string, budgetTokens: number, jump?: JumpOptions): string {
    const anchor = this.anchors.peek(documentKey);
    const limit = this.limitChars(budgetTokens);
    const at = anchor ? fullPrefix.lastIndexOf(anchor) : -1;
    const least = Math.min(proposed.length, jump?.atLeast ?? jump?.small?.length ?? proposed.length);
    if (at >= 0 && fullPrefix.length - at <= limit && fullPrefix.length - at >= least) return fullPrefix.slice(at);
    // A new place (the window start is gone: a jump, another document) starts with the small
    // window when one is offered; the same place outgrowing its window takes the full one.
    const window = at < 0 && jump?.small !== undefined ? jump.small : proposed;
    this.adopt(documentKey, window);
    return window;
  }

  /** How far back a window's start may be before it moves (characters). */
  limitChars(budgetTokens: number): number {
    return budgetTokens * CHARS_PER_TOKEN * this.slack;
  }

  /**
   * For an idle warm-up: keep the held start only if its window is at least 3/4 of `proposed`,
   * else take the full one (a window that came out short grows).
   */
  static growing(proposed: string): JumpOptions {
    return { atLeast: Math.floor(proposed.length * 0.75) };
  }

  /** How many tokens the engine may keep from a window chosen here (its exact cap). */
  engineCap(budgetTokens: number): number {
    return Math.ceil(budgetTokens * this.slack * 1.1);
  }

  /** Hold this window from now on (a bigger one, once the engine has it in its KV cache). */
  adopt(documentKey: string, window: string): void {
    // Short windows (top of a file) start at the document start: nothing to anchor.
    if (window.length < ANCHOR_CHARS) { this.anchors.delete(documentKey); return; }
    this.anchors.set(documentKey, window.slice(0, ANCHOR_CHARS));
  }
}
