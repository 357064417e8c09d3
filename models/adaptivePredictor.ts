/**
 * Speculative decoding that switches itself off when it does not pay. Wraps node-llama-cpp's
 * token predictor (a draft model, or prompt lookup) and, from the target sequence's validated and
 * refuted prediction counts, turns it off after requests where it produced nothing usable: on a
 * laptop CPU the draft competes with the target for the same cores, so a useless draft costs real
 * time. While off it re-probes now and then, since the code being typed changes.
 */
import type { LlamaContextSequence, Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };

export interface PredictionCounts { validated: number; refuted: number }

export interface SpeculationPolicy {
  /** Requests looked at before judging. */
  window: number;
  /** Accepted predicted tokens per request below which speculation is switched off. */
  minAcceptedPerRequest: number;
  /** While off, speculate again on every Nth request to re-measure. */
  probeEvery: number;
}

export const DEFAULT_POLICY: SpeculationPolicy = { window: 6, minAcceptedPerRequest: 1, probeEvery: 40 };

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

/** The counts the sequence keeps, read before and after a request. */
export function predictionCounts(sequence: LlamaContextSequence): PredictionCounts {
  const p = sequence.tokenPredictions;
  return { validated: p.validated, refuted: p.refuted };
}

/** Builds a predictor class at run time (node-llama-cpp is ESM, loaded with import()). */
export async function createSwitchablePredictor(inner: import('node-llama-cpp', { with: { 'resolution-mode': 'import' } }).TokenPredictor) {
  const { TokenPredictor } = await import('node-llama-cpp');
  type ResetParams = Parameters<InstanceType<typeof TokenPredictor>['reset']>[0];
  // While off, the inner predictor sees nothing (a draft model would spend CPU on every token);
  // the engine re-evaluates at least one prompt token per request, whose reset re-syncs it.
  class SwitchablePredictor extends TokenPredictor {
    enabled = true;
    override reset(params: ResetParams) { if (this.enabled) return inner.reset(params); }
    override pushTokens(tokens: Token[]) { if (this.enabled) inner.pushTokens(tokens); }
    override predictTokens(): Promise<Token[]> | Token[] { return this.enabled ? inner.predictTokens() : []; }
    override stop(untilPredictionsExhausted?: boolean) { return inner.stop(untilPredictionsExhausted); }
    override updateInputTokens(tokens: Token[]) { inner.updateInputTokens(tokens); }
    override dispose() { return inner.dispose(); }
  }
  return new SwitchablePredictor();
}
