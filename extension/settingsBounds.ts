/**
 * Settings with nonsense values (negative threads, a context of 10 million, a suffix budget larger
 * than the context, a folder that does not exist) are clamped or dropped here, each with a
 * sentence for the log, never passed on to crash or hang the engine. VS Code shows the manifest's
 * minimum and maximum as squiggles in settings.json but hands any number over. Pure: no vscode.
 */
import * as path from 'node:path';

export interface NumericSettings {
  maxTokens: number;
  prefixTokens: number;
  suffixTokens: number;
  debounceMs: number;
  deadlineMs: number;
  idleUnloadMinutes: number;
  engineTimeoutSeconds: number;
  contextSize: number;
  threads: number;
}

/** [default, minimum, maximum] per setting, as in package.json. */
export const BOUNDS: Record<keyof NumericSettings, readonly [number, number, number]> = {
  maxTokens: [64, 1, 512],
  prefixTokens: [768, 16, 8192],
  suffixTokens: [32, 0, 4096],
  debounceMs: [40, 0, 2000],
  deadlineMs: [100, 0, 5000],
  idleUnloadMinutes: [15, 0, 1440],
  engineTimeoutSeconds: [20, 0, 600],
  contextSize: [2048, 256, 32768],
  threads: [0, 0, 256],
};

export interface Checked<T> { values: T; problems: string[] }

const name = (key: string) => `localCompletion.${key}`;

/** Every value within its bounds, and the prompt budgets within the context. */
export function boundSettings(raw: Partial<Record<keyof NumericSettings, unknown>>): Checked<NumericSettings> {
  const problems: string[] = [];
  const values = {} as NumericSettings;
  for (const key of Object.keys(BOUNDS) as (keyof NumericSettings)[]) {
    const [fallback, min, max] = BOUNDS[key];
    const v = raw[key];
    if (v === undefined) { values[key] = fallback; continue; }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      problems.push(`${name(key)} is ${JSON.stringify(v)}, not a number; using ${fallback}.`);
      values[key] = fallback;
      continue;
    }
    const n = key === 'idleUnloadMinutes' ? v : Math.round(v);
    values[key] = Math.min(max, Math.max(min, n));
    if (values[key] !== v) problems.push(`${name(key)} is ${v}; using ${values[key]} (allowed: ${min} to ${max}).`);
  }
  // The prompt and the completion share the context: suffix at most a quarter of it, then the prefix gives way.
  const ctx = values.contextSize;
  if (values.maxTokens > ctx / 4) {
    const m = Math.floor(ctx / 4);
    problems.push(`${name('maxTokens')} ${values.maxTokens} does not fit a ${ctx}-token context with a prompt; using ${m}.`);
    values.maxTokens = m;
  }
  if (values.suffixTokens > ctx / 4) {
    const s = Math.floor(ctx / 4);
    problems.push(`${name('suffixTokens')} ${values.suffixTokens} is more than a quarter of the ${ctx}-token context; using ${s}.`);
    values.suffixTokens = s;
  }
  const room = ctx - values.suffixTokens - values.maxTokens;
  if (values.prefixTokens > room) {
    problems.push(`${name('prefixTokens')} ${values.prefixTokens} does not fit the ${ctx}-token context beside the suffix and the completion; using ${room}.`);
    values.prefixTokens = room;
  }
  return { values, problems };
}

/** The folders that exist (absolute paths only); the others are named in the problems. */
export function existingFolders(folders: readonly unknown[], isFolder: (p: string) => boolean): Checked<string[]> {
  const problems: string[] = [];
  const values: string[] = [];
  for (const f of folders) {
    if (typeof f !== 'string' || !f.trim()) continue;
    const folder = f.trim();
    if (!path.isAbsolute(folder)) problems.push(`${name('modelFolders')}: "${folder}" is not an absolute path; skipped.`);
    else if (!isFolder(folder)) problems.push(`${name('modelFolders')}: ${folder} is not an existing folder; skipped.`);
    else values.push(folder);
  }
  return { values, problems };
}
