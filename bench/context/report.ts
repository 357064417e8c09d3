/** Aggregates task results into the figures the issue asks for, overall, per language and per kind. */
import type { TaskResult } from './runTask';

export interface Figures {
  tasks: number;
  skipped: number;
  /**
   * Per task, the share of the middle's identifiers defined outside the windows that the prompt
   * contains; averaged over the tasks that have any. recallPooled pools all identifiers instead.
   */
  recall: number;
  recallPooled: number;
  recallTasks: number;
  recallIdentifiers: number;
  oracleExact: number;
  oracleExactExtraBracket: number;
  buildP50Ms: number;
  buildP95Ms: number;
  buildMaxMs: number;
  /** CPU time of the build (excludes waiting for the CPU on a busy machine). */
  buildCpuP50Ms: number;
  buildCpuP95Ms: number;
  promptTokensP50: number;
  promptTokensP95: number;
  snippetsMean: number;
  modes: Record<string, number>;
}

export function figures(results: TaskResult[]): Figures {
  const done = results.filter((r) => !r.skipped);
  const needed = results.reduce((n, r) => n + r.needed, 0);
  const missing = results.reduce((n, r) => n + r.missing.length, 0);
  const builds = results.map((r) => r.buildMs).sort((a, b) => a - b);
  const cpu = results.map((r) => r.buildCpuMs).sort((a, b) => a - b);
  const prompts = done.map((r) => r.promptTokens).sort((a, b) => a - b);
  const modes: Record<string, number> = {};
  for (const r of results) modes[r.skipped ? `skipped:${r.skipped}` : r.mode ?? '?'] = (modes[r.skipped ? `skipped:${r.skipped}` : r.mode ?? '?'] ?? 0) + 1;
  const withNeeds = results.filter((r) => r.needed > 0);
  return {
    tasks: results.length,
    skipped: results.length - done.length,
    recall: withNeeds.length ? round(withNeeds.reduce((n, r) => n + (r.needed - r.missing.length) / r.needed, 0) / withNeeds.length) : 1,
    recallPooled: needed ? round((needed - missing) / needed) : 1,
    recallTasks: withNeeds.length,
    recallIdentifiers: needed,
    // Skipped tasks count as failures: the user got nothing.
    oracleExact: ratio(results.filter((r) => r.exact).length, results.length),
    oracleExactExtraBracket: ratio(results.filter((r) => r.exactExtraBracket).length, results.length),
    buildP50Ms: round(quantile(builds, 0.5)),
    buildP95Ms: round(quantile(builds, 0.95)),
    buildMaxMs: round(builds[builds.length - 1] ?? 0),
    buildCpuP50Ms: round(quantile(cpu, 0.5)),
    buildCpuP95Ms: round(quantile(cpu, 0.95)),
    promptTokensP50: Math.round(quantile(prompts, 0.5)),
    promptTokensP95: Math.round(quantile(prompts, 0.95)),
    snippetsMean: round(done.reduce((n, r) => n + r.snippets, 0) / Math.max(1, done.length)),
    modes,
  };
}

export function summarize(results: TaskResult[]) {
  const group = (key: (r: TaskResult) => string) => {
    const out: Record<string, Figures> = {};
    for (const k of [...new Set(results.map(key))].sort()) out[k] = figures(results.filter((r) => key(r) === k));
    return out;
  };
  return { overall: figures(results), byLanguage: group((r) => r.languageId), byKind: group((r) => r.kind) };
}

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function ratio(a: number, b: number): number {
  return b ? round(a / b) : 0;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
