/**
 * One line of facts per model file for the picker and for draft pairing: name, quantization,
 * context length, and whether it can complete code at all (with the validator's reason when not).
 * Reads only the GGUF header, in the validator child process (a damaged file cannot take the
 * host down); results are cached per file version (path, size, mtime).
 */
import * as fs from 'node:fs/promises';
import type { EngineErrorCode } from '../engine/engineProtocol';
import type { ModelFileFacts } from '../engine/modelFileFacts';
import { validateModelFiles, type Validated, type ValidatorOptions } from '../engine/validatorClient';

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

async function versionOf(modelPath: string): Promise<{ version: string; size: number }> {
  const stat = await fs.stat(modelPath).catch(() => undefined);
  return { version: stat ? `${stat.size}:${stat.mtimeMs}` : 'missing', size: stat?.size ?? 0 };
}

function summaryOf(v: Validated, size: number): Omit<ModelSummary, 'label'> {
  if (v.facts) return { path: v.path, sizeBytes: v.facts.sizeBytes, facts: v.facts };
  return { path: v.path, sizeBytes: size, problem: v.error?.message ?? `${v.path} could not be checked.`, problemCode: v.error?.code ?? 'internal' };
}

/** Never throws: an unusable file comes back with `problem` set. */
export async function summarizeModel(modelPath: string, label: string): Promise<ModelSummary> {
  const [summary] = await summarizeAll([{ path: modelPath, label }]);
  const { entry: _entry, ...rest } = summary;
  return rest;
}

/** Summaries of many files: the ones not cached are checked in one validator process. */
export async function summarizeAll<T extends { path: string; label: string }>(
  entries: readonly T[], validator?: ValidatorOptions,
): Promise<(ModelSummary & { entry: T })[]> {
  const versions = await Promise.all(entries.map((e) => versionOf(e.path)));
  const stale = entries.map((e, i) => i).filter((i) => cache.get(entries[i].path)?.version !== versions[i].version);
  const fresh = await validateModelFiles(stale.map((i) => entries[i].path), validator);
  stale.forEach((i, k) => cache.set(entries[i].path, { version: versions[i].version, summary: summaryOf(fresh[k], versions[i].size) }));
  return entries.map((entry, i) => ({ ...cache.get(entry.path)!.summary, label: entry.label, entry }));
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
