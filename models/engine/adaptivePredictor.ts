/**
 * Speculative decoding that switches itself off when it does not pay: from each request's accepted
 * and refuted guesses (models/engine/speculativeDecoder.ts), it turns guessing off after requests where it
 * produced nothing usable (on a laptop CPU the draft competes with the target for the same cores,
 * so a useless draft costs real time). While off it re-probes now and then, since the code being
 * typed changes.
 */

export interface PredictionCounts { validated: number; refuted: number }

export interface SpeculationPolicy {
  /** Requests looked at before judging. */
  window: number;
  /** Accepted predicted tokens per request below which speculation is switched off. */
  minAcceptedPerRequest: number;
  /** While off, speculate again on every Nth request to re-measure. */
  probeEvery: number;
}

export const DEFAULT_POLICY: SpeculationPolicy = { window: 3, minAcceptedPerRequest: 1, probeEvery: 40 };

/** Decides per request whether to speculate; pure bookkeeping, testable without a model. */
export class SpeculationGovernor {
  private history: number[] = [];
  private offSince = -1;
  private requests = 0;
  accepted = 0;
  proposed = 0;

  constructor(private readonly policy: SpeculationPolicy = DEFAULT_POLICY) {}

  get enabled(): boolean {
    if (this.offSince < 0) return true;
    return (this.requests - this.offSince) % this.policy.probeEvery === 0;
  }

  /** Record one finished request's prediction outcome. */
  record(delta: PredictionCounts, wasEnabled: boolean): void {
    this.requests++;
    if (!wasEnabled) return;
    this.accepted += delta.validated;
    this.proposed += delta.validated + delta.refuted;
    this.history.push(delta.validated);
    if (this.history.length > this.policy.window) this.history.shift();
    const full = this.history.length >= this.policy.window;
    const mean = this.history.reduce((a, b) => a + b, 0) / this.history.length;
    if (this.offSince >= 0 && delta.validated >= this.policy.minAcceptedPerRequest * 2) {
      this.offSince = -1; // a probe paid off: back on
      this.history = [delta.validated];
    } else if (this.offSince < 0 && full && mean < this.policy.minAcceptedPerRequest) {
      this.offSince = this.requests;
    }
  }
}
