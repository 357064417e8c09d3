/**
 * Checks a model file before anything loads it: reads only the GGUF header (node-llama-cpp's
 * reader, filesystem only, no weights), so a wrong file is refused in milliseconds with a message
 * that says what to do, instead of a native error or a model that silently completes nothing.
 */
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import type { Llama } from 'node-llama-cpp' with { 'resolution-mode': 'import' };
import { EngineError } from './engineProtocol';
import { checkGgufStructure } from './ggufStructure';
import { checkModelFileBasics, modelLabel, type ModelFileFacts } from './modelFileFacts';

// The engine and the validator process import these from here.
export { modelLabel, type ModelFileFacts } from './modelFileFacts';

// Token texts llama.cpp recognises as FIM markers when the fim_*_token_id keys are absent.
const FIM_PREFIX_TEXTS = ['<|fim_prefix|>', '<fim-prefix>', '<fim_prefix>', '<｜fim▁begin｜>', '<PRE>', '▁<PRE>', '<|fim▁begin|>'];
const FIM_SUFFIX_TEXTS = ['<|fim_suffix|>', '<fim-suffix>', '<fim_suffix>', '<｜fim▁hole｜>', '<SUF>', '▁<SUF>', '<|fim▁hole|>'];
const FIM_MIDDLE_TEXTS = ['<|fim_middle|>', '<fim-middle>', '<fim_middle>', '<｜fim▁end｜>', '<MID>', '▁<MID>', '<|fim▁end|>'];

/**
 * Throws EngineError with a user-facing message; returns the facts otherwise. The engine passes its
 * `llama`: without one, node-llama-cpp loads a second native binding (~0.5 s per engine start).
 */
export async function validateModelFile(modelPath: string, llama?: Llama, options: { structureCheck?: boolean } = {}): Promise<ModelFileFacts> {
  const size = await checkModelFileBasics(modelPath);
  // Before node-llama-cpp's reader trusts a count or a length read from the file.
  if (options.structureCheck !== false) await checkGgufStructure(modelPath, size);
  const lib = await import('node-llama-cpp');
  const { readGgufFileInfo, GgufInsights, GgufFileType } = lib;
  // Declared as a const enum, but node-llama-cpp exports it as an object at run time.
  const architectures = (lib as unknown as { GgufArchitectureType: Record<string, string> }).GgufArchitectureType;
  let info: Awaited<ReturnType<typeof readGgufFileInfo>>;
  try {
    info = await readGgufFileInfo(modelPath, { sourceType: 'filesystem', logWarnings: false, spliceSplitFiles: false });
  } catch (err) {
    throw new EngineError('model-not-gguf',
      `${modelPath} has a damaged GGUF header (${String((err as Error).message ?? err)}). Download the model again or choose another file.`);
  }
  checkKind(modelPath, info, new Set(Object.values(architectures)));
  const insights = await GgufInsights.from(info, llama);
  const expected = (info.infoEndOffset ?? 0) + insights.modelSize;
  if (size < expected) {
    throw new EngineError('model-truncated',
      `${modelPath} is incomplete: ${size} bytes of the ${expected} its header announces. Download it again.`);
  }
  const facts = describe(modelPath, size, info, insights.trainContextSize, GgufFileType as unknown as Record<number, string>);
  if (!facts.hasFim) {
    throw new EngineError('model-no-fim',
      `${facts.name} has no fill-in-the-middle tokens, so it cannot complete code at the cursor. ` +
      'Choose a code model with FIM, e.g. a Qwen2.5-Coder base model, StarCoder2 or DeepSeek-Coder base ("Local Completion: Switch Model").');
  }
  return facts;
}

