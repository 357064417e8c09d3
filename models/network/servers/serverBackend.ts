/**
 * A completion server as a backend of the pipeline: the same `complete(request, signal, onText)`
 * as the built-in engine client, the same stop rules (checked on the streamed text, and the
 * request is cut off the moment one fires), and results in the engine's FimResult shape so the
 * pipeline post-processes them the same way. A server that fails opens the circuit breaker:
 * requests are then refused at once until the backoff passes, and 'health' events tell the UI.
 * A server that is merely slow (no answer within the time limit) is not down: llama-server keeps
 * the prompt it evaluated so far in its cache, so the next request goes on from there; refusing
 * requests for a backoff would throw that progress away and show nothing on a CPU server.
 */
import { EventEmitter } from 'node:events';
import type { FimRequest, FimResult, FimStats } from '../../engine/engineProtocol';
import { cutPoint } from '../../engine/stopRules';
import { CircuitBreaker } from './circuitBreaker';
import { detectFamily, familyNamed, type FimFamily } from './fimTemplates';
import type { ServerTarget } from './hostPolicy';
import { requestJson, requestLines, ServerError, type HttpLimits } from './httpStream';
import { parseLine, wireRequest, type BackendKind, type StreamPiece } from './wireFormats';

export interface ServerConfig {
  kind: BackendKind;
  target: ServerTarget;
  /** The model name the server knows (Ollama, OpenAI-compatible); llama-server serves one. */
  model?: string;
  /** FIM token family for raw prompts: a name from FIM_FAMILIES, or 'auto' (ask the tokenizer). */
  family?: string;
  apiKey?: string;
  limits?: Partial<HttpLimits>;
}

