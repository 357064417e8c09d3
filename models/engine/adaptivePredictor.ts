/**
 * Speculative decoding that switches itself off when it does not pay. Two judgments, from each
 * request's accepted and refuted guesses (models/engine/speculativeDecoder.ts) and, when given, its
 * decode time:
 * - acceptance: off after `window` requests where it produced less than `minAcceptedPerRequest`
 *   usable tokens on average (on a laptop CPU the draft competes with the target for the cores);
 * - speed: a guesser can be accepted and still slow the decode down (prompt lookup on code it has
 *   never seen cost 34 % in bench:latency: each verification batch costs more than the tokens it
 *   saves). After `window` speculative requests one request runs without guesses as a control,
 *   and speculation goes off when its milliseconds per token are above the control's.
 * While off it re-probes every `probeEvery` requests (the code being typed changes) and comes back
 * on only when a probe both accepts enough and beats the measured plain speed.
 */

export interface PredictionCounts { validated: number; refuted: number }

/** Decode time of one request: tokens generated and the milliseconds the decode loop took. */
export interface DecodeTiming { tokens: number; ms: number }

export interface SpeculationPolicy {
  /** Requests looked at before judging. */
  window: number;
  /** Accepted predicted tokens per request below which speculation is switched off. */
  minAcceptedPerRequest: number;
  /** While off, speculate again on every Nth request to re-measure. */
  probeEvery: number;
  /** Speculation must be at least this much faster per token than the control (1.0: any gain). */
  minSpeedup: number;
}

export const DEFAULT_POLICY: SpeculationPolicy = { window: 3, minAcceptedPerRequest: 1, probeEvery: 40, minSpeedup: 1.0 };

/** Timings with fewer tokens say little about the per-token speed. */
const MIN_TIMED_TOKENS = 3;

/** Decides per request whether to speculate; pure bookkeeping, testable without a model. */
export class SpeculationGovernor {
  private history: number[] = [];
  /** Request count when speculation went off; -1 while on. */
  private offSince = -1;
  private requests = 0;
  /** Speculative requests since the last control request (a request decoded without guesses). */
  private sinceControl = 0;
  /** Mean milliseconds per token with and without speculation (exponentially weighted). */
  private readonly msPerToken: { on?: number; off?: number } = {};
  accepted = 0;
  proposed = 0;

  constructor(private readonly policy: SpeculationPolicy = DEFAULT_POLICY) {}

  get enabled(): boolean {
    if (this.offSince < 0) return !this.controlDue();
    // The request right after switching off is not a probe: the first one is probeEvery later.
    const since = this.requests - this.offSince;
    return since > 0 && since % this.policy.probeEvery === 0;
  }

  /** Measured milliseconds per token with and without speculation (diagnostics). */
  get speeds(): { on?: number; off?: number } {
    return { ...this.msPerToken };
  }

  /** Speed with guesses against without, once both are measured (the host remembers a slower draft). */
  get verdict(): { msPerTokenOn: number; msPerTokenOff: number; slower: boolean } | undefined {
    const { on, off } = this.msPerToken;
    if (on === undefined || off === undefined) return undefined;
    return { msPerTokenOn: Math.round(on * 10) / 10, msPerTokenOff: Math.round(off * 10) / 10, slower: this.slower() };
  }

  /** Record one finished request's prediction outcome (and its decode time, when measured). */
  record(delta: PredictionCounts, wasEnabled: boolean, timing?: DecodeTiming): void {
    this.requests++;
    const rate = timing && timing.tokens >= MIN_TIMED_TOKENS ? timing.ms / timing.tokens : undefined;
    if (!wasEnabled) {
      if (rate !== undefined) this.msPerToken.off = mix(this.msPerToken.off, rate);
      if (this.offSince < 0) this.sinceControl = 0;
      if (this.offSince < 0 && this.slower()) this.offSince = this.requests;
      return;
    }
    this.accepted += delta.validated;
    this.proposed += delta.validated + delta.refuted;
    this.sinceControl++;
    this.history.push(delta.validated);
    if (this.history.length > this.policy.window) this.history.shift();
    const full = this.history.length >= this.policy.window;
    const mean = this.history.reduce((a, b) => a + b, 0) / this.history.length;
    if (this.offSince >= 0) {
      // A probe: back on only when it accepted enough and was not slower than plain decoding.
      const beats = rate === undefined || this.msPerToken.off === undefined || rate * this.policy.minSpeedup <= this.msPerToken.off;
      if (delta.validated >= this.policy.minAcceptedPerRequest * 2 && beats) {
        this.offSince = -1;
        this.history = [delta.validated];
        this.msPerToken.on = rate;
        this.sinceControl = 0;
      }
      return;
    }
    if (rate !== undefined) this.msPerToken.on = mix(this.msPerToken.on, rate);
    if ((full && mean < this.policy.minAcceptedPerRequest) || this.slower()) this.offSince = this.requests;
  }

  /** One request without guesses after every `window` speculative ones, until a baseline exists. */
  private controlDue(): boolean {
    return this.msPerToken.off === undefined && this.sinceControl >= this.policy.window;
  }

  private slower(): boolean {
    const { on, off } = this.msPerToken;
    return on !== undefined && off !== undefined && on * this.policy.minSpeedup > off;
  }
}

function mix(previous: number | undefined, sample: number): number {
  return previous === undefined ? sample : previous * 0.7 + sample * 0.3;
}
