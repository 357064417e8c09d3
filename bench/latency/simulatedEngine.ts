/**
 * Regime 2 stand-in engine (a SIMULATION, labelled as such in the output): it answers with the
 * true continuation of the code with probability `quality` and with plausible wrong code
 * otherwise, and it costs exactly what the real engine measured in regime 1 for the tokens it
 * would evaluate (prompt minus the KV-cached part) and generate, streaming like the real one.
 */
import type { FimBackend } from '../../completion/completionPipeline';
import { CHARS_PER_TOKEN } from '../../context/promptWindows';
import type { FimRequest, FimResult } from '../../models/engine/engineProtocol';
import { hashString } from '../../models/gguf/prng';

export interface EngineCosts {
  promptTokensPerSec: number;
  generateTokensPerSec: number;
  /** Fixed cost of one request (IPC, sampling set-up). */
  fixedMs: number;
}

export class SimulatedEngine implements FimBackend {
  private cachedPrompt = '';
  requests = 0;
  evaluatedTokens: number[] = [];

  constructor(
    private readonly costs: EngineCosts,
    private readonly quality: number,
    /** The true text after the cursor for a request's prefix (the replay knows the final file). */
    private readonly truth: (request: FimRequest) => string,
    private readonly wrong: (request: FimRequest) => string,
  ) {}

  async complete(request: FimRequest, signal: AbortSignal, onText?: (text: string) => void): Promise<FimResult | undefined> {
    this.requests++;
    const started = performance.now();
    // The prompt's layout as fimPrompt.ts builds it: with an anchor the typed text follows the middle.
    const cut = request.prefix.length - (request.anchor ?? 0);
    const prompt = `\u0001${request.prefix.slice(0, cut)}\u0002${request.suffix}\u0003${request.prefix.slice(cut)}`;
    // KV cache: only the part after the longest common prefix with the last prompt is evaluated.
    let common = 0;
    const max = Math.min(prompt.length, this.cachedPrompt.length);
    while (common < max && prompt.charCodeAt(common) === this.cachedPrompt.charCodeAt(common)) common++;
    const evaluated = Math.max(1, Math.ceil((prompt.length - common) / CHARS_PER_TOKEN));
    this.evaluatedTokens.push(evaluated);
    const promptMs = this.costs.fixedMs + (evaluated / this.costs.promptTokensPerSec) * 1000;
    // Evaluation happens in chunks; an abort stops it between chunks.
    const chunks = Math.max(1, Math.ceil(evaluated / 32));
    for (let i = 0; i < chunks; i++) {
      await sleep(promptMs / chunks);
      if (signal.aborted) {
        this.cachedPrompt = prompt.slice(0, common + Math.floor(((i + 1) / chunks) * (prompt.length - common)));
        return undefined;
      }
    }
    this.cachedPrompt = prompt;
    if (request.warmOnly) return result('', evaluated, 0, started, promptMs);
    const good = (hashString(request.prefix.slice(-400)) % 1000) / 1000 < this.quality;
    let answer = good ? this.truth(request) : this.wrong(request);
    if (request.singleLine) answer = answer.split('\n')[0];
    const tokens = Math.max(1, Math.ceil(answer.length / CHARS_PER_TOKEN));
    const perToken = 1000 / this.costs.generateTokensPerSec;
    let text = '';
    for (let t = 1; t <= Math.min(tokens, request.maxTokens); t++) {
      await sleep(perToken);
      if (signal.aborted) return undefined;
      text = answer.slice(0, Math.ceil((t / tokens) * answer.length));
      onText?.(text);
    }
    return result(text, evaluated, tokens, started, promptMs);
  }
}

function result(text: string, evaluated: number, generated: number, started: number, promptMs: number): FimResult {
  const totalMs = performance.now() - started;
  return {
    text,
    stats: {
      promptTokens: evaluated, evaluatedTokens: evaluated, generatedTokens: generated, promptMs: Math.round(promptMs),
      generateMs: Math.round(totalMs - promptMs), totalMs: Math.round(totalMs), aborted: false, stopReason: 'eog',
      speculativeAccepted: 0, speculativeProposed: 0,
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