/** Long enough for a CPU server's first prompt of ~1,500 tokens; a keystroke cancels sooner anyway. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export type ServerHealth =
  | { state: 'ok'; url: string }
  | { state: 'slow'; url: string; reason: string }
  | { state: 'down'; url: string; reason: string; retryInMs: number; kind: ServerError['kind'] };

export class ServerBackend extends EventEmitter {
  private readonly breaker: CircuitBreaker;
  private familyPromise?: Promise<FimFamily | undefined>;
  private lastHealth: ServerHealth;
  readonly limits: HttpLimits;

  readonly config: ServerConfig;

  constructor(config: ServerConfig, breaker?: CircuitBreaker) {
    super();
    // A URL given as .../v1 or .../api (how servers document their base URL) names the same server.
    this.config = config = { ...config, target: { ...config.target, basePath: config.target.basePath.replace(/\/(v1|api)$/, '') } };
    this.breaker = breaker ?? new CircuitBreaker();
    this.limits = {
      connectTimeoutMs: config.limits?.connectTimeoutMs ?? (config.target.loopback ? 500 : 2000),
      totalTimeoutMs: config.limits?.totalTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    };
    this.lastHealth = { state: 'ok', url: this.url };
  }

  /**
   * llama-server evaluates a prompt into its slot's cache when asked for no tokens (`n_predict: 0`,
   * as llama.vscode's warm-ups do), so a pause can grow a staged jump prompt as with the built-in
   * engine; Ollama and OpenAI-compatible servers have no such request: they get whole prompts.
   */
  get warms(): boolean { return this.config.kind === 'llama-server'; }
  /** What it was sent is cached, finished or not (completion/engineJob.ts StreamingBackend.warmsBeside). */
  readonly warmsBeside = false;

  get url(): string { return this.config.target.origin + this.config.target.basePath; }
  get health(): ServerHealth { return this.lastHealth; }
  get label(): string { return `${this.config.kind}${this.config.model ? ` ${this.config.model}` : ''}`; }

  async complete(request: FimRequest, signal: AbortSignal, onText?: (text: string) => void): Promise<FimResult | undefined> {
    if ((request.warmOnly && !this.warms) || signal.aborted) return undefined;
    if (!this.breaker.tryAcquire()) return undefined;
    const started = performance.now();
    let text = '';
    let stopReason: FimStats['stopReason'] = 'eog';
    let firstAt = 0;
    const counts: Partial<StreamPiece> = {};
    try {
      const family = await this.family();
      const wire = wireRequest(this.config.kind, request, { model: this.config.model, family });
      const stops = family?.stops ?? [];
      await requestLines(this.config.target, { method: 'POST', ...wire, headers: this.headers(), signal, ...this.limits }, (line) => {
        const piece = parseLine(this.config.kind, line);
        if (!piece) return false;
        for (const k of ['promptTokens', 'evaluatedTokens', 'generatedTokens', 'promptMs', 'generateMs'] as const) if (piece[k] !== undefined) counts[k] = piece[k];
        // A warm-up's one sampled token (llama-server samples one even at n_predict 0) is not a suggestion.
        if (piece.text && !request.warmOnly) {
          if (!firstAt) firstAt = performance.now();
          text += piece.text;
          const marker = stops.map((s) => text.indexOf(s)).filter((i) => i >= 0).sort((a, b) => a - b)[0];
          if (marker !== undefined) { text = text.slice(0, marker); return true; }
          const cut = cutPoint(text, request);
          if (cut) { text = text.slice(0, cut.at); stopReason = cut.reason; return true; }
          if (request.stream) onText?.(text);
        }
        return piece.done;
      });
    } catch (err) {
      let error = err instanceof ServerError ? err : new ServerError('protocol', err instanceof Error ? err.message : String(err));
      if (error.kind === 'aborted' || signal.aborted) { this.breaker.release(); return undefined; }
      // One answer went wrong on a server that is up (an error in its stream, or the stream cut
      // while it still answers /health): what arrived is the answer, the server stays in use.
      if (error.kind === 'answer' || (error.kind === 'cut' && await this.answers())) {
        this.breaker.release();
        this.emit('answerFailed', error.message);
        return this.result(text, request.warmOnly ? 'warm' : 'maxTokens', counts, started, firstAt);
      }
      if (error.kind === 'cut') error = new ServerError('unreachable', error.message); // and it answers nothing now
      if (error.kind === 'timeout') {
        this.breaker.release();
        // Not an error of the completion: the status bar shows 'slow' from the health event.
        this.setHealth({ state: 'slow', url: this.url, reason: error.message });
        return undefined;
      }
      this.breaker.failure();
      this.setHealth({ state: 'down', url: this.url, reason: error.message, retryInMs: this.breaker.backoffMs(), kind: error.kind });
      throw error;
    }
    this.breaker.success();
    this.setHealth({ state: 'ok', url: this.url });
    const generated = counts.generatedTokens ?? 0;
    if (request.warmOnly) stopReason = 'warm';
    else if (stopReason === 'eog' && generated >= request.maxTokens) stopReason = 'maxTokens';
    return this.result(text, stopReason, counts, started, firstAt);
  }

  private result(text: string, stopReason: FimStats['stopReason'], counts: Partial<StreamPiece>, started: number, firstAt: number): FimResult {
    const totalMs = Math.round(performance.now() - started);
    const generated = counts.generatedTokens ?? 0;
    return {
      text,
      stats: {
        promptTokens: counts.promptTokens ?? 0, evaluatedTokens: counts.evaluatedTokens ?? counts.promptTokens ?? 0, generatedTokens: generated,
        promptMs: Math.round(counts.promptMs ?? (firstAt ? firstAt - started : totalMs)), generateMs: Math.round(counts.generateMs ?? 0), totalMs,
        aborted: false, stopReason, speculativeAccepted: 0, speculativeProposed: 0,
      },
    };
  }

  /**
   * The FIM family for raw prompts: the named one (checked against the server's tokenizer where it
   * has one, so a wrong name is an error, not silent garbage), or the one the tokenizer recognizes.
   */
  family(): Promise<FimFamily | undefined> {
    const wanted = (this.config.family ?? 'auto').trim().toLowerCase();
    if (this.config.kind === 'llama-server' || (this.config.kind === 'ollama' && (wanted === 'auto' || !wanted))) return Promise.resolve(undefined);
    this.familyPromise ??= this.resolveFamily(wanted).catch((err) => { this.familyPromise = undefined; throw err; });
    return this.familyPromise;
  }

  private async resolveFamily(wanted: string): Promise<FimFamily | undefined> {
    const named = wanted && wanted !== 'auto' ? familyNamed(wanted) : undefined;
    if (wanted && wanted !== 'auto' && !named) throw new ServerError('protocol', `unknown model family "${wanted}" (known: qwen, starcoder, deepseek, codegemma, codellama)`);
    const count = (text: string) => this.tokenCount(text);
    if (named) {
      if (named.name === 'codellama') return named;
      const n = await count(named.prefix);
      if (n !== undefined && n !== 1) {
        const seen = await detectFamily(count);
        throw new ServerError('protocol', `the server's model does not know ${named.name}'s FIM tokens (${named.prefix} is ${n} tokens)` +
          (seen ? `; it has ${seen.name}'s: set localCompletion.server.modelFamily to "${seen.name}"` : ''));
      }
      return named;
    }
    const found = await detectFamily(count);
    if (!found) throw new ServerError('protocol', 'could not tell the model\'s FIM tokens from the server\'s tokenizer: set localCompletion.server.modelFamily (qwen, starcoder, deepseek, codegemma, codellama)');
    return found;
  }

  /** Whether the server answers HTTP at all (any status): a cut stream from a live server is about that answer. */
  private async answers(): Promise<boolean> {
    const limits = { connectTimeoutMs: this.limits.connectTimeoutMs, totalTimeoutMs: Math.min(2000, this.limits.totalTimeoutMs) };
    try {
      await requestLines(this.config.target, { method: 'GET', path: '/health', headers: this.headers(), ...limits }, () => true);
      return true;
    } catch (err) {
      return err instanceof ServerError && err.kind === 'http';
    }
  }

  /** Tokens in text per the server's tokenizer (llama-server and vLLM /tokenize); undefined without one. */
  private async tokenCount(text: string): Promise<number | undefined> {
    if (this.config.kind === 'ollama') return undefined; // Ollama has no tokenizer endpoint
    const limits = { connectTimeoutMs: this.limits.connectTimeoutMs, totalTimeoutMs: Math.min(3000, this.limits.totalTimeoutMs) };
    try {
      const r = await requestJson<{ tokens?: unknown[]; count?: number }>(this.config.target, {
        method: 'POST', path: '/tokenize', body: { content: text, prompt: text, model: this.config.model, add_special: false }, headers: this.headers(), ...limits,
      });
      return r.count ?? r.tokens?.length;
    } catch (err) {
      if (err instanceof ServerError && err.kind === 'http' && (err.status === 404 || err.status === 405)) return undefined;
      throw err;
    }
  }

  private headers(): Record<string, string> {
    return this.config.apiKey ? { authorization: `Bearer ${this.config.apiKey}` } : {};
  }

  private setHealth(health: ServerHealth): void {
    const changed = health.state !== this.lastHealth.state || (health.state === 'down' && this.lastHealth.state === 'down' && health.reason !== this.lastHealth.reason);
    this.lastHealth = health;
    if (changed) this.emit('health', health);
  }

  /** Lets the next request through now (the user asked to retry). */
  retryNow(): void {
    this.breaker.success();
  }
}