/** Refuses files that are GGUF but not a language model llama.cpp can run (projectors, adapters). */
function checkKind(modelPath: string, info: GgufInfo, supportedArchitectures: Set<string>): void {
  const general = (info.metadata as unknown as { general?: Record<string, unknown> }).general ?? {};
  const kind = typeof general.type === 'string' ? general.type : 'model';
  const arch = String(general.architecture ?? 'unknown');
  if (kind !== 'model' || arch === 'clip') {
    throw new EngineError('model-unsupported',
      `${modelPath} is a ${kind === 'adapter' ? 'LoRA adapter' : arch === 'clip' || kind === 'mmproj' ? 'vision projector' : `"${kind}" file`}, ` +
      'not a language model. Choose the model file itself (a .gguf code model with FIM tokens).');
  }
  if (!supportedArchitectures.has(arch)) {
    throw new EngineError('model-unsupported',
      `${modelPath} is a "${arch}" model, which the llama.cpp inside this extension cannot run. ` +
      'Choose a Qwen2.5-Coder, StarCoder2, DeepSeek-Coder or CodeGemma GGUF, or update the extension.');
  }
}

type GgufInfo = Awaited<ReturnType<typeof import('node-llama-cpp', { with: { 'resolution-mode': 'import' } })['readGgufFileInfo']>>;

function describe(
  modelPath: string, size: number, info: GgufInfo, trainContextSize: number | undefined, fileTypes: Record<number, string>,
): ModelFileFacts {
  const meta = info.metadata as unknown as Record<string, Record<string, unknown>>;
  const tokenizer = (meta.tokenizer?.ggml ?? {}) as Record<string, unknown>;
  const tokens = (tokenizer.tokens as string[] | undefined) ?? [];
  const idOf = (key: string, texts: string[]): number | undefined => {
    const fromKey = tokenizer[key];
    if (typeof fromKey === 'number' && fromKey >= 0 && fromKey < tokens.length) return fromKey;
    for (const text of texts) {
      const i = tokens.indexOf(text);
      if (i >= 0) return i;
    }
    return undefined;
  };
  const fimTokenIds = {
    prefix: idOf('fim_pre_token_id', FIM_PREFIX_TEXTS),
    suffix: idOf('fim_suf_token_id', FIM_SUFFIX_TEXTS),
    middle: idOf('fim_mid_token_id', FIM_MIDDLE_TEXTS),
  };
  const general = (meta.general ?? {}) as Record<string, unknown>;
  const tokenizerModel = String(tokenizer.model ?? 'unknown');
  // Same token list, merges and pre-tokenizer means the same token ids for any text (~50 ms for
  // a 152k vocabulary; computed now so the facts never keep the token arrays alive).
  const tokenizerFacts = {
    model: tokenizerModel,
    fingerprint: crypto.createHash('sha256')
      .update(JSON.stringify([tokenizerModel, tokenizer.pre ?? '', tokens, tokenizer.merges ?? [], tokenizer.token_type ?? []]))
      .digest('hex').slice(0, 32),
    eosTokenId: typeof tokenizer.eos_token_id === 'number' ? tokenizer.eos_token_id : undefined,
  };
  return {
    path: modelPath,
    name: typeof general.name === 'string' && general.name ? general.name : modelLabel(modelPath),
    architecture: String(general.architecture ?? 'unknown'),
    sizeBytes: size,
    trainContextSize,
    vocabSize: tokens.length,
    hasFim: fimTokenIds.prefix !== undefined && fimTokenIds.suffix !== undefined && fimTokenIds.middle !== undefined,
    hasRepoTokens: tokens.includes('<|repo_name|>') && tokens.includes('<|file_sep|>'),
    fimTokenIds,
    quantization: quantizationName(general.file_type, fileTypes) ?? quantizationFromName(modelPath),
    tokenizer: tokenizerFacts,
  };
}

function quantizationName(fileType: unknown, fileTypes: Record<number, string>): string | undefined {
  if (typeof fileType !== 'number') return undefined;
  const name = fileTypes[fileType];
  return name ? name.replace(/^MOSTLY_/, '') : undefined;
}

function quantizationFromName(modelPath: string): string | undefined {
  return /(?:^|[-_.])((?:I?Q\d[_A-Z0-9]*)|F16|BF16|F32)(?=\.gguf$|$)/i.exec(path.basename(modelPath))?.[1]?.toUpperCase();
}
