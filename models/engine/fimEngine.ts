/**
 * Fill-in-the-middle inference on node-llama-cpp. Runs inside the engine process only.
 *
 * Only the part of the prompt that differs from the sequence's KV cache is evaluated (typing at
 * the cursor re-reads the tail of the prefix and the short suffix, not the whole file), in chunks
 * sized to end within a stop budget (promptChunks.ts), so that a cancelled request stops soon.
 * Generation stops at the end of the line, at a stop rule from the syntax tree, or at the token cap.
 */
import type { Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };
import { EngineError, type FimRequest, type FimResult, type FimStats, type LoadOptions, type ModelInfo } from './engineProtocol';
import { buildFimPrompt } from './fimPrompt';
import { ModelLoader, type LoadedModel, type Log } from './modelLoader';
import type { ThreadPolicy } from './threadGovernor';
import { ChunkSizer } from './promptChunks';
import { evaluationKind, feedInChunks } from './sequenceFeed';
import { decodeGreedy, DEFAULT_DECODE, type DecodeStats } from './speculativeDecoder';
import { cutPoint } from './stopRules';
import { decodeAlternatives } from './alternatives';
import { summarizeTrace, TraceBuilder } from './tokenTrace';

export class FimEngine {
  private readonly loader: ModelLoader;
  private loaded?: LoadedModel;
  /** Why the GPU is off for the rest of this process (it failed mid-completion). */
  private cpuOnly?: string;
  /** Prompt chunk sizes by their measured duration (promptChunks.ts), per loaded model. */
  private chunks = new ChunkSizer();
  /** The token sequence of the last prompt (diagnostics and tests). */
  lastPrompt: readonly Token[] = [];

  constructor(private readonly log: Log, threadPolicy?: ThreadPolicy) {
    this.loader = new ModelLoader(log, threadPolicy);
  }

  /** Threads llama.cpp ran the last evaluation with (read back from the native context). */
  get nativeThreads(): number | undefined {
    return this.loaded?.context.currentThreads;
  }

  get modelInfo(): ModelInfo | undefined {
    return this.loaded?.info;
  }

  /** Tokens evaluated and generated so far: grows while native work makes progress (watchdog). */
  get tokensEvaluated(): number {
    return (this.loaded?.sequences.all ?? []).reduce((n, s) => n + s.tokenMeter.usedInputTokens + s.tokenMeter.usedOutputTokens, 0);
  }

  async load(requested: LoadOptions): Promise<ModelInfo> {
    const options = this.cpuOnly && !requested.cpuOnly ? { ...requested, cpuOnly: this.cpuOnly } : requested;
    if (this.loaded && JSON.stringify(this.loaded.options) === JSON.stringify(options)) return this.loaded.info;
    await this.unload();
    this.loaded = await this.loader.load(options);
    this.chunks = new ChunkSizer();
    return this.loaded.info;
  }

  async unload(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = undefined;
    if (loaded) await this.loader.unload(loaded);
  }

  /** A GPU that fails mid-completion (device lost, out of memory): reload on the CPU and answer from there. */
  async complete(request: FimRequest, signal: AbortSignal, onText?: (text: string, tokens?: FimResult['tokens']) => void): Promise<FimResult> {
    const onGpu = this.loaded && (this.loaded.info.backend ?? 'cpu') !== 'cpu' ? this.loaded : undefined;
    try {
      return await this.completeOnce(request, signal, onText);
    } catch (err) {
      if (!onGpu || err instanceof EngineError) throw err;
      this.cpuOnly = `GPU (${onGpu.info.backend}) failed during a completion: ${err instanceof Error ? err.message : String(err)}; running on the CPU`;
      this.log('warn', this.cpuOnly);
      await this.unload().catch(() => undefined);
      await this.load(onGpu.options);
      return this.completeOnce(request, signal, onText);
    }
  }

