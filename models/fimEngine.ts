/**
 * Fill-in-the-middle inference on node-llama-cpp. Runs inside the engine process only.
 *
 * The prompt is built from the model's own FIM tokens (PSM order). It is evaluated in small
 * chunks so a cancelled request stops within one chunk, and only the part that differs from the
 * sequence's KV cache is evaluated at all: typing at the cursor re-reads the tail of the prefix and
 * the short suffix, not the whole file.
 */
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };
import { EngineError, type FimRequest, type FimResult, type FimStats, type LoadOptions, type ModelInfo } from './engineProtocol';
import { buildFimPrompt, type FimTokens } from './fimPrompt';
import { modelLabel, validateModelFile } from './modelValidation';
import { stopIndex } from './stopRules';

/** Tokens per evaluation chunk: ~130 ms at CPU prompt speed, the worst wait for a cancel. */
const PROMPT_CHUNK = 32;

type Log = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

interface Loaded {
  options: LoadOptions;
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
  draft?: { model: LlamaModel; context: LlamaContext };
  fim: FimTokens<Token>;
  info: ModelInfo;
}

export class FimEngine {
  private llama?: { instance: Llama; gpu: LoadOptions['gpu']; threads: number };
  private loaded?: Loaded;
  /** The token sequence of the last prompt (diagnostics and tests). */
  lastPrompt: readonly Token[] = [];

  constructor(private readonly log: Log) {}

  get modelInfo(): ModelInfo | undefined {
    return this.loaded?.info;
  }

