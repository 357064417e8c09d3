/**
 * Loads a FIM model (and an optional speculative draft) with node-llama-cpp, inside the engine
 * process. Everything that must be disposed together lives in one LoadedModel.
 */
import * as os from 'node:os';
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };
import { SpeculationGovernor } from './adaptivePredictor';
import { EngineError, type LoadOptions, type ModelInfo } from './engineProtocol';
import { fimOrderOf } from './fimOrder';
import type { FimTokens } from './fimPrompt';
import { mayHaveGpu } from './gpuDevices';
import { backendOf, cpuAttempt, fallbackReason, hasRealGpu, llamaAttempts, type LlamaAttempt } from './gpuPlan';
import { explainBinaryFailure } from './nativeLoadProbe';
import { modelLabel, validateModelFile } from './modelValidation';
import { SequencePair } from './sequencePair';
import { DEFAULT_THREAD_POLICY, ThreadGovernor, type ThreadPolicy } from './threadGovernor';
import { DraftGuesser, LookupGuesser, type TokenGuesser } from './tokenGuessers';

export type Log = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

export interface LoadedModel {
  options: LoadOptions;
  model: LlamaModel;
  context: LlamaContext;
  /** The foreground sequence and a spare for warm-ups that would overwrite it (sequencePair.ts). */
  sequences: SequencePair;
  fim: FimTokens<Token>;
  info: ModelInfo;
  /** Speculative guesses (draft model or prompt lookup); none when speculation is off. */
  guesser?: TokenGuesser;
  governor: SpeculationGovernor;
  /** The thread count by measurement (applied through `llama.maxThreads`, see threadCeiling). */
  threads: ThreadGovernor;
  draft?: { model: LlamaModel; context: LlamaContext };
}

export class ModelLoader {
  private llama?: { instance: Llama; gpu: LlamaAttempt['gpu']; threads: number };

  constructor(private readonly log: Log, private readonly threadPolicy: ThreadPolicy = DEFAULT_THREAD_POLICY) {}

  /**
   * Loads on the GPU where there is one (gpuPlan); a GPU that fails (no driver, too little VRAM,
   * a broken device) gives way to the CPU at once, with one log line and the reason in the info.
   */
  async load(options: LoadOptions): Promise<LoadedModel> {
    // No GPU device node (Linux): skip the GPU build's costly load; a forced backend is still tried.
    const noGpu = options.cpuOnly || (!options.gpuBackend && options.gpu === 'auto' && !mayHaveGpu());
    const attempts = noGpu ? [cpuAttempt(process.platform, process.arch)]
      : llamaAttempts(process.platform, process.arch, options.gpu, options.gpuBackend);
    let fallback = options.cpuOnly;
    for (let i = 0; ; i++) {
      try {
        const loaded = await this.loadOn(attempts[i], options);
        if (fallback) loaded.info.gpuFallback = fallback;
        return loaded;
      } catch (err) {
        if (i === attempts.length - 1 || !gpuMayBeTheCause(err)) throw err;
        if (err instanceof NoRealGpu) {
          this.log('info', err.message); // a machine without a GPU: nothing failed
          continue;
        }
        fallback = fallbackReason(attempts[i], errorText(err));
        this.log('warn', fallback);
      }
    }
  }

  private async loadOn(attempt: LlamaAttempt, options: LoadOptions): Promise<LoadedModel> {
    const started = performance.now();
    const ceiling = threadCeiling(options);
    const llama = await this.getLlama(attempt, ceiling);
    llama.maxThreads = ceiling; // contexts take min(their threads, maxThreads) when made
    if (attempt.gpuLayers === 'auto' && llama.gpu !== false) {
      const names = await llama.getGpuDeviceNames().catch(() => []);
      if (!hasRealGpu(names)) throw new NoRealGpu(`the ${llama.gpu} build sees no GPU${names.length ? ` (only ${names.join(', ')}, a software renderer)` : ''}: using the CPU build`);
    }
    const facts = await validateModelFile(options.modelPath, llama);
    const gpuLayers = attempt.gpuLayers;
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
    const drafted = options.draftModelPath ? await this.loadDraft(llama, model, options, contextSize, gpuLayers) : undefined;
    const draft = drafted && 'context' in drafted ? drafted : undefined;
    let context: LlamaContext;
    try {
      context = await model.createContext({ contextSize, threads: ceiling, sequences: 2 });
    } catch (err) {
      await disposeAll(undefined, draft, model);
      throw new EngineError('model-load-failed', `Not enough memory for a ${contextSize}-token context: ${errorText(err)}`);
    }
    const guesser = options.speculation === 'off' ? undefined
      : draft ? new DraftGuesser(draft.context.getSequence()) : new LookupGuesser();
    const sequence = context.getSequence();
    const spare = context.getSequence();
    llama.maxThreads = options.threads; // the safe count until measured otherwise
    // The first evaluation pages the weights in and allocates compute buffers (seconds for a
    // 0.5B model): pay it while loading, not in the first completion or its cancellation.
    try {
      await sequence.evaluateWithoutGeneratingNewTokens([prefix]);
      await sequence.clearHistory();
    } catch (err) {
      await disposeAll(context, draft, model);
      throw new EngineError('model-load-failed', `The first evaluation failed: ${errorText(err)}`);
    }
    const backend = backendOf(llama.gpu, model.gpuLayers);
    // (Under emulation the CPU's model reads "unknown": then no name.)
    const device = backend === 'cpu' ? os.cpus()[0]?.model.trim().replace(/^unknown$/i, '') : (await llama.getGpuDeviceNames().catch(() => [])).join(', ');
    const special = (text: string): Token | undefined => {
      const [t] = model.tokenize(text, true);
      return t !== undefined && model.isSpecialToken(t) && model.detokenize([t], true) === text ? t : undefined;
    };
    const fimOrder = fimOrderOf(model.fileInfo.metadata);
    const fim: FimTokens<Token> = { prefix, suffix, middle, repoName: special('<|repo_name|>'), fileSep: special('<|file_sep|>'), spm: fimOrder === 'spm' };
    const info: ModelInfo = {
      path: options.modelPath,
      name: modelLabel(options.modelPath),
      architecture: facts.architecture,
      contextSize: context.contextSize,
      trainContextSize: model.trainContextSize,
      loadMs: Math.round(performance.now() - started),
      threads: options.threads,
      maxThreads: ceiling > options.threads ? ceiling : undefined,
      gpu: llama.gpu,
      hasRepoTokens: fim.repoName !== undefined && fim.fileSep !== undefined,
      fimOrder,
      draft: draft && options.draftModelPath ? { path: options.draftModelPath, name: modelLabel(options.draftModelPath) } : undefined,
      draftRefused: drafted && 'refused' in drafted ? drafted.refused : undefined,
      speculation: !guesser ? 'off' : draft ? 'draft' : 'lookup',
      backend,
      device: device || undefined,
      gpuLayers: model.gpuLayers,
    };
    this.log('info', `loaded ${info.name} (${facts.architecture}, ctx ${info.contextSize}, ${options.threads} threads, ` +
      `speculation: ${info.speculation}, FIM order ${fimOrder}) in ${info.loadMs} ms on ${backend === 'cpu' ? 'the CPU' : `${backend} (${model.gpuLayers} layers on the GPU)`}` +
      `${info.device ? `: ${info.device}` : ''}`);
    // Threads change between evaluations: node-llama-cpp hands each batch min(context's, maxThreads).
    const threads = new ThreadGovernor(options.threads, ceiling, (from, to, why) => {
      llama.maxThreads = to;
      this.log('info', from === to ? why : `threads ${from} -> ${to}: ${why}`);
    }, { looksBusy: loadAverageBusy, ...this.threadPolicy });
    return { options, model, context, sequences: new SequencePair(sequence, spare), fim, info, guesser, governor: new SpeculationGovernor(), threads, draft };
  }

