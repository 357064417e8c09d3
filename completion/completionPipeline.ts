/**
 * The completion pipeline: request -> memory -> running job -> prompt -> engine -> post-process.
 * It knows nothing of VS Code, so the same code runs in the editor, in tests and in benchmarks.
 *
 * Latency comes from not redoing work: suggestions are remembered by place (typing through a
 * suggestion or backspacing costs no engine call), a running generation that the new keystroke
 * is compatible with is awaited instead of restarted, what is ready at the deadline is shown while
 * the rest keeps generating into memory, and the next completion is prefetched after an accept.
 */
import { EventEmitter } from 'node:events';
import type { FimRequest, FimResult, TokenTrace } from '../models/engine/engineProtocol';
import { applyGate, type GateThresholds } from './confidenceGate';
import { distinctAlternatives } from './alternativeTexts';
import { plainPlan, splitAtCursor, type ContextSource } from './contextSource';
import type { CompletionInput, PipelineSettings } from './pipelineTypes';
import { EngineJob, type StreamingBackend } from './engineJob';
import { PromptAnchors } from './promptAnchor';
import { StableWindows } from './stableWindow';
import { JumpStages, type StagedPrompt } from './jumpStages';
import { PromptRate } from './promptRate';
import { SuggestionMemory } from './suggestionMemory';
import { outcome, type CompletionSource, type PipelineOutcome } from './pipelineOutcome';
import { skipReason } from './triggerRules';

export type FimBackend = StreamingBackend;
export type { CompletionInput, PipelineSettings } from './pipelineTypes';
export type { Completion, CompletionSource, PipelineOutcome } from './pipelineOutcome';

/** Time kept back from the deadline for finishing the text and showing it. */
const DEADLINE_MARGIN_MS = 3;
/** Prefix tokens of the first prompt at a new place (bench/latency/README.md, "The jump"). */
export const JUMP_PREFIX_TOKENS = 64;

export interface PipelineOptions {
  /**
   * The baseline for benchmarks: no memory, no job reuse, no deadline; every request starts a
   * fresh generation and a cancelled request aborts it.
   */
  naive?: boolean;
  /** Windows, snippets, line-vs-block and post-processing from the syntax tree (context/). */
  context?: ContextSource;
  /**
   * Prompt layout: 'anchored' (default) puts the text typed since the start of the line after the
   * FIM middle token (completion/promptAnchor.ts); 'classic' ends the prefix at the cursor.
   */
  layout?: 'anchored' | 'classic';
  /**
   * Prefix tokens of the first prompt at a new place, after the snippets the engine already holds
   * (completion/jumpStages.ts; default JUMP_PREFIX_TOKENS; 0: the full prompt at once). Idle
   * warm-ups grow it to the full window, then to this place's snippets.
   */
  jumpPrefixTokens?: number;
}

interface Place {
  document: string; prefix: string; suffix: string; lineSuffix: string; followingText: string; request: FimRequest; finish: (raw: string) => string; gate?: GateThresholds;
  /** A prompt growth (completion/jumpStages.ts): adopted once a warm-up has evaluated it. */
  adopt?: () => void;
  /** The document's key in JumpStages, when the prompt was staged. */
  stageKey?: string;
}

export class CompletionPipeline extends EventEmitter {
  readonly memory = new SuggestionMemory();
  private readonly windows = new StableWindows();
  private readonly stages = new JumpStages(this.windows);
  private readonly anchors = new PromptAnchors();
  private readonly rate = new PromptRate();
  /** The place each job was started for: its raw text is finished against that place. */
  private readonly jobPlaces = new WeakMap<EngineJob, Place>();
  private job?: EngineJob;

  constructor(private readonly backend: FimBackend, private readonly options: PipelineOptions = {}) {
    super();
  }

  async complete(input: CompletionInput, settings: PipelineSettings, signal: AbortSignal): Promise<PipelineOutcome> {
    const started = performance.now();
    const place = this.place(input, settings);
    if ('skip' in place) return { kind: 'skipped', reason: place.skip };
    const elapsed = () => performance.now() - started;
    const naive = this.options.naive;

    const explicit = (settings.alternatives ?? 1) > 1;
    const instant = explicit ? undefined : this.instant(place, started);
    if (instant) return instant;
    const running = this.job;
    let typed = running && !naive && !running.warmOnly && !explicit ? running.typedSince(place.prefix, place.suffix) : undefined;
    let job: EngineJob;
    let source: CompletionSource = 'engine';
    if (running && typed !== undefined) {
      job = running;
      source = 'reused-job';
    } else {
      running?.abort();
      const fresh = job = this.job = new EngineJob(this.backend, place.request, place.prefix, place.suffix);
      this.jobPlaces.set(fresh, place);
      typed = '';
      void fresh.done.then(() => this.settle(fresh, place));
    }
    const onCancel = () => { if (naive) job.abort(); };
    signal.addEventListener('abort', onCancel, { once: true });
    try {
      const early = await this.wait(job, settings, signal, started);
      if (signal.aborted) return { kind: 'cancelled' };
      if (early !== undefined) {
        // An explicit request (Alt+], Alt+\) asked for candidates: it waits for them, not for the deadline.
        const text = explicit ? '' : this.finalText(early, this.jobPlaces.get(job) ?? place, typed, job.partialTokens);
        if (text) return outcome(text, elapsed(), 'deadline', undefined, true);
        await Promise.race([job.done, aborted(signal)]);
        if (signal.aborted) return { kind: 'cancelled' };
      }
      const result = job.result;
      if (!result) return { kind: 'cancelled' };
      const jobPlace = this.jobPlaces.get(job) ?? place;
      const text = this.finalText(result.text, jobPlace, typed, result.tokens);
      const others = result.alternatives?.map((a) => this.finalText(a.text, jobPlace, typed, a.tokens)) ?? [];
      const [first, ...alternatives] = distinctAlternatives([text, ...others]);
      if (!first) return { kind: 'empty', latencyMs: elapsed(), engine: result.stats };
      const done = outcome(first, elapsed(), source, result.stats);
      if (alternatives.length && done.kind === 'completion') done.completion.alternatives = alternatives;
      return done;
    } finally {
      signal.removeEventListener('abort', onCancel);
    }
  }

