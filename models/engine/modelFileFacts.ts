/**
 * What the host may know and check about a model file without native code: the facts the
 * validator reports (a plain JSON-able record), the file's display label, and the cheap checks
 * (absolute path, a regular file, the GGUF magic) done with one stat and one 4-byte read. The GGUF
 * parser itself runs only in a child process (validatorClient.ts) or in the engine.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { EngineError } from './engineProtocol';
import { isOpaqueFileName, modelDisplayName } from './modelNames';

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
  /** Weight type of most tensors, e.g. "Q8_0" or "Q4_K_M" (from general.file_type). */
  quantization?: string;
  /** Tokenizer identity: two models tokenize alike exactly when these are equal (draft pairing). */
  tokenizer: { readonly model: string; readonly fingerprint: string; readonly eosTokenId?: number };
}

export function modelLabel(modelPath: string): string {
  const base = path.basename(modelPath);
  const named = modelDisplayName(modelPath);
  if (named) return named;
  // An Ollama blob: show a short, recognisable id rather than 71 characters of hash.
  if (isOpaqueFileName(base)) return `ollama-${base.slice(7, 19)}`;
  return base.replace(/\.gguf$/i, '');
}

/**
 * The checks that need no GGUF parser: throws EngineError (missing, not a file, unreadable, not
 * GGUF); returns the file's size otherwise.
 */
export async function checkModelFileBasics(modelPath: string): Promise<number> {
  const size = await statModelFile(modelPath);
  await checkMagic(modelPath);
  return size;
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
    throw new EngineError('model-not-file',
      `${modelPath} is ${stat.isDirectory() ? 'a folder' : 'not a regular file'}, not a .gguf file. Choose the model file itself.`);
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
