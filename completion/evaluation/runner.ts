/**
 * The evaluation run: for each model (and model + draft), load it in the engine process, run every
 * task with the full context pipeline and with the prefix/suffix-only baseline, read the engine's
 * peak memory, and stop the engine so the next model starts in a fresh process. Cancellable at any
 * task; a cancelled run returns what it has, marked as cancelled.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { Grammars } from '../../context/grammars';
import { WorkspaceIndex } from '../../context/workspaceIndex';
import { indexFile, listSourceFiles } from '../../context/workspaceScanner';
import type { FimRequest, FimResult, LoadOptions, ModelInfo, TokenTrace } from '../../models/engine/engineProtocol';
import type { PipelineSettings } from '../completionPipeline';
import { summarize, type Figures, type TaskOutcome } from './metrics';
import { peakRssBytes } from './processMemory';
import { TaskRunner, type EvalMode } from './taskRunner';
import { gateReport, type GateReport } from './gateMetrics';
import { ORACLE_MODEL, OracleEngine } from './oracleEngine';
import type { FimTask } from './taskSet';

/** What the runner needs of the engine: EngineClient (a forked engine process) fits. */
export interface EvalEngine {
  load(options: LoadOptions): Promise<ModelInfo>;
  complete(request: FimRequest, signal: AbortSignal, onText?: (text: string, tokens?: TokenTrace) => void): Promise<FimResult | undefined>;
  stop(): Promise<void>;
  readonly pid: number | undefined;
}

export interface ModelUnderTest {
  path: string;
  draftPath?: string;
}

export type Summary = ReturnType<typeof summarize>;

export interface ModelResult {
  label: string;
  path: string;
  draftPath?: string;
  error?: string;
  info?: Pick<ModelInfo, 'name' | 'architecture' | 'loadMs' | 'threads' | 'gpu' | 'speculation' | 'draftRefused'>;
  peakMemoryBytes?: number;
  context?: Summary;
  baseline?: Summary;
  /** The confidence gate's curve and recommended threshold (with context). */
  gate?: GateReport;
  outcomes: Record<EvalMode, TaskOutcome[]>;
}

export interface EvaluationReport {
  version: 1;
  repo: string;
  createdAt: string;
  seed: number;
  settings: PipelineSettings & { contextTokens: number; contextSize: number; threads: number; gpu: string };
  tasks: { count: number; byKind: Record<string, number>; byLanguage: Record<string, number> };
  machine: { platform: string; cpus: number; totalMemoryBytes: number };
  models: ModelResult[];
  best?: { index: number; label: string; path: string; draftPath?: string; reason: string };
  cancelled: boolean;
  totalMs: number;
}

export interface Progress {
  done: number;
  total: number;
  message: string;
}

export interface EvaluationOptions {
  root: string;
  tasks: FimTask[];
  seed: number;
  models: ModelUnderTest[];
  engine: EvalEngine;
  grammars: Grammars;
  load: { contextSize: number; threads: number; gpu: 'auto' | 'off'; speculation?: 'auto' | 'off' };
  settings: PipelineSettings;
  contextTokens?: number;
  /** Run the prefix/suffix-only baseline beside the full pipeline (default true). */
  baseline?: boolean;
  signal?: AbortSignal;
  onProgress?(progress: Progress): void;
  /** An index of the workspace's definitions; built from the task files' folder when absent. */
  index?: WorkspaceIndex;
}

export const modelLabel = (m: ModelUnderTest) =>
  path.basename(m.path).replace(/\.gguf$/i, '') + (m.draftPath ? ` + ${path.basename(m.draftPath).replace(/\.gguf$/i, '')}` : '');

