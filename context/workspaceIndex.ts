/**
 * The workspace's definitions by name and its files by path, filled in the background (see
 * workspaceScanner.ts / indexWorker.ts) and by open documents as they settle. Lookups are map
 * reads, cheap enough for the keystroke path; resolved imports are cached per file.
 */
import * as path from 'node:path';
import { importTargets } from './imports';
import { languageFamily } from './languages';
import type { SymbolDef } from './symbols';

export interface FileEntry {
  /** Workspace-relative, '/'-separated. */
  path: string;
  languageId: string;
  defs: SymbolDef[];
  imports: string[];
}

export interface DefRef {
  file: FileEntry;
  def: SymbolDef;
  /** Position of def in file.defs. */
  index: number;
}

export class WorkspaceIndex {
  readonly files = new Map<string, FileEntry>();
  private readonly byName = new Map<string, DefRef[]>();
  /** The same, keyed by language family and name: lookups on the keystroke path skip other languages. */
  private readonly byFamilyName = new Map<string, DefRef[]>();
  private readonly byBase = new Map<string, string[]>();
  private readonly byDir = new Map<string, string[]>();
  private readonly resolved = new Map<string, string[]>();
  /** Bumped on every change; lets callers cache derived data. */
  generation = 0;

  set(entry: FileEntry): void {
    this.remove(entry.path);
    this.files.set(entry.path, entry);
    const family = languageFamily(entry.languageId);
    entry.defs.forEach((def, index) => {
      const ref = { file: entry, def, index };
      push(this.byName, def.name, ref);
      push(this.byFamilyName, `${family}:${def.name}`, ref);
    });
    push(this.byBase, path.posix.basename(entry.path), entry.path);
    push(this.byDir, path.posix.dirname(entry.path), entry.path);
    this.changed();
  }

  remove(filePath: string): void {
    const old = this.files.get(filePath);
    if (!old) return;
    this.files.delete(filePath);
    const family = languageFamily(old.languageId);
    for (const def of old.defs) {
      pull(this.byName, def.name, (r) => r.file === old);
      pull(this.byFamilyName, `${family}:${def.name}`, (r) => r.file === old);
    }
    pull(this.byBase, path.posix.basename(filePath), (p) => p === filePath);
    pull(this.byDir, path.posix.dirname(filePath), (p) => p === filePath);
    this.changed();
  }

  private changed(): void {
    this.generation++;
    this.resolved.clear();
  }

  /** Definitions of a name, in any language or only in one language family (see languageFamily). */
  definitions(name: string, family?: string): readonly DefRef[] {
    return (family === undefined ? this.byName.get(name) : this.byFamilyName.get(`${family}:${name}`)) ?? [];
  }

  /** Other indexed files in the same directory and language family (Go/Java packages, C headers). */
  siblings(filePath: string, languageId: string): string[] {
    const family = languageFamily(languageId);
    return (this.byDir.get(path.posix.dirname(filePath)) ?? [])
      .filter((p) => p !== filePath && languageFamily(this.files.get(p)?.languageId ?? '') === family);
  }

  /** Indexed files that the imports of `filePath` refer to, in import order (cached). */
  resolveImports(filePath: string, languageId: string, imports: readonly string[]): string[] {
    const key = `${filePath}\u0000${imports.join('\u0000')}`;
    const hit = this.resolved.get(key);
    if (hit) return hit;
    const out: string[] = [];
    for (const spec of imports) {
      for (const p of this.lookup(importTargets(languageId, filePath, spec))) if (p !== filePath && !out.includes(p)) out.push(p);
    }
    this.resolved.set(key, out);
    return out;
  }

  /** What the given files import in turn (one level), without those already given or `except`. */
  importsOf(paths: readonly string[], except: string): string[] {
    const out: string[] = [];
    for (const p of paths) {
      const f = this.files.get(p);
      if (!f) continue;
      for (const q of this.resolveImports(p, f.languageId, f.imports)) if (q !== except && !paths.includes(q) && !out.includes(q)) out.push(q);
    }
    return out;
  }

  private lookup(t: ReturnType<typeof importTargets>): string[] {
    const exact = t.exact.map((p) => path.posix.normalize(p)).filter((p) => this.files.has(p));
    if (exact.length) return exact.slice(0, 1);
    for (const suffix of t.suffix) {
      const hits = (this.byBase.get(path.posix.basename(suffix)) ?? []).filter((p) => p === suffix || p.endsWith(`/${suffix}`));
      if (hits.length) return hits.slice(0, 2);
    }
    for (const dirSuffix of t.dirSuffix) {
      for (const [dir, paths] of this.byDir) {
        if (dir === dirSuffix || dir.endsWith(`/${dirSuffix}`)) return paths.slice(0, 8);
      }
    }
    return [];
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function pull<T>(map: Map<string, T[]>, key: string, drop: (v: T) => boolean): void {
  const list = map.get(key);
  if (!list) return;
  const kept = list.filter((v) => !drop(v));
  if (kept.length) map.set(key, kept);
  else map.delete(key);
}