  private async completeOnce(request: FimRequest, signal: AbortSignal, onText?: (text: string, tokens?: FimResult['tokens']) => void): Promise<FimResult> {
    const loaded = this.loaded;
    if (!loaded) throw new EngineError('not-loaded', 'No model is loaded.');
    const { model, sequences, fim, guesser, governor, threads } = loaded;
    const started = performance.now();
    const built = buildFimPrompt((text) => model.tokenize(text, false), fim, request, loaded.context.contextSize);
    const prompt = built.tokens;
    this.lastPrompt = prompt;
    const head = prompt.slice(0, -1);
    const sequence = sequences.pick(head, !!request.warmOnly);
    const speculate = !!guesser && !request.warmOnly && governor.enabled;
    const generated: Token[] = [];
    const trace = new TraceBuilder();
    let decoded: DecodeStats = { steps: 0, proposed: 0, accepted: 0 };
    let promptDone = started;
    let evaluated = 0;

    // Keep the longest cached prefix; drop what the last request generated after it.
    if (request.freshPrompt) await sequence.clearHistory();
    else await sequence.adaptStateToTokens(head, false);
    // Tokens evaluated are read off the sequence's own token meter, not counted by hand.
    const meteredBefore = sequence.tokenMeter.usedInputTokens;
    threads.startRequest();
    const chunks = this.chunks;
    const fed = await feedInChunks(sequence, head, (left) => chunks.size(left), signal, (n, ms) => {
      chunks.record(n, ms);
      threads.sample(evaluationKind('prompt', n), ms);
    });
    evaluated = sequence.tokenMeter.usedInputTokens - meteredBefore;
    if (!fed) return finish('', 'aborted');
    promptDone = performance.now();
    if (request.warmOnly) {
      sequences.completed(sequence);
      return finish('', 'warm');
    }
    if (signal.aborted) return finish('', 'aborted');

    let text = '';
    let stopReason: FimStats['stopReason'] = 'eog';
    let choices: Map<Token, number> | undefined;
    const branch = (request.alternatives ?? 1) > 1;
    evaluated++; // the last prompt token (<|fim_middle|>, or the last typed one), fed with the first decode step
    decoded = await decodeGreedy(sequence, head, prompt[prompt.length - 1], speculate ? guesser : undefined, signal, (token, probability) => {
      if (signal.aborted) { stopReason = 'aborted'; return false; }
      if (model.isSpecialToken(token) || model.isEogToken(token)) return false;
      generated.push(token);
      text = model.detokenize(generated);
      trace.push(probability, text.length);
      const cut = cutPoint(text, request);
      if (cut) {
        text = text.slice(0, cut.at);
        stopReason = cut.reason;
        return false;
      }
      if (generated.length >= request.maxTokens) { stopReason = 'maxTokens'; return false; }
      onText?.(text, trace.cut(text.length));
      return true;
    }, { ...DEFAULT_DECODE, onStep: (n, ms) => threads.sample(evaluationKind('step', n), ms) }, branch ? (p) => { choices = p; } : undefined);
    if (signal.aborted && stopReason === 'eog') stopReason = 'aborted'; // stopped between steps
    // A cut inside a multi-byte character leaves a replacement character behind.
    const result = finish(text.replace(/\uFFFD+$/, ''), stopReason);
    if (branch && choices && !signal.aborted) {
      const more = await decodeAlternatives({ sequence, model, prompt: [...prompt], choices, greedyFirst: generated[0], request, count: request.alternatives! - 1, signal });
      result.alternatives = more.alternatives;
      result.stats.alternativeTokens = more.evaluated;
    }
    return result;

    function finish(finalText: string, stopReason: FimStats['stopReason']): FimResult {
      const end = performance.now();
      const threadsUsed = threads.threads;
      threads.endRequest();
      const promptEnd = promptDone === started ? end : promptDone;
      const delta = { validated: decoded.accepted, refuted: decoded.proposed - decoded.accepted };
      if (!request.warmOnly && stopReason !== 'aborted') {
        governor.record(delta, speculate, { tokens: generated.length, ms: end - promptEnd });
        reportVerdict(loaded!);
      }
      const tokens = trace.cut(finalText.length);
      return {
        text: finalText,
        tokens,
        confidence: summarizeTrace(tokens),
        stats: {
          promptTokens: prompt.length,
          evaluatedTokens: evaluated,
          generatedTokens: generated.length,
          promptMs: Math.round(promptEnd - started),
          generateMs: Math.round(end - promptEnd),
          totalMs: Math.round(end - started),
          aborted: stopReason === 'aborted',
          stopReason,
          contextTokens: built.contextTokens,
          speculativeAccepted: delta.validated,
          speculativeProposed: delta.validated + delta.refuted,
          threads: threadsUsed,
        },
      };
    }
  }
}

/**
 * A new speed verdict replaces the model's info (engineProcess.ts sends changed info to the host),
 * only when it flips: the figures alone change with every request.
 */
function reportVerdict(loaded: LoadedModel): void {
  const verdict = loaded.guesser ? loaded.governor.verdict : undefined;
  if (!verdict || verdict.slower === loaded.info.speculationSpeed?.slower) return;
  loaded.info = { ...loaded.info, speculationSpeed: verdict };
}