export async function evaluateModels(options: EvaluationOptions): Promise<EvaluationReport> {
  const started = performance.now();
  const signal = options.signal ?? new AbortController().signal;
  const contextTokens = options.contextTokens ?? 1024;
  const modes: EvalMode[] = options.baseline === false ? ['context'] : ['context', 'baseline'];
  const index = options.index ?? await indexWorkspace(options.root, options.grammars, signal);
  const runner = new TaskRunner(options.engine, options.grammars, index, options.root, path.basename(options.root), contextTokens);
  const total = options.models.length * options.tasks.length * modes.length;
  let done = 0;
  const results: ModelResult[] = [];
  try {
    for (const model of options.models) {
      if (signal.aborted) break;
      const label = modelLabel(model);
      const result: ModelResult = { label, path: model.path, draftPath: model.draftPath, outcomes: { context: [], baseline: [] } };
      results.push(result);
      options.onProgress?.({ done, total, message: `loading ${label}` });
      const engine = model.path === ORACLE_MODEL ? new OracleEngine() : options.engine;
      try {
        const info = await engine.load({
          modelPath: model.path, draftModelPath: model.draftPath, contextSize: options.load.contextSize,
          threads: options.load.threads, gpu: options.load.gpu, speculation: options.load.speculation ?? 'auto',
        });
        result.info = { name: info.name, architecture: info.architecture, loadMs: info.loadMs, threads: info.threads, gpu: info.gpu, speculation: info.speculation, draftRefused: info.draftRefused };
        for (const mode of modes) {
          for (const task of options.tasks) {
            if (signal.aborted) break;
            const outcome = await runner.run(task, mode, options.settings, signal, engine);
            if (!outcome) break;
            result.outcomes[mode].push(outcome);
            done++;
            options.onProgress?.({ done, total, message: `${label}: ${mode === 'context' ? 'with context' : 'baseline'} ${result.outcomes[mode].length}/${options.tasks.length}` });
          }
          result[mode] = summarize(result.outcomes[mode]);
        }
        result.gate = gateReport(result.outcomes.context.filter((o) => o.gated).map((o) => ({ expected: o.expected, gated: o.gated!, candidates: o.candidates })));
        result.peakMemoryBytes = peakRssBytes(engine.pid);
      } catch (err) {
        result.error = err instanceof Error ? err.message : String(err);
        done += options.tasks.length * modes.length - result.outcomes.context.length - result.outcomes.baseline.length;
      } finally {
        // A fresh engine process per model: its peak memory is that model's alone.
        await engine.stop();
      }
    }
  } finally {
    runner.dispose();
  }
  const count = (key: (t: FimTask) => string) => {
    const out: Record<string, number> = {};
    for (const t of options.tasks) out[key(t)] = (out[key(t)] ?? 0) + 1;
    return out;
  };
  return {
    version: 1,
    repo: options.root,
    createdAt: new Date().toISOString(),
    seed: options.seed,
    settings: { ...options.settings, contextTokens, contextSize: options.load.contextSize, threads: options.load.threads, gpu: options.load.gpu },
    tasks: { count: options.tasks.length, byKind: count((t) => t.kind), byLanguage: count((t) => t.languageId) },
    machine: { platform: `${process.platform}-${process.arch}`, cpus: os.cpus().length, totalMemoryBytes: os.totalmem() },
    models: results,
    best: signal.aborted ? undefined : bestModel(results),
    cancelled: signal.aborted,
    totalMs: Math.round(performance.now() - started),
  };
}

/** First lines slower than this (p50) are felt as lag; such a model wins only if all are. */
export const SLOW_FIRST_LINE_MS = 1000;

/**
 * The best model for this machine: among those whose first line comes in time (all, if none
 * does), the most first lines right, then the closest text, then the fastest.
 */
export function bestModel(results: readonly ModelResult[]): EvaluationReport['best'] {
  const usable = results.map((r, index) => ({ r, index, f: r.context?.overall })).filter((x): x is { r: ModelResult; index: number; f: Figures } => !x.r.error && !!x.f && x.f.tasks > 0);
  if (!usable.length) return undefined;
  const fast = usable.filter((x) => x.f.firstLineP50Ms <= SLOW_FIRST_LINE_MS);
  const pool = fast.length ? fast : usable;
  pool.sort((a, b) => b.f.firstLineCorrect - a.f.firstLineCorrect || b.f.editSimilarity - a.f.editSimilarity || a.f.firstLineP50Ms - b.f.firstLineP50Ms);
  const top = pool[0];
  const reason = `most first lines correct (${pct(top.f.firstLineCorrect)}), edit similarity ${top.f.editSimilarity.toFixed(2)}, ` +
    `first line p50 ${Math.round(top.f.firstLineP50Ms)} ms` + (fast.length ? '' : ` (every model is slower than ${SLOW_FIRST_LINE_MS} ms here)`);
  return { index: top.index, label: top.r.label, path: top.r.path, draftPath: top.r.draftPath, reason };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** The definitions index of the workspace (for context snippets), as the editor's indexer builds it. */
export async function indexWorkspace(root: string, grammars: Grammars, signal?: AbortSignal, files?: readonly string[]): Promise<WorkspaceIndex> {
  const index = new WorkspaceIndex();
  for (const rel of files ?? await listSourceFiles(root, { maxFiles: 3000 })) {
    if (signal?.aborted) break;
    // A generous parse budget: on a busy machine the default one would make results depend on timing.
    const entry = await indexFile(root, rel, grammars, { parseMs: 5000 }).catch(() => undefined);
    if (entry) index.set(entry);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return index;
}
