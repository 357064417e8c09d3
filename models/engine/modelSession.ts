/**
 * Which model should be loaded, and whether it is: turns settings into engine load options, loads
 * lazily on the first request, and remembers a failure so a broken model file is reported once
 * instead of being retried on every keystroke.
 */
import { EventEmitter } from 'node:events';
import type { EngineClient } from './engineClient';
import { EngineError, type LoadOptions, type ModelInfo } from './engineProtocol';
import { modelLabel } from './modelFileFacts';

export interface ModelChoice {
  modelPath?: string;
  draftModelPath?: string;
  contextSize: number;
  threads: number;
  /** Up to this many threads when measured faster (LoadOptions.maxThreads). */
  maxThreads?: number;
  gpu: 'auto' | 'off';
  speculation: 'auto' | 'off';
}

export class ModelSession extends EventEmitter {
  private choice?: ModelChoice;
  private failure?: { key: string; error: EngineError };

  constructor(readonly engine: EngineClient) {
    super();
  }

  get modelPath(): string | undefined { return this.choice?.modelPath; }
  get label(): string | undefined { return this.choice?.modelPath ? modelLabel(this.choice.modelPath) : undefined; }
  get lastError(): EngineError | undefined { return this.failure?.error; }
  get info(): ModelInfo | undefined { return this.engine.modelInfo; }

  /** Takes a new configuration; returns true when it differs from the current one. */
  configure(choice: ModelChoice): boolean {
    const changed = JSON.stringify(choice) !== JSON.stringify(this.choice);
    this.choice = choice;
    if (changed) {
      this.failure = undefined;
      this.emit('change');
    }
    return changed;
  }

  /** Forget a remembered failure, so the next request tries again (e.g. after the file was fixed). */
  retry(): void {
    this.failure = undefined;
    this.emit('change');
  }

  /** The loaded model, loading it if needed; undefined when there is none or it cannot load. */
  async ensureLoaded(): Promise<ModelInfo | undefined> {
    const options = this.loadOptions();
    if (!options) return undefined;
    const key = JSON.stringify(options);
    if (this.failure?.key === key) return undefined;
    try {
      return await this.engine.load(options);
    } catch (err) {
      const error = err instanceof EngineError ? err : new EngineError('internal', String(err));
      // A crash while loading is worth another try; a bad file is not until something changes.
      if (error.code !== 'engine-crashed' && JSON.stringify(this.loadOptions()) === key) {
        this.failure = { key, error };
      }
      this.emit('failure', error);
      return undefined;
    }
  }

  private loadOptions(): LoadOptions | undefined {
    const c = this.choice;
    if (!c?.modelPath) return undefined;
    return {
      modelPath: c.modelPath,
      draftModelPath: c.draftModelPath || undefined,
      contextSize: c.contextSize,
      threads: c.threads,
      maxThreads: c.maxThreads,
      gpu: c.gpu,
      speculation: c.speculation,
    };
  }
}
