/**
 * Runs one evaluation task through the completion pipeline as the editor would: the document is
 * open with the middle missing and the cursor where it was, the pipeline plans the request with
 * the syntax-aware context (or, for the baseline, with prefix/suffix windows only), the engine
 * generates, and the same post-processing as live completion turns its text into the suggestion.
 * The time to the first line comes from the engine's streamed text.
 */
import { ContextBuilder } from '../../context/contextBuilder';
import { DocumentStore } from '../../context/documentStore';
import type { Grammars } from '../../context/grammars';
import type { WorkspaceIndex } from '../../context/workspaceIndex';
import type { FimRequest, FimResult, TokenTrace } from '../../models/engine/engineProtocol';
import { CompletionPipeline, type PipelineSettings } from '../completionPipeline';
import type { StreamingBackend } from '../engineJob';
import { SyntaxContextSource } from '../syntaxContextSource';
import { applyGate } from '../confidenceGate';
import { CUT_RATIO } from '../confidenceThresholds';
import { plainPlan } from '../contextSource';
import { GATE_THRESHOLDS } from './gateMetrics';
import { adapterInput } from './adapterInput';
import type { TaskOutcome } from './metrics';
import type { FimTask } from './taskSet';

export type EvalMode = 'context' | 'baseline';

export class TaskRunner {
  private readonly store: DocumentStore;
  private readonly builder: ContextBuilder;
  private readonly source: SyntaxContextSource;
  private timing = { firstLineAt: undefined as number | undefined };

  constructor(
    private readonly backend: StreamingBackend,
    private readonly grammars: Grammars,
    private readonly index: WorkspaceIndex,
    root: string,
    repoName: string,
    contextTokens: number,
  ) {
    this.store = new DocumentStore(grammars, index);
    this.builder = new ContextBuilder(this.store, index, repoName, root);
    this.source = new SyntaxContextSource(this.builder, grammars, { contextTokens });
  }

  /** undefined when the run was cancelled. */
  async run(task: FimTask, mode: EvalMode, settings: PipelineSettings, signal: AbortSignal, engine: StreamingBackend & { forTask?(task: FimTask): void } = this.backend): Promise<TaskOutcome | undefined> {
    if (signal.aborted) return undefined;
    engine.forTask?.(task);
    let raw: FimResult | undefined;
    const timed: StreamingBackend = {
      complete: async (request: FimRequest, s: AbortSignal, onText?: (text: string, tokens?: TokenTrace) => void): Promise<FimResult | undefined> =>
        raw = await engine.complete(request, s, (text, tokens) => {
          if (this.timing.firstLineAt === undefined && /\S[^\n]*\n/.test(text)) this.timing.firstLineAt = performance.now();
          onText?.(text, tokens);
        }),
    };
    // Naive: no memory between tasks, no reuse, no deadline: every task is a fresh generation.
    const pipeline = new CompletionPipeline(timed, mode === 'context' ? { context: this.source, naive: true } : { naive: true });
    const uri = `file:///evaluation/${task.path}`;
    const original = this.index.files.get(task.path);
    const input = adapterInput(task, mode === 'context' ? uri : undefined);
    if (mode === 'context') {
      await this.grammars.load(task.languageId);
      this.store.open({ uri, languageId: task.languageId, text: task.prefix + task.suffix, path: task.path });
      this.store.settle(uri);
      // The user has been here a moment: background reads (analogous code) have landed.
      this.source.plan(input, settings);
      await this.builder.analogs.idle();
    }
    // One signal per task: the pipeline's listeners go with it instead of piling up on the run's.
    const task$ = new AbortController();
    const onAbort = () => task$.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      this.timing = { firstLineAt: undefined };
      const started = performance.now();
      const outcome = await pipeline.complete(input, settings, task$.signal);
      const totalMs = performance.now() - started;
      if (signal.aborted) return undefined;
      const base = { kind: task.kind, languageId: task.languageId, path: task.path, expected: task.middle, totalMs };
      if (outcome.kind === 'skipped') {
        return { ...base, got: '', firstLineMs: 0, totalMs: 0, generatedTokens: 0, generateMs: 0, skipped: outcome.reason };
      }
      const got = outcome.kind === 'completion' ? outcome.completion.text : '';
      // The same raw text at every threshold, finished against the same (still open) document.
      const plan = mode === 'context' ? this.source.plan(input, settings) : plainPlan(input, settings);
      const finish = 'skip' in plan ? () => '' : plan.finish;
      const gated = GATE_THRESHOLDS.map((show) => {
        if (!raw || !got) return '';
        const kept = applyGate(raw.text, raw.tokens, show > 0 ? { show, cut: show * CUT_RATIO } : undefined).text;
        return kept ? finish(kept) : '';
      });
      const candidates = settings.alternatives && settings.alternatives > 1 && outcome.kind === 'completion' ? [got, ...outcome.completion.alternatives ?? []] : undefined;
      const stats = outcome.kind === 'completion' ? outcome.completion.engine : outcome.kind === 'empty' ? outcome.engine : undefined;
      const firstLineAt = this.timing.firstLineAt;
      return {
        ...base, got, raw: raw?.text, gated, candidates, probs: raw?.tokens?.probs.map((p) => Math.round(p * 1000) / 1000),
        firstLineMs: firstLineAt === undefined ? totalMs : Math.min(totalMs, firstLineAt - started),
        generatedTokens: stats?.generatedTokens ?? 0,
        generateMs: stats?.generateMs ?? 0,
      };
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (mode === 'context') {
        this.store.close(uri);
        this.builder.forget(uri);
        if (original) this.index.set(original);
      }
    }
  }

  dispose(): void {
    this.store.dispose();
  }
}
