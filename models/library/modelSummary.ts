/**
 * One line of facts per model file for the picker and for draft pairing: name, quantization,
 * context length, and whether it can complete code at all (with the validator's reason when not).
 * Reads only the GGUF header; results are cached per file version (path, size, mtime).
 */
import * as fs from 'node:fs/promises';
import { EngineError, type EngineErrorCode } from '../engine/engineProtocol';
import { validateModelFile, type ModelFileFacts } from '../engine/modelValidation';

export interface ModelSummary {
  path: string;
  label: string;
  sizeBytes: number;
  /** Present when the file passed validation: it can be used for completion. */
  facts?: ModelFileFacts;
  /** Why it cannot be used, in words that say what to do. */
  problem?: string;
  problemCode?: EngineErrorCode;
}

const cache = new Map<string, { version: string; summary: Omit<ModelSummary, 'label'> }>();

/** Never throws: an unusable file comes back with `problem` set. */
export async function summarizeModel(modelPath: string, label: string): Promise<ModelSummary> {
  const stat = await fs.stat(modelPath).catch(() => undefined);
  const version = stat ? `${stat.size}:${stat.mtimeMs}` : 'missing';
  const hit = cache.get(modelPath);
  if (hit && hit.version === version) return { ...hit.summary, label };
  let summary: Omit<ModelSummary, 'label'>;
  try {
    const facts = await validateModelFile(modelPath);
    summary = { path: modelPath, sizeBytes: facts.sizeBytes, facts };
  } catch (err) {
    const code = err instanceof EngineError ? err.code : 'internal';
    summary = { path: modelPath, sizeBytes: stat?.size ?? 0, problem: err instanceof Error ? err.message : String(err), problemCode: code };
  }
  cache.set(modelPath, { version, summary });
  return { ...summary, label };
}

/** Summaries of many files, a few header reads at a time (each reads up to a few MB). */
export async function summarizeAll<T extends { path: string; label: string }>(
  entries: readonly T[], parallel = 4,
): Promise<(ModelSummary & { entry: T })[]> {
  const out: (ModelSummary & { entry: T })[] = new Array(entries.length);
  let next = 0;
  const worker = async () => {
    while (next < entries.length) {
      const i = next++;
      out[i] = { ...await summarizeModel(entries[i].path, entries[i].label), entry: entries[i] };
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, entries.length) }, worker));
  return out;
}

/** "Q8_0 · 1.6 GB · 32K context", the picker's description of a usable model. */
export function describeSummary(s: ModelSummary, formatBytes: (n: number) => string): string {
  const parts: string[] = [];
  if (s.facts?.quantization) parts.push(s.facts.quantization);
  parts.push(formatBytes(s.sizeBytes));
  const ctx = s.facts?.trainContextSize;
  if (ctx) parts.push(`${ctx >= 1024 ? `${Math.round(ctx / 1024)}K` : ctx} context`);
  return parts.join(' · ');
}