  async unload(loaded: LoadedModel): Promise<void> {
    await disposeAll(loaded.context, loaded.draft, loaded.model);
  }

  private async getLlama(attempt: LlamaAttempt, threads: number): Promise<Llama> {
    if (this.llama && this.llama.gpu === attempt.gpu && this.llama.threads === threads) return this.llama.instance;
    await this.llama?.instance.dispose();
    this.llama = undefined;
    const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
    let instance: Llama;
    try {
      // build: 'never': never try to compile or download llama.cpp; the prebuilt binaries ship with us.
      instance = await getLlama({
        gpu: attempt.gpu,
        build: 'never',
        maxThreads: threads,
        logLevel: LlamaLogLevel.warn,
        logger: (level, message) => this.log(level === LlamaLogLevel.error || level === LlamaLogLevel.fatal ? 'error' : 'debug', message.trim()),
      });
    } catch (err) {
      // A binary that cannot load here (old glibc, another platform's package): say why and what to do.
      const explained = attempt.gpuLayers === 0 ? explainBinaryFailure(`${(err as Error)?.name ?? ''} ${errorText(err)}`) : undefined;
      throw new EngineError(explained ? 'engine-binary' : 'model-load-failed', explained ??
        `the ${attempt.gpu || 'CPU'} build of llama.cpp does not start here (no driver or runtime for it? ${errorText(err)})`);
    }
    this.llama = { instance, gpu: attempt.gpu, threads };
    return instance;
  }

  private async loadDraft(llama: Llama, target: LlamaModel, options: LoadOptions, contextSize: number, gpuLayers: LlamaAttempt['gpuLayers']):
    Promise<{ model: LlamaModel; context: LlamaContext } | { refused: string }> {
    const draftPath = options.draftModelPath!;
    try {
      await validateModelFile(draftPath, llama);
      const model = await llama.loadModel({ modelPath: draftPath, gpuLayers });
      const reason = draftIncompatibility(target, model);
      if (reason) {
        await model.dispose();
        throw new EngineError('draft-incompatible', reason);
      }
      // The draft runs between the target's steps (never beside them), so it gets the same threads.
      const context = await model.createContext({ contextSize, threads: threadCeiling(options), sequences: 1 });
      return { model, context };
    } catch (err) {
      // A bad draft never blocks completion: the target runs alone, and the status says why.
      this.log('warn', `draft model ${draftPath} not used: ${errorText(err)}`);
      return { refused: errorText(err) };
    }
  }
}

/**
 * Contexts are made for the most threads the engine may use; `llama.maxThreads` lowers that at run
 * time (node-llama-cpp 3.21's ThreadsSplitter gives each batch min(context's threads, maxThreads):
 * `context.currentThreads` reads back the count, test/integration/threadSwitch.test.ts).
 */
function threadCeiling(options: LoadOptions): number {
  return Math.max(options.threads, options.maxThreads ?? 0);
}

/** More runnable work than cores less half a core: the spare core is not idle (always 0 on Windows). */
function loadAverageBusy(): boolean {
  return os.loadavg()[0] > os.availableParallelism() - 0.5;
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

/** The GPU build loaded but sees no real GPU (a Vulkan loader without one). */
class NoRealGpu extends Error {}

/** Only a failure the GPU may have caused is worth another try on the CPU; a bad model file is not. */
function gpuMayBeTheCause(err: unknown): boolean {
  return !(err instanceof EngineError) || err.code === 'model-load-failed' || err.code === 'internal';
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
