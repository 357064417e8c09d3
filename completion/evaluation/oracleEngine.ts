/**
 * `--model oracle`: a stand-in engine whose output is the task's true middle followed by the real
 * text after it, cut by the engine's own stop rules (the same cutPoint as the decode loop), every
 * token certain. It measures what the pipeline's cut and post-processing do to a perfect model.
 */
import type { FimRequest, FimResult, LoadOptions, ModelInfo } from '../../models/engine/engineProtocol';
import { cutPoint } from '../../models/engine/stopRules';
import type { FimTask } from './sampleTasks';

export const ORACLE_MODEL = 'oracle';

/** Shaped like runner.EvalEngine (not imported: the runner creates it). */
export class OracleEngine {
  readonly pid = undefined;
  private task?: FimTask;

  /** The task the next completion answers (the runner says so before each one). */
  forTask(task: FimTask): void {
    this.task = task;
  }

  async load(options: LoadOptions): Promise<ModelInfo> {
    return { path: options.modelPath, name: ORACLE_MODEL, architecture: 'oracle', contextSize: options.contextSize, trainContextSize: options.contextSize,
      loadMs: 0, threads: 0, gpu: false, hasRepoTokens: true, speculation: 'off' };
  }

  async complete(request: FimRequest): Promise<FimResult> {
    const raw = this.task ? this.task.middle + this.task.suffix.slice(0, 3000) : '';
    const cut = cutPoint(raw, request);
    const text = cut ? raw.slice(0, cut.at) : raw;
    const stats = { promptTokens: 0, evaluatedTokens: 0, generatedTokens: 0, promptMs: 0, generateMs: 0, totalMs: 0, aborted: false,
      stopReason: cut ? cut.reason : 'eog', speculativeAccepted: 0, speculativeProposed: 0 } as const;
    return { text, stats: { ...stats }, tokens: { probs: text ? [1] : [], ends: text ? [text.length] : [] } };
  }

  async stop(): Promise<void> {}
}