  async load(options: LoadOptions): Promise<ModelInfo> {
    if (this.loaded && sameLoad(this.loaded.options, options)) return this.loaded.info;
    await this.unload();
    const started = performance.now();
    const facts = await validateModelFile(options.modelPath);
    const llama = await this.getLlama(options);
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: options.modelPath, gpuLayers: options.gpu === 'off' ? 0 : 'auto' });
    } catch (err) {
      throw new EngineError('model-load-failed', `llama.cpp could not load ${options.modelPath}: ${errorText(err)}`);
    }
    const { prefix, suffix, middle } = model.tokens.infill;
    if (prefix == null || suffix == null || middle == null) {
      await model.dispose();
      throw new EngineError('model-no-fim', `${facts.name} has no fill-in-the-middle tokens, so it cannot complete code at the cursor.`);
    }
    const contextSize = Math.min(options.contextSize, model.trainContextSize || options.contextSize);
    const draft = options.draftModelPath ? await this.loadDraft(llama, model, options, contextSize) : undefined;
    let context: LlamaContext;
    try {
      context = await model.createContext({ contextSize, threads: options.threads, sequences: 1 });
    } catch (err) {
      await draft?.context.dispose();
      await draft?.model.dispose();
      await model.dispose();
      throw new EngineError('model-load-failed', `Not enough memory for a ${contextSize}-token context: ${errorText(err)}`);
    }
    const { DraftSequenceTokenPredictor } = await import('node-llama-cpp');
    const sequence = context.getSequence(
      draft ? { tokenPredictor: new DraftSequenceTokenPredictor(draft.context.getSequence(), { minTokens: 0, maxTokens: 6 }) } : {},
    );
    // The first evaluation pages the weights in and allocates compute buffers (seconds for a
    // 0.5B model): pay it while loading, not in the first completion or its cancellation.
    await sequence.evaluateWithoutGeneratingNewTokens([prefix]);
    await sequence.clearHistory();
    const info: ModelInfo = {
      path: options.modelPath,
      name: modelLabel(options.modelPath),
      architecture: facts.architecture,
      contextSize: context.contextSize,
      trainContextSize: model.trainContextSize,
      loadMs: Math.round(performance.now() - started),
      threads: options.threads,
      gpu: llama.gpu,
      hasRepoTokens: facts.hasRepoTokens,
      draft: draft && options.draftModelPath ? { path: options.draftModelPath, name: modelLabel(options.draftModelPath) } : undefined,
    };
    const special = (text: string): Token | undefined => {
      const [t] = model.tokenize(text, true);
      return t !== undefined && model.isSpecialToken(t) && model.detokenize([t], true) === text ? t : undefined;
    };
    const fim: FimTokens<Token> = { prefix, suffix, middle, repoName: special('<|repo_name|>'), fileSep: special('<|file_sep|>') };
    info.hasRepoTokens = fim.repoName !== undefined && fim.fileSep !== undefined;
    this.loaded = { options, model, context, sequence, draft, fim, info };
    this.log('info', `loaded ${info.name} (${facts.architecture}, ctx ${info.contextSize}, ${options.threads} threads) in ${info.loadMs} ms`);
    return info;
  }

  async complete(request: FimRequest, signal: AbortSignal): Promise<FimResult> {
    const loaded = this.loaded;
    if (!loaded) throw new EngineError('not-loaded', 'No model is loaded.');
    const { model, sequence, fim } = loaded;
    const started = performance.now();
    const built = buildFimPrompt((text) => model.tokenize(text, false), fim, request, loaded.context.contextSize);
    const prompt = built.tokens;
    this.lastPrompt = prompt;
    const head = prompt.slice(0, -1);
    const inputBefore = sequence.tokenMeter.usedInputTokens;
    const generated: Token[] = [];
    let promptDone = started;
    // Keep the longest cached prefix; drop what the last request generated after it.
    await sequence.adaptStateToTokens(head, false);
    for (let i = sequence.nextTokenIndex; i < head.length; i += PROMPT_CHUNK) {
      if (signal.aborted) return result('', stats('aborted'));
      await sequence.evaluateWithoutGeneratingNewTokens(head.slice(i, i + PROMPT_CHUNK));
    }
    promptDone = performance.now();
    let text = '';
    let stopReason: FimStats['stopReason'] = 'eog';
    if (signal.aborted) return result('', stats('aborted'));
    for await (const token of sequence.evaluate([fim.middle], { temperature: 0 })) {
      if (signal.aborted) { stopReason = 'aborted'; break; }
      if (model.isSpecialToken(token) || model.isEogToken(token)) break;
      generated.push(token);
      text = model.detokenize(generated);
      if (request.singleLine) {
        const cut = endOfFirstLine(text);
        if (cut >= 0) { text = text.slice(0, cut); stopReason = 'newline'; break; }
      }
      if (request.stop) {
        const cut = stopIndex(text, request.stop);
        if (cut >= 0) { text = text.slice(0, cut); stopReason = 'rule'; break; }
      }
      if (generated.length >= request.maxTokens) { stopReason = 'maxTokens'; break; }
    }
    // A cut inside a multi-byte character leaves a replacement character behind.
    return result(text.replace(/\uFFFD+$/, ''), stats(stopReason));

    function stats(stopReason: FimStats['stopReason']): FimStats {
      const end = performance.now();
      const promptEnd = promptDone === started ? end : promptDone;
      return {
        promptTokens: prompt.length,
        evaluatedTokens: sequence.tokenMeter.usedInputTokens - inputBefore,
        generatedTokens: generated.length,
        promptMs: Math.round(promptEnd - started),
        generateMs: Math.round(end - promptEnd),
        totalMs: Math.round(end - started),
        aborted: stopReason === 'aborted',
        stopReason,
        contextTokens: built.contextTokens,
      };
    }
  }

  async unload(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = undefined;
    if (!loaded) return;
    // The draft's context goes first: disposing the target first lets the predictor touch freed state.
    await loaded.draft?.context.dispose();
    await loaded.context.dispose();
    await loaded.draft?.model.dispose();
    await loaded.model.dispose();
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

  private async loadDraft(llama: Llama, target: LlamaModel, options: LoadOptions, contextSize: number) {
    const draftPath = options.draftModelPath!;
    try {
      await validateModelFile(draftPath);
      const model = await llama.loadModel({ modelPath: draftPath, gpuLayers: options.gpu === 'off' ? 0 : 'auto' });
      const reason = draftIncompatibility(target, model);
      if (reason) {
        await model.dispose();
        throw new EngineError('draft-incompatible', reason);
      }
      const context = await model.createContext({ contextSize, threads: options.threads, sequences: 1 });
      return { model, context };
    } catch (err) {
      // A bad draft never blocks completion: the target runs alone and the log says why.
      this.log('warn', `draft model ${draftPath} not used: ${errorText(err)}`);
      return undefined;
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

/** Index where the first line ends, once that line has some non-blank text; -1 if not yet. */
export function endOfFirstLine(text: string): number {
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return -1;
    if (text.slice(0, nl).trim() !== '') return nl;
    start = nl + 1;
  }
}

function result(text: string, stats: FimStats): FimResult {
  return { text, stats };
}

function sameLoad(a: LoadOptions, b: LoadOptions): boolean {
  return a.modelPath === b.modelPath && a.draftModelPath === b.draftModelPath && a.contextSize === b.contextSize &&
    a.threads === b.threads && a.gpu === b.gpu;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