  /**
   * The answer that needs no new engine work (memory, or what the running job already wrote past
   * the typed text), or undefined. The editor asks this before its debounce, so typing through a
   * suggestion is never delayed.
   */
  answerNow(input: CompletionInput, settings: PipelineSettings): PipelineOutcome | undefined {
    const started = performance.now();
    const place = this.place(input, settings);
    return 'skip' in place ? { kind: 'skipped', reason: place.skip } : this.instant(place, started);
  }

  /**
   * What memory holds for this place (typed through included): the settled rest of a partial
   * suggestion. No engine work, and no running job is touched (unlike answerNow).
   */
  recalled(input: CompletionInput, settings: PipelineSettings): PipelineOutcome | undefined {
    const place = this.place(input, settings);
    const recalled = 'skip' in place ? undefined : this.memory.recall(place.prefix, place.suffix, place.document);
    return recalled && outcome(recalled.text, 0, recalled.typed ? 'typing-through' : 'memory');
  }

  private instant(place: Place, started: number): PipelineOutcome | undefined {
    if (this.options.naive) return undefined;
    const recalled = this.memory.recall(place.prefix, place.suffix, place.document);
    if (recalled) return outcome(recalled.text, performance.now() - started, recalled.typed ? 'typing-through' : 'memory');
    const running = this.job;
    if (!running || running.finished || running.warmOnly) return undefined;
    const typed = running.typedSince(place.prefix, place.suffix);
    // A job that cannot serve this place is stopped now: the native step it is in cannot be
    // interrupted, and the editor's debounce before the next request hides that wait (else the
    // next request waits for it in the engine: 30-40 ms per fresh keystroke in bench:latency).
    if (typed === undefined) running.abort();
    // The running job already wrote past what was typed since: show that now, not at the deadline.
    const ready = typed === undefined ? '' : this.finalText(running.partial, this.jobPlaces.get(running) ?? place, typed, running.partialTokens);
    return ready ? outcome(ready, performance.now() - started, 'reused-job', undefined, true) : undefined;
  }

  /**
   * Whether a generation is running for someone. The editor debounces new engine work only then
   * (to stop a storm of restarts while typing fast); an idle engine starts at once.
   */
  get busy(): boolean {
    return !!this.job && !this.job.finished && !this.job.warmOnly;
  }

  /** Start the completion that follows an accepted one, before anyone asks for it. */
  prefetch(input: CompletionInput, settings: PipelineSettings): void {
    this.startBackground(input, settings, false);
  }

  /** Bring the prompt for this place into the engine's KV cache while the user pauses. */
  warm(input: CompletionInput, settings: PipelineSettings): void {
    this.startBackground(input, settings, true);
  }

  clearCache(): void {
    this.memory.clear();
    this.stages.clear();
    this.rate.clear();
    this.job?.abort();
    this.job = undefined;
  }

  private startBackground(input: CompletionInput, settings: PipelineSettings, warmOnly: boolean): void {
    if (this.options.naive || (this.job && !this.job.finished)) return;
    const place = this.place(input, settings, warmOnly);
    if ('skip' in place || this.memory.recall(place.prefix, place.suffix, place.document)) return;
    const job = this.job = new EngineJob(this.backend, { ...place.request, warmOnly }, place.prefix, place.suffix);
    this.jobPlaces.set(job, place);
    // Where the cache follows the last prompt sent, the growth is what it holds from now on.
    if (warmOnly && this.backend.warmsBeside === false) place.adopt?.();
    void job.done.then(() => this.settle(job, place));
  }

