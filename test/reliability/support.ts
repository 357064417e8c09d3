/**
 * Shared pieces of the reliability scenarios: the real engine process (out/models/engine/engineProcess.js)
 * behind an EngineClient, requests, process memory and CPU from /proc, percentiles, and the one
 * line of figures each scenario reports to the runner (run.ts) and to `node --test` output.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TestContext } from 'node:test';
import { EngineClient, type EngineLog } from '../../models/engine/engineClient';
import type { FimRequest, LoadOptions } from '../../models/engine/engineProtocol';
import { chooseThreads } from '../../models/engine/threads';

export const ENGINE_PATH = path.join(__dirname, '..', '..', 'models', 'engine', 'engineProcess.js');
export const REPO_ROOT = path.join(__dirname, '..', '..', '..');

export interface CollectingLog extends EngineLog {
  lines: string[];
}

export function collectingLog(): CollectingLog {
  const lines: string[] = [];
  const add = (level: string) => (m: string) => { lines.push(`${level} ${m}`); };
  return { lines, trace: add('trace'), debug: add('debug'), info: add('info'), warn: add('warn'), error: add('error') };
}

export function newClient(extra: { idleStopMs?: number; log?: EngineLog; timeoutMs?: number } = {}): EngineClient {
  return new EngineClient({ enginePath: ENGINE_PATH, log: extra.log ?? collectingLog(), idleStopMs: extra.idleStopMs, timeoutMs: extra.timeoutMs });
}

/** The extension's defaults for this machine. */
export const loadOptions = (modelPath: string, extra: Partial<LoadOptions> = {}): LoadOptions =>
  ({ modelPath, contextSize: 2048, threads: chooseThreads(0), gpu: 'off', speculation: 'auto', ...extra });

/** The same as a ModelSession choice. */
export const modelChoice = (modelPath: string) => ({ ...loadOptions(modelPath), speculation: 'auto' as const, gpu: 'off' as const });

export const fimRequest = (prefix: string, suffix = '\n', extra: Partial<FimRequest> = {}): FimRequest =>
  ({ prefix, suffix, maxPrefixTokens: 768, maxSuffixTokens: 128, maxTokens: 16, singleLine: true, ...extra });

/** Resident memory of a process in bytes (0 when it is gone). */
export function rssOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU time (user + system) a process has used, in ms. */
export function cpuMsOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;
export const ms = (v: number) => `${v < 10 ? v.toFixed(2) : Math.round(v)} ms`;
export const sleep = (t: number) => new Promise<void>((r) => setTimeout(r, t));

/** Resolves `what` or fails after `limit` ms: a hang is a failure, never a stuck test run. */
export async function within<T>(limit: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer within ${limit} ms`)), limit); }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reports a scenario's figures: as a test diagnostic, and (under the runner) as one JSON line in
 * $RELIABILITY_RESULTS/<scenario>.jsonl that the summary line is made from.
 */
export function report(t: TestContext, scenario: string, figures: string, data: Record<string, unknown> = {}): void {
  t.diagnostic(`${scenario}: ${figures}`);
  const dir = process.env.RELIABILITY_RESULTS;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  fs.appendFileSync(path.join(dir, `${scenario}.jsonl`), JSON.stringify({ figures, ...data }) + '\n');
}
