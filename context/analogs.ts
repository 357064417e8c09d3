/**
 * Analogous code: when the cursor is inside a function whose name other files of the workspace
 * also define (overrides, handlers, tests, one `load_hparams` per model...), one of those bodies
 * is the best example the model can get of what goes here and which names it uses. The body is
 * read from disk in the background the first time a scope asks for it, and cached: the keystroke
 * path never waits for the disk, so the example shows up from the next keystroke on.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { languageFamily } from './languages';
import type { DefRef, WorkspaceIndex } from './workspaceIndex';

export interface Analog {
  path: string;
  text: string;
}

const FUNCTION_KINDS = new Set(['function', 'method']);
const MAX_LINES = 40;
const MAX_CACHED = 64;

export class Analogs {
  private readonly cache = new Map<string, Analog | null>();
  private readonly reading = new Set<Promise<void>>();

  constructor(private readonly index: WorkspaceIndex, public root?: string) {}

  /** The analog for a scope, if it is already read; otherwise starts reading it and returns undefined. */
  get(scopeName: string, languageId: string, currentPath: string): Analog | undefined {
    const ref = this.pick(scopeName, languageId, currentPath);
    if (!ref || !this.root) return undefined;
    const key = `${ref.file.path}:${ref.def.line}:${ref.def.endLine}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    this.cache.set(key, null);
    const job = this.read(ref).then((analog) => this.remember(key, analog)).catch(() => undefined);
    this.reading.add(job);
    void job.finally(() => this.reading.delete(job));
    return undefined;
  }

  /** Resolves when no read is in flight (tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.reading.size) await Promise.all([...this.reading]);
  }

  /** The same-named function in another file of the language family: same folder first, then nearest path. */
  private pick(name: string, languageId: string, currentPath: string): DefRef | undefined {
    const family = languageFamily(languageId);
    const dir = path.posix.dirname(currentPath);
    let best: DefRef | undefined;
    let bestScore = -1;
    for (const r of this.index.definitions(name, family)) {
      const lines = r.def.endLine - r.def.line + 1;
      if (r.file.path === currentPath || !FUNCTION_KINDS.has(r.def.kind) || lines < 2) continue;
      const score = commonPrefix(dir, path.posix.dirname(r.file.path)) - (lines > MAX_LINES ? 1000 : 0);
      if (score > bestScore) [best, bestScore] = [r, score];
    }
    return best;
  }

  private async read(ref: DefRef): Promise<Analog | null> {
    const text = await fs.readFile(path.join(this.root!, ref.file.path), 'utf8');
    const lines = text.split('\n').slice(ref.def.line, Math.min(ref.def.endLine + 1, ref.def.line + MAX_LINES));
    return lines.length ? { path: ref.file.path, text: lines.join('\n') } : null;
  }

  private remember(key: string, analog: Analog | null): void {
    this.cache.delete(key);
    this.cache.set(key, analog);
    if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
  }
}

function commonPrefix(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}
