/**
 * Chooses between a safe thread count (`low`, one core left free) and one more (`high`) by the
 * measured cost of the engine's own evaluations. On the 2-core machine, 2 threads gain < 2x when
 * the other core is idle but collapse 10-50x per step when it is busy (llama.cpp's threads wait
 * on each other; bench/latency/README.md "Threads and prompt chunks"), so:
 * - it starts at `low` and, every `probeEvery` requests, runs one request at `high` (a probe),
 *   unless `looksBusy` says the machine is busy (the load average: a probe into contention costs
 *   seconds, one collapsed step of a 0.5B model);
 * - the probe stays only when `high` was at least `minGain` times faster than `low` on the same
 *   kind of evaluation; a failed probe doubles the wait before the next (up to `maxProbeEvery`);
 * - at `high`, an evaluation slower than `low`'s would be (`fallback` x) goes back to `low` at
 *   once (the next step already runs there), twice in a row, or once when it is `collapse` x slower.
 * Pure bookkeeping: the engine reports timings and applies `threads`; tests feed fake timings.
 */

export interface ThreadPolicy {
  probeEvery: number;
  maxProbeEvery: number;
  minGain: number;
  fallback: number;
  collapse: number;
  /** Whether the machine looks busy now (no probe then); the engine uses the load average. */
  looksBusy?: () => boolean;
}

export const DEFAULT_THREAD_POLICY: ThreadPolicy = { probeEvery: 16, maxProbeEvery: 512, minGain: 1.2, fallback: 1.2, collapse: 3 };

/** Fewer samples than this of one kind say little. */
const MIN_SAMPLES = 2;

export type ThreadChange = (from: number, to: number, why: string) => void;

export class ThreadGovernor {
  private current: number;
  private probing = false;
  private wait: number;
  private sinceProbe = 0;
  private strikes = 0;
  /** Milliseconds per evaluation, exponentially weighted, by thread count and kind. */
  private readonly cost = new Map<string, { ms: number; n: number }>();

  constructor(readonly low: number, readonly high: number, private readonly onChange: ThreadChange = () => undefined,
    private readonly policy: ThreadPolicy = DEFAULT_THREAD_POLICY) {
    this.current = low;
    this.wait = policy.probeEvery;
  }

  /** The thread count the next evaluation should run with. */
  get threads(): number {
    return this.current;
  }

  /** Whether there is a choice at all (a set thread count, or one core: none). */
  get adaptive(): boolean {
    return this.high > this.low;
  }

  /** A request starts: maybe the one that probes `high`. */
  startRequest(): void {
    if (!this.adaptive || this.current === this.high) return;
    if (++this.sinceProbe < this.wait) return;
    this.sinceProbe = 0;
    if (this.policy.looksBusy?.()) return; // not now; the wait does not grow
    this.probing = true;
    this.strikes = 0;
    this.switchTo(this.high, `probing ${this.high} threads`);
  }

  /**
   * One evaluation took `ms`. `kind` names evaluations of comparable cost (a 1-token decode step,
   * a 32-token prompt chunk): only the same kind is compared across thread counts.
   */
  sample(kind: string, ms: number): void {
    if (!this.adaptive || !(ms >= 0)) return;
    const key = `${this.current}:${kind}`;
    const seen = this.cost.get(key);
    this.cost.set(key, seen ? { ms: seen.ms * 0.7 + ms * 0.3, n: seen.n + 1 } : { ms, n: 1 });
    if (this.current !== this.high) return;
    const base = this.cost.get(`${this.low}:${kind}`);
    if (!base || base.n < MIN_SAMPLES) return;
    if (ms > base.ms * this.policy.collapse) return this.fallBack(`a ${kind} took ${round(ms)} ms at ${this.high} threads, ${round(base.ms)} ms at ${this.low}`);
    this.strikes = ms > base.ms * this.policy.fallback ? this.strikes + 1 : 0;
    if (this.strikes >= 2) this.fallBack(`${kind} slower at ${this.high} threads than at ${this.low} (${round(ms)} vs ${round(base.ms)} ms)`);
  }

  /** A request ended: judge a probe by what it measured. */
  endRequest(): void {
    if (!this.probing || this.current !== this.high) return;
    this.probing = false;
    const gain = this.gain();
    if (gain === undefined) {
      // Nothing comparable measured (a request cut short): try again at the next request.
      this.sinceProbe = this.wait;
      this.switchTo(this.low, 'probe measured nothing comparable');
    } else if (gain >= this.policy.minGain) {
      this.wait = this.policy.probeEvery;
      this.onChange(this.high, this.high, `staying at ${this.high} threads: ${gain.toFixed(2)}x faster than ${this.low}`);
    } else {
      this.backOff();
      this.switchTo(this.low, `${this.high} threads only ${gain.toFixed(2)}x as fast as ${this.low}`);
    }
  }

  /** Median over kinds measured at both counts of low's cost / high's cost. */
  private gain(): number | undefined {
    const ratios: number[] = [];
    for (const [key, hi] of this.cost) {
      const [threads, kind] = [Number(key.slice(0, key.indexOf(':'))), key.slice(key.indexOf(':') + 1)];
      const lo = this.cost.get(`${this.low}:${kind}`);
      if (threads === this.high && lo && lo.n >= MIN_SAMPLES && hi.ms > 0) ratios.push(lo.ms / hi.ms);
    }
    if (!ratios.length) return undefined;
    ratios.sort((a, b) => a - b);
    return ratios[ratios.length >> 1];
  }

  private fallBack(why: string): void {
    this.probing = false;
    this.strikes = 0;
    this.backOff();
    // What `high` measured under contention says nothing about it when idle: forget it.
    for (const key of [...this.cost.keys()]) if (key.startsWith(`${this.high}:`)) this.cost.delete(key);
    this.switchTo(this.low, why);
  }

  private backOff(): void {
    this.sinceProbe = 0;
    this.wait = Math.min(this.policy.maxProbeEvery, this.wait * 2);
  }

  private switchTo(threads: number, why: string): void {
    if (threads === this.current) return;
    const from = this.current;
    this.current = threads;
    this.onChange(from, threads, why);
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
