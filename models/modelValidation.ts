/**
 * Checks a model file before anything loads it: reads only the GGUF header (node-llama-cpp's
 * reader, filesystem only, no weights), so a wrong file is refused in milliseconds with a message
 * that says what to do, instead of a native error or a model that silently completes nothing.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { EngineError } from './engineProtocol';

export interface ModelFileFacts {
  path: string;
  name: string;
  architecture: string;
  sizeBytes: number;
  trainContextSize?: number;
  vocabSize: number;
  hasFim: boolean;
  hasRepoTokens: boolean;
  /** Token texts per id for the special tokens that decide FIM compatibility. */
  fimTokenIds: { prefix?: number; suffix?: number; middle?: number };
}

// Token texts llama.cpp recognises as FIM markers when the fim_*_token_id keys are absent.
const FIM_PREFIX_TEXTS = ['<|fim_prefix|>', '<fim-prefix>', '<fim_prefix>', '<｜fim▁begin｜>', '<PRE>', '▁<PRE>', '<|fim▁begin|>'];
const FIM_SUFFIX_TEXTS = ['<|fim_suffix|>', '<fim-suffix>', '<fim_suffix>', '<｜fim▁hole｜>', '<SUF>', '▁<SUF>', '<|fim▁hole|>'];
const FIM_MIDDLE_TEXTS = ['<|fim_middle|>', '<fim-middle>', '<fim_middle>', '<｜fim▁end｜>', '<MID>', '▁<MID>', '<|fim▁end|>'];

export function modelLabel(modelPath: string): string {
  return path.basename(modelPath).replace(/\.gguf$/i, '');
}

/** Throws EngineError with a user-facing message; returns the facts otherwise. */
export async function validateModelFile(modelPath: string): Promise<ModelFileFacts> {
  const size = await statModelFile(modelPath);
  await checkMagic(modelPath);
  const { readGgufFileInfo, GgufInsights } = await import('node-llama-cpp');
  let info: Awaited<ReturnType<typeof readGgufFileInfo>>;
  try {
    info = await readGgufFileInfo(modelPath, { sourceType: 'filesystem', logWarnings: false, spliceSplitFiles: false });
  } catch (err) {
    throw new EngineError('model-not-gguf',
      `${modelPath} has a damaged GGUF header (${String((err as Error).message ?? err)}). Download the model again or choose another file.`);
  }
  const insights = await GgufInsights.from(info);
  const expected = (info.infoEndOffset ?? 0) + insights.modelSize;
  if (size < expected) {
    throw new EngineError('model-truncated',
      `${modelPath} is incomplete: ${size} bytes of the ${expected} its header announces. Download it again.`);
  }
  const facts = describe(modelPath, size, info, insights.trainContextSize);
  if (!facts.hasFim) {
    throw new EngineError('model-no-fim',
      `${facts.name} has no fill-in-the-middle tokens, so it cannot complete code at the cursor. ` +
      'Choose a code model with FIM, e.g. a Qwen2.5-Coder base model, StarCoder2 or DeepSeek-Coder base ("Local Completion: Switch Model").');
  }
  return facts;
}

async function statModelFile(modelPath: string): Promise<number> {
  if (!path.isAbsolute(modelPath)) {
    throw new EngineError('model-missing', `The model path "${modelPath}" is not absolute. Choose the file again with "Local Completion: Switch Model".`);
  }
  let stat;
  try {
    stat = await fs.stat(modelPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new EngineError('model-missing', `Model file not found: ${modelPath}. Choose another with "Local Completion: Switch Model".`);
    }
    throw new EngineError('model-unreadable', `Cannot read ${modelPath} (${code ?? String(err)}). Check the file's permissions.`);
  }
  if (!stat.isFile()) {
    throw new EngineError('model-not-file', `${modelPath} is a folder, not a .gguf file. Choose the model file itself.`);
  }
  return stat.size;
}

async function checkMagic(modelPath: string): Promise<void> {
  let handle;
  try {
    handle = await fs.open(modelPath, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new EngineError('model-unreadable', `Cannot read ${modelPath} (${code ?? String(err)}). Check the file's permissions.`);
  }
  try {
    const buf = Buffer.alloc(4);
    const { bytesRead } = await handle.read(buf, 0, 4, 0);
    if (bytesRead < 4 || buf.toString('latin1') !== 'GGUF') {
      throw new EngineError('model-not-gguf',
        `${modelPath} is not a GGUF model file${bytesRead === 0 ? ' (it is empty)' : ''}. Choose a .gguf code model.`);
    }
  } finally {
    await handle.close();
  }
}

type GgufInfo = Awaited<ReturnType<typeof import('node-llama-cpp', { with: { 'resolution-mode': 'import' } })['readGgufFileInfo']>>;

function describe(modelPath: string, size: number, info: GgufInfo, trainContextSize: number | undefined): ModelFileFacts {
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
  };
}
