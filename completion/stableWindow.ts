/**
 * Keeps the start of the prefix window where it was while the user types, so the engine's KV
 * cache stays valid: a window that slid one line per keystroke would change the first prompt token
 * and force the whole prompt (seconds on a CPU) to be evaluated again. The start is kept while the
 * window stays within `slack` times its budget; then it jumps ahead far enough to last a while.
 */
import { CHARS_PER_TOKEN } from '../context/promptWindows';

/** Characters that identify a window start (long enough to be unique in practice). */
const ANCHOR_CHARS = 160;
const MAX_DOCUMENTS = 32;

export class StableWindows {
  private readonly anchors = new Map<string, string>();

  constructor(private readonly slack = 1.35) {}

  /**
   * The window to use: `proposed` (a suffix of `fullPrefix` chosen by the planner) or, when the
   * previous window start is still in `fullPrefix` and not too far back, the text from there on.
   */
  choose(documentKey: string, fullPrefix: string, proposed: string, budgetTokens: number): string {
    const anchor = this.anchors.get(documentKey);
    const limit = budgetTokens * CHARS_PER_TOKEN * this.slack;
    if (anchor) {
      const at = fullPrefix.lastIndexOf(anchor);
      if (at >= 0 && fullPrefix.length - at <= limit && fullPrefix.length - at >= proposed.length) {
        return fullPrefix.slice(at);
      }
    }
    this.remember(documentKey, proposed);
    return proposed;
  }

  /** How many tokens the engine may keep from a window chosen here (its exact cap). */
  engineCap(budgetTokens: number): number {
    return Math.ceil(budgetTokens * this.slack * 1.1);
  }

  private remember(documentKey: string, window: string): void {
    // Short windows (top of a file) start at the document start: nothing to anchor.
    if (window.length < ANCHOR_CHARS) { this.anchors.delete(documentKey); return; }
    this.anchors.delete(documentKey);
    this.anchors.set(documentKey, window.slice(0, ANCHOR_CHARS));
    if (this.anchors.size > MAX_DOCUMENTS) this.anchors.delete(this.anchors.keys().next().value!);
  }
}
