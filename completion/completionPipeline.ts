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
import { SuggestionMemory } from './suggestionMemory';
import { skipReason } from './triggerRules';
import { windowPrefix } from '../context/promptWindows';

export type FimBackend = StreamingBackend;
export type { CompletionInput, PipelineSettings } from './pipelineTypes';

/** Time kept back from the deadline for finishing the text and showing it. */
const DEADLINE_MARGIN_MS = 3;

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
   * Prefix tokens of the first prompt at a new place (0: the full window at once; at least ~48, so
   * that the window's start can be recognised, completion/stableWindow.ts). The window then grows as
   * the user types there and to the full budget when the pipeline warms up (idle).
   */
  jumpPrefixTokens?: number;
}

export type CompletionSource = 'engine' | 'memory' | 'typing-through' | 'reused-job' | 'deadline';

export interface Completion {
  text: string;
  latencyMs: number;
  fromCache: boolean;
  source: CompletionSource;
  engine?: FimResult['stats'];
  /** Other candidates on an explicit request, distinct from `text` and each other. */
  alternatives?: string[];
}

export type PipelineOutcome =
  | { kind: 'completion'; completion: Completion }
  | { kind: 'empty'; latencyMs: number; engine?: FimResult['stats'] }
  | { kind: 'skipped'; reason: string }
  | { kind: 'cancelled' };

interface Place { document: string; prefix: string; suffix: string; lineSuffix: string; followingText: string; request: FimRequest; finish: (raw: string) => string; gate?: GateThresholds }

export class CompletionPipeline extends EventEmitter {
  readonly memory = new SuggestionMemory();
  private readonly windows = new StableWindows();
  private readonly anchors = new PromptAnchors();
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
        if (text) return outcome(text, elapsed(), 'deadline');
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

  private instant(place: Place, started: number): PipelineOutcome | undefined {
    if (this.options.naive) return undefined;
    const recalled = this.memory.recall(place.prefix, place.suffix, place.document);
    if (recalled) return outcome(recalled.text, performance.now() - started, recalled.typed ? 'typing-through' : 'memory');
    const running = this.job;
    if (!running || running.finished || running.warmOnly) return undefined;
    const typed = running.typedSince(place.prefix, place.suffix);
    // The running job already wrote past what was typed since: show that now, not at the deadline.
    const ready = typed === undefined ? '' : this.finalText(running.partial, this.jobPlaces.get(running) ?? place, typed, running.partialTokens);
    return ready ? outcome(ready, performance.now() - started, 'reused-job') : undefined;
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
    this.job?.abort();
    this.job = undefined;
  }

  private startBackground(input: CompletionInput, settings: PipelineSettings, warmOnly: boolean): void {
    if (this.options.naive || (this.job && !this.job.finished)) return;
    const place = this.place(input, settings, warmOnly);
    if ('skip' in place || this.memory.recall(place.prefix, place.suffix, place.document)) return;
    const job = this.job = new EngineJob(this.backend, { ...place.request, warmOnly }, place.prefix, place.suffix);
    this.jobPlaces.set(job, place);
    void job.done.then(() => this.settle(job, place));
  }

  /** A finished job's suggestion goes into memory, and listeners hear of results nobody waited for. */
  private settle(job: EngineJob, place: Place): void {
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
    if (!input.prefix.endsWith(planned.request.prefix)) return planned;
    // At a new place a small window answers first; warm-ups (the user pauses) grow it to the full one.
    const jumpTokens = this.options.jumpPrefixTokens ?? 0;
    const small = jumpTokens > 0 && jumpTokens < settings.prefixTokens && !grow ? windowPrefix(planned.request.prefix, jumpTokens) : undefined;
    const jump = grow ? { atLeast: Math.floor(planned.request.prefix.length * 0.75) } : small !== undefined ? { small } : undefined;
    const prefix = this.windows.choose(input.uri ?? input.languageId, input.prefix, planned.request.prefix, settings.prefixTokens, jump);
    const anchor = this.options.layout === 'classic' ? 0 : this.anchors.choose(input.uri ?? input.languageId, prefix);
    const request = { ...planned.request, prefix, maxPrefixTokens: this.windows.engineCap(settings.prefixTokens), ...(anchor ? { anchor } : {}) };
    return { ...planned, prefix, request };
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

function outcome(text: string, latencyMs: number, source: CompletionSource, engine?: FimResult['stats']): PipelineOutcome {
  if (!text) return { kind: 'empty', latencyMs, engine };
  return { kind: 'completion', completion: { text, latencyMs, fromCache: source === 'memory' || source === 'typing-through', source, engine } };
}

function aborted(signal: AbortSignal): Promise<void> {
  return signal.aborted ? Promise.resolve() : new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