  /**
   * A finished job's suggestion goes into memory, and listeners hear of results nobody waited for;
   * a completed warm-up's prompt growth is adopted, and listeners hear when the prompt can grow.
   */
  private settle(job: EngineJob, place: Place): void {
    if (job.result && !job.result.stats.aborted) this.rate.record(job.result.stats.evaluatedTokens, job.result.stats.promptMs);
    if (job.result?.stats.stopReason === 'warm') place.adopt?.();
    if (place.stageKey !== undefined && this.stages.stage(place.stageKey) !== 'full') this.emit('growable');
    if (!job.result || job.warmOnly || job.result.stats.aborted || this.options.naive) return;
    const text = this.finalText(job.result.text, place, '', job.result.tokens);
    this.memory.remember(place.prefix, place.suffix, text, place.document);
    this.emit('settled', { prefix: place.prefix, suffix: place.suffix, text });
  }

  /**
   * Waits for the job; returns its partial text if the deadline (counted from the request's start,
   * less a small margin for post-processing and the trip to the editor) passes first.
   */
  private async wait(job: EngineJob, settings: PipelineSettings, signal: AbortSignal, started: number): Promise<string | undefined> {
    const deadlineMs = this.options.naive ? 0 : settings.deadlineMs ?? 0;
    const deadline = deadlineMs - DEADLINE_MARGIN_MS - (performance.now() - started);
    if (deadlineMs <= 0 || job.finished) {
      await Promise.race([job.done, aborted(signal)]);
      return undefined;
    }
    let timer: NodeJS.Timeout | undefined;
    const late = await Promise.race([
      job.done.then(() => false),
      aborted(signal).then(() => false),
      new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(true), Math.max(0, deadline)); }),
    ]);
    clearTimeout(timer);
    return late && !job.finished ? job.partial : undefined;
  }

  /** Gated and post-processed text for this place, minus what the user has typed since the job started. */
  private finalText(raw: string, place: Place, typed: string, tokens?: TokenTrace): string {
    const gated = applyGate(raw, tokens, place.gate).text;
    const text = gated ? place.finish(gated) : '';
    if (!typed) return text;
    return text.startsWith(typed) ? text.slice(typed.length) : '';
  }

  /**
   * The planned place, with the prefix window held where it was (KV cache) and, for the naive
   * baseline, the whole prompt evaluated afresh each time.
   */
  private place(input: CompletionInput, settings: PipelineSettings, grow = false): Place | { skip: string } {
    const planned = this.placeIn(input, settings, grow);
    return 'skip' in planned ? planned : { ...planned, document: input.uri ?? '' };
  }

  private placeIn(input: CompletionInput, settings: PipelineSettings, grow: boolean): Omit<Place, 'document'> | { skip: string } {
    const found = this.planPlace(input, settings);
    if ('skip' in found) return found;
    const alternatives = settings.alternatives && settings.alternatives > 1 ? settings.alternatives : undefined;
    const planned = { ...found, gate: settings.confidence, request: alternatives ? { ...found.request, alternatives } : found.request };
    if (this.options.naive) return { ...planned, request: { ...planned.request, freshPrompt: true } };
    const key = input.uri ?? input.languageId;
    // Staged only where warm-ups reach a cache (else it never grows) and a whole prompt is slow to read.
    const stage = this.backend.warms !== false && this.rate.slowFor(planned.request);
    const jumpTokens = stage ? this.options.jumpPrefixTokens ?? JUMP_PREFIX_TOKENS : 0;
    let staged: StagedPrompt;
    if (jumpTokens > 0 && jumpTokens < settings.prefixTokens) {
      staged = this.stages.plan({ documentKey: key, fullPrefix: input.prefix, planned: planned.request, budgetTokens: settings.prefixTokens, jumpTokens, grow });
    } else {
      if (!input.prefix.endsWith(planned.request.prefix)) return planned;
      // Warm-ups (the user pauses) grow a window that came out short to the full one.
      const jump = grow ? StableWindows.growing(planned.request.prefix) : undefined;
      staged = { prefix: this.windows.choose(key, input.prefix, planned.request.prefix, settings.prefixTokens, jump), context: planned.request.context };
    }
    const { prefix, context, adopt } = staged;
    const anchor = this.options.layout === 'classic' ? 0 : this.anchors.choose(key, prefix);
    const request = { ...planned.request, prefix, context, maxPrefixTokens: this.windows.engineCap(settings.prefixTokens), ...(anchor ? { anchor } : {}) };
    return { ...planned, prefix, request, adopt, stageKey: jumpTokens > 0 ? key : undefined };
  }

  private planPlace(input: CompletionInput, settings: PipelineSettings): Omit<Place, 'document'> | { skip: string } {
    if (this.options.context) {
      const plan = this.options.context.plan(input, settings);
      return 'skip' in plan ? plan : { ...plan, prefix: plan.request.prefix, suffix: plan.request.suffix };
    }
    const { linePrefix, lineSuffix } = splitAtCursor(input);
    const skip = skipReason(linePrefix, lineSuffix);
    if (skip) return { skip };
    const plan = plainPlan(input, settings);
    return { ...plan, prefix: plan.request.prefix, suffix: plan.request.suffix };
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  return signal.aborted ? Promise.resolve() : new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
