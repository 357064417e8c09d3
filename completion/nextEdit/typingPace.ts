/**
 * When a next-edit pass may run: never while the user types fast. Keystroke times are kept for
 * the last few keys; the pass waits for a rest, longer after a fast burst (a fast typist pausing
 * for 300 ms is usually still typing).
 */

const KEPT = 6;
/** Rest before a pass, after slow keys and after a fast burst. */
export const REST_MS = 350;
export const REST_AFTER_BURST_MS = 700;
/** Mean gap between keys below which the typing counts as fast. */
const FAST_GAP_MS = 150;

export class TypingPace {
  private readonly keys: number[] = [];

  key(at: number): void {
    this.keys.push(at);
    if (this.keys.length > KEPT) this.keys.shift();
  }

  /** How long to wait after the last key before a pass may start. */
  restNeeded(): number {
    const k = this.keys;
    if (k.length < 3) return REST_MS;
    const meanGap = (k[k.length - 1] - k[0]) / (k.length - 1);
    return meanGap < FAST_GAP_MS ? REST_AFTER_BURST_MS : REST_MS;
  }

  /** Whether the user has rested long enough at `now` for a pass. */
  rested(now: number): boolean {
    const last = this.keys[this.keys.length - 1];
    return last === undefined || now - last >= this.restNeeded();
  }
}
