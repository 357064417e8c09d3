/**
 * What discovery finds, and the plain folder walk shared by the folder-shaped sources (LM Studio,
 * llama.cpp's cache, the user's own folders). Read-only directory listings, bounded in depth and
 * count so a huge or looping folder cannot stall the picker.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export type DiscoverySource = 'ollama' | 'lmstudio' | 'hf-cache' | 'llama.cpp' | 'folder';

export interface DiscoveredModel {
  path: string;
  /** How the tool that owns the file names it, e.g. "qwen2.5-coder:1.5b-base" or "org/repo/file.gguf". */
  label: string;
  source: DiscoverySource;
  sizeBytes: number;
}

export const SOURCE_NAMES: Record<DiscoverySource, string> = {
  ollama: 'Ollama',
  lmstudio: 'LM Studio',
  'hf-cache': 'Hugging Face cache',
  'llama.cpp': 'llama.cpp cache',
  folder: 'your model folders',
};

/**
 * A .gguf worth offering: not a vision projector, and of a split model only the first part
 * (llama.cpp loads the rest from it).
 */
export function isCandidateFile(name: string): boolean {
  if (!/\.gguf$/i.test(name) || /mmproj/i.test(name)) return false;
  const split = /-(\d{5})-of-\d{5}\.gguf$/i.exec(name);
  return !split || Number(split[1]) === 1;
}

/** .gguf files under a folder, at most `depth` levels down; hidden folders are skipped. */
export async function findGgufFiles(
  root: string, source: DiscoverySource, depth: number, maxModels = 200, labelRoot = root,
): Promise<DiscoveredModel[]> {
  const found: DiscoveredModel[] = [];
  const walk = async (folder: string, left: number): Promise<void> => {
    const entries = await fs.readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (found.length >= maxModels) return;
      const p = path.join(folder, e.name);
      if (e.isDirectory()) {
        if (left > 1 && !e.name.startsWith('.')) await walk(p, left - 1);
      } else if ((e.isFile() || e.isSymbolicLink()) && isCandidateFile(e.name)) {
        const stat = await fs.stat(p).catch(() => undefined);
        if (stat?.isFile()) {
          found.push({ path: p, label: path.relative(labelRoot, p).split(path.sep).join('/'), source, sizeBytes: stat.size });
        }
      }
    }
  };
  await walk(root, depth);
  return found;
}
