/**
 * How many prompt tokens one evaluation takes. A keystroke that makes the running prompt stale
 * (a jump elsewhere) waits for the chunk in flight, so a chunk should end within a stop budget;
 * but small chunks cost throughput on every prompt (qwen05b-shape, 1 thread, CPU ms per token:
 * 14.6 / 10.5 / 9.9 / 8.1 / 7.3 at 8 / 16 / 32 / 64 / 128 tokens, 6.9 whole; bench/latency/README.md
 * "Threads and prompt chunks"), and that prompt is what the user waits for after a jump. So: the
 * largest size whose measured duration fits the budget, never below `min`: 128 for the bundled
 * model (~30 ms), 32 for qwen05b-shape at 1 idle thread (~350 ms), 16 when the machine is busy.
 * Anchored typing is not affected: a keystroke there evaluates 1-3 tokens, and an interrupted
 * prompt at the same place is not stale (the next request keeps every token evaluated so far).
 */

export const CHUNK_SIZES = [8, 16, 32, 64, 128] as const;

export interface ChunkPolicy {
  /** The longest a chunk should take (ms): the wait of a keystroke that makes the prompt stale. */
  stopBudgetMs: number;
  /** Never smaller than this (the throughput cost grows steeply below it). */
  min: number;
  /** Before anything is measured. */
  initial: number;
}

export const DEFAULT_CHUNK_POLICY: ChunkPolicy = { stopBudgetMs: 400, min: 16, initial: 32 };

export class ChunkSizer {
  /** Milliseconds per chunk by size, exponentially weighted, and when each was last measured. */
  private readonly ms = new Map<number, { ms: number; at: number }>();
  private recorded = 0;

  constructor(private readonly policy: ChunkPolicy = DEFAULT_CHUNK_POLICY) {}

  /** Tokens for the next chunk, with `left` tokens of the prompt still to evaluate. */
  size(left: number): number {
    const sizes = CHUNK_SIZES.filter((s) => s >= this.policy.min);
    if (!this.ms.size) return Math.min(left, this.policy.initial);
    let best = sizes[0];
    for (const s of sizes) if (this.estimate(s) <= this.policy.stopBudgetMs) best = s;
    // A rest just above a chunk is taken whole when that still fits (no 2-token tail chunk).
    return left <= best * 1.25 && this.estimate(left) <= this.policy.stopBudgetMs ? left : Math.min(left, best);
  }

  /** One chunk took `ms` (only full chunks of a listed size teach anything). */
  record(tokens: number, ms: number): void {
    if (!(CHUNK_SIZES as readonly number[]).includes(tokens) || !(ms >= 0)) return;
    const seen = this.ms.get(tokens);
    this.ms.set(tokens, { ms: seen === undefined ? ms : seen.ms * 0.7 + ms * 0.3, at: ++this.recorded });
  }

  /**
   * A size's own measured time, unless the nearest size measured more recently says otherwise,
   * scaled linearly (per-token cost falls with size, so scaling up is on the safe side). So a size
   * measured while the machine was busy is tried again once smaller chunks got fast, and the other
   * way round.
   */
  private estimate(size: number): number {
    const own = this.ms.get(size);
    let near: [number, { ms: number; at: number }] | undefined;
    for (const [s, m] of this.ms) {
      if (s === size || (own && m.at <= own.at)) continue;
      if (!near || Math.abs(Math.log2(s / size)) < Math.abs(Math.log2(near[0] / size))) near = [s, m];
    }
    return near ? (near[1].ms * size) / near[0] : own?.ms ?? Infinity;
  }
}
