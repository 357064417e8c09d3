/**
 * What an assembled GGUF really is, read from its header with the engine's own validator (the
 * checks a user's file gets) plus the general.* keys that tell base from instruct, and its sha256,
 * compared with the catalog's pinned checksums.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateModelFile } from '../../engine/modelValidation';

export interface RealModelFacts {
  name: string;
  architecture: string;
  params: string;
  quantization: string;
  base: boolean;
  fim: boolean;
  fimTokenIds: { prefix?: number; suffix?: number; middle?: number };
  sha256: string;
  sizeBytes: number;
  /** The catalog entry with the same sha256, if any. */
  catalogId?: string;
}

export async function inspectRealModel(file: string): Promise<RealModelFacts> {
  const facts = await validateModelFile(file);
  const { readGgufFileInfo } = await import('node-llama-cpp');
  const info = await readGgufFileInfo(file, { sourceType: 'filesystem', logWarnings: false });
  const general = (info.metadata as unknown as { general?: Record<string, unknown> }).general ?? {};
  const text = (k: string) => (typeof general[k] === 'string' ? (general[k] as string) : '');
  // Instruct fine-tunes say so in the name or the finetune key (base GGUFs carry a chat template too).
  const base = !/instruct|chat/i.test(`${text('name')} ${text('finetune')}`);
  const sha256 = await sha256File(file);
  return {
    name: facts.name,
    architecture: facts.architecture,
    params: text('size_label') || 'unknown',
    quantization: facts.quantization ?? 'unknown',
    base,
    fim: facts.hasFim,
    fimTokenIds: facts.fimTokenIds,
    sha256,
    sizeBytes: facts.sizeBytes,
    catalogId: catalogIdOf(sha256),
  };
}

function catalogIdOf(sha256: string): string | undefined {
  const catalog = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'library', 'catalog.json'), 'utf8')) as { models: { id: string; sha256?: string }[] };
  return catalog.models.find((m) => m.sha256 === sha256)?.id;
}

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = crypto.createHash('sha256');
    fs.createReadStream(file).on('data', (d) => hash.update(d)).on('end', () => resolve(hash.digest('hex'))).on('error', reject);
  });
}
