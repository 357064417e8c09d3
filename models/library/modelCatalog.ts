/**
 * The catalog of recommended code models (models/catalog.json): what Switch Model offers to
 * download, with sizes and memory needs. Pure data and arithmetic; the download itself lives in
 * modelDownload.ts and starts only from an explicit choice.
 */
import * as path from 'node:path';
import catalogData from './catalog.json';
import { RUNTIME_OVERHEAD_BYTES } from '../engine/memoryFit';

export interface CatalogEntry {
  id: string;
  /** Display name without quantization, e.g. "Qwen2.5-Coder 1.5B base". */
  name: string;
  family: string;
  params: string;
  quantization: string;
  url: string;
  fileName: string;
  sizeBytes: number;
  /** sizeBytes is the exact file size (else approximate, within the catalog's tolerance). */
  sizeIsExact?: boolean;
  sha256?: string;
  contextLength: number;
  license: string;
  /** Models with the same vocabulary id can draft for each other. */
  vocabulary: string;
  note?: string;
}

export interface Catalog {
  sizeTolerance: number;
  models: CatalogEntry[];
}

/** Memory besides the weights: KV cache for a 2k context, compute buffers, the engine process. */

/** The catalog shipped with the extension, checked once. */
export function loadCatalog(): Catalog {
  return parseCatalog(catalogData);
}

/**
 * Checks the shape of catalog data; throws with the offending entry named. `allowLoopback` admits
 * http URLs on this machine (127.0.0.1, localhost), for test catalogs only.
 */
export function parseCatalog(data: unknown, options: { allowLoopback?: boolean } = {}): Catalog {
  const root = data as { sizeTolerance?: unknown; models?: unknown };
  if (!root || !Array.isArray(root.models)) throw new Error('catalog: "models" must be an array');
  const tolerance = typeof root.sizeTolerance === 'number' ? root.sizeTolerance : 0.1;
  const ids = new Set<string>();
  const models = root.models.map((raw, i): CatalogEntry => {
    const e = raw as Record<string, unknown>;
    const where = `catalog entry ${i} (${String(e.id)})`;
    for (const key of ['id', 'name', 'family', 'params', 'quantization', 'url', 'fileName', 'license', 'vocabulary']) {
      if (typeof e[key] !== 'string' || !e[key]) throw new Error(`${where}: "${key}" must be a non-empty string`);
    }
    if (!Number.isSafeInteger(e.sizeBytes) || (e.sizeBytes as number) <= 0) throw new Error(`${where}: "sizeBytes" must be a positive integer`);
    if (!Number.isSafeInteger(e.contextLength)) throw new Error(`${where}: "contextLength" must be an integer`);
    const loopback = options.allowLoopback && /^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(e.url as string);
    if (!/^https:\/\//.test(e.url as string) && !loopback) throw new Error(`${where}: "url" must be https`);
    if (path.basename(e.fileName as string) !== e.fileName || !/\.gguf$/i.test(e.fileName as string)) {
      throw new Error(`${where}: "fileName" must be a plain .gguf file name`);
    }
    if (e.sha256 !== undefined && !/^[0-9a-f]{64}$/.test(String(e.sha256))) throw new Error(`${where}: "sha256" must be 64 hex digits`);
    if (ids.has(e.id as string)) throw new Error(`${where}: duplicate id`);
    ids.add(e.id as string);
    return e as unknown as CatalogEntry;
  });
  return { sizeTolerance: tolerance, models };
}

/** "Qwen2.5-Coder 1.5B base Q8_0". */
export function entryLabel(entry: CatalogEntry): string {
  return `${entry.name} ${entry.quantization}`;
}

/** Memory the model needs to run on the CPU (weights are memory-mapped, so all of the file). */
export function ramNeeded(entry: Pick<CatalogEntry, 'sizeBytes'>): number {
  return Math.ceil((entry.sizeBytes + RUNTIME_OVERHEAD_BYTES) / 1e8) * 1e8;
}

/** Where an entry is installed: the extension's own models folder, under the catalog's file name. */
export function installedPath(entry: CatalogEntry, installFolder: string): string {
  return path.join(installFolder, entry.fileName);
}

/** Accepted total size for a download of this entry (exact, or within the tolerance). */
export function acceptedSize(entry: CatalogEntry, catalog: Pick<Catalog, 'sizeTolerance'>): { min: number; max: number } {
  if (entry.sizeIsExact) return { min: entry.sizeBytes, max: entry.sizeBytes };
  const slack = Math.round(entry.sizeBytes * catalog.sizeTolerance);
  return { min: entry.sizeBytes - slack, max: entry.sizeBytes + slack };
}
