/**
 * Loads a FIM model (and an optional speculative draft) with node-llama-cpp, inside the engine
 * process. Everything that must be disposed together lives in one LoadedModel.
 */
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };
import { SpeculationGovernor } from './adaptivePredictor';
import { EngineError, type LoadOptions, type ModelInfo } from './engineProtocol';
import type { FimTokens } from './fimPrompt';
import { modelLabel, validateModelFile } from './modelValidation';
import { DraftGuesser, LookupGuesser, type TokenGuesser } from './tokenGuessers';

export type Log = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

export interface LoadedModel {
  options: LoadOptions;
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
  fim: FimTokens<Token>;
  info: ModelInfo;
  /** Speculative guesses (draft model or prompt lookup); none when speculation is off. */
  guesser?: TokenGuesser;
  governor: SpeculationGovernor;
  draft?: { model: LlamaModel; context: LlamaContext };
}

export class ModelLoader {
  private llama?: { instance: Llama; gpu: LoadOptions['gpu']; threads: number };

  constructor(private readonly log: Log) {}

  async load(options: LoadOptions): Promise<LoadedModel> {
    const started = performance.now();
    const llama = await this.getLlama(options);
    const facts = await validateModelFile(options.modelPath, llama);
    const gpuLayers = options.gpu === 'off' ? 0 : 'auto';
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: options.modelPath, gpuLayers });
    } catch (err) {
      throw new EngineError('model-load-failed', `llama.cpp could not load ${options.modelPath}: ${errorText(err)}`);
    }
    const { prefix, suffix, middle } = model.tokens.infill;
    if (prefix == null || suffix == null || middle == null) {
      await model.dispose();
      throw new EngineError('model-no-fim', `${facts.name} has no fill-in-the-middle tokens, so it cannot complete code at the cursor.`);
    }
    const contextSize = Math.min(options.contextSize, model.trainContextSize || options.contextSize);
    const drafted = options.draftModelPath ? await this.loadDraft(llama, model, options, contextSize) : undefined;
    const draft = drafted && 'context' in drafted ? drafted : undefined;
    let context: LlamaContext;
    try {
      context = await model.createContext({ contextSize, threads: options.threads, sequences: 1 });
    } catch (err) {
      await disposeAll(undefined, draft, model);
      throw new EngineError('model-load-failed', `Not enough memory for a ${contextSize}-token context: ${errorText(err)}`);
    }
    const guesser = options.speculation === 'off' ? undefined
      : draft ? new DraftGuesser(draft.context.getSequence()) : new LookupGuesser();
    const sequence = context.getSequence();
    // The first evaluation pages the weights in and allocates compute buffers (seconds for a
    // 0.5B model): pay it while loading, not in the first completion or its cancellation.
    await sequence.evaluateWithoutGeneratingNewTokens([prefix]);
    await sequence.clearHistory();
    const special = (text: string): Token | undefined => {
      const [t] = model.tokenize(text, true);
      return t !== undefined && model.isSpecialToken(t) && model.detokenize([t], true) === text ? t : undefined;
    };
    const fim: FimTokens<Token> = { prefix, suffix, middle, repoName: special('<|repo_name|>'), fileSep: special('<|file_sep|>') };
    const info: ModelInfo = {
      path: options.modelPath,
      name: modelLabel(options.modelPath),
      architecture: facts.architecture,
      contextSize: context.contextSize,
      trainContextSize: model.trainContextSize,
      loadMs: Math.round(performance.now() - started),
      threads: options.threads,
      gpu: llama.gpu,
      hasRepoTokens: fim.repoName !== undefined && fim.fileSep !== undefined,
      draft: draft && options.draftModelPath ? { path: options.draftModelPath, name: modelLabel(options.draftModelPath) } : undefined,
      draftRefused: drafted && 'refused' in drafted ? drafted.refused : undefined,
      speculation: !guesser ? 'off' : draft ? 'draft' : 'lookup',
    };
    this.log('info', `loaded ${info.name} (${facts.architecture}, ctx ${info.contextSize}, ${options.threads} threads, ` +
      `speculation: ${info.speculation}) in ${info.loadMs} ms`);
    return { options, model, context, sequence, fim, info, guesser, governor: new SpeculationGovernor(), draft };
  }

  async unload(loaded: LoadedModel): Promise<void> {
    await disposeAll(loaded.context, loaded.draft, loaded.model);
  }

  private async getLlama(options: LoadOptions): Promise<Llama> {
    if (this.llama && this.llama.gpu === options.gpu && this.llama.threads === options.threads) return this.llama.instance;
    await this.llama?.instance.dispose();
    const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
    // build: 'never': never try to compile or download llama.cpp; the prebuilt binaries ship with us.
    const instance = await getLlama({
      gpu: options.gpu === 'off' ? false : 'auto',
      build: 'never',
      maxThreads: options.threads,
      logLevel: LlamaLogLevel.warn,
      logger: (level, message) => this.log(level === LlamaLogLevel.error || level === LlamaLogLevel.fatal ? 'error' : 'debug', message.trim()),
    });
    this.llama = { instance, gpu: options.gpu, threads: options.threads };
    return instance;
  }

  private async loadDraft(llama: Llama, target: LlamaModel, options: LoadOptions, contextSize: number):
    Promise<{ model: LlamaModel; context: LlamaContext } | { refused: string }> {
    const draftPath = options.draftModelPath!;
    try {
      await validateModelFile(draftPath, llama);
      const model = await llama.loadModel({ modelPath: draftPath, gpuLayers: options.gpu === 'off' ? 0 : 'auto' });
      const reason = draftIncompatibility(target, model);
      if (reason) {
        await model.dispose();
        throw new EngineError('draft-incompatible', reason);
      }
      // The draft runs between the target's steps (never beside them), so it gets the same threads.
      const context = await model.createContext({ contextSize, threads: options.threads, sequences: 1 });
      return { model, context };
    } catch (err) {
      // A bad draft never blocks completion: the target runs alone, and the status says why.
      this.log('warn', `draft model ${draftPath} not used: ${errorText(err)}`);
      return { refused: errorText(err) };
    }
  }
}

/** Why a draft cannot speculate for this target, or undefined when it can. */
export function draftIncompatibility(target: LlamaModel, draft: LlamaModel): string | undefined {
  const sample = 'function add(a, b) {\n\treturn a + b; // ünïcödé\n}\n';
  if (target.tokens.infill.middle !== draft.tokens.infill.middle) return 'its FIM tokens differ from the model\'s';
  if (target.tokenize(sample).join(',') !== draft.tokenize(sample).join(',')) return 'its tokenizer differs from the model\'s';
  return undefined;
}

// The draft's context goes first: nothing may touch freed state (node-llama-cpp otherwise throws
// an uncaught error that kills the process).
async function disposeAll(context: LlamaContext | undefined, draft: LoadedModel['draft'], model: LlamaModel): Promise<void> {
  await draft?.context.dispose();
  await context?.dispose();
  await draft?.model.dispose();
  await model.dispose();
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
