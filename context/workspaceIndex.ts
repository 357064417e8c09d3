/**
 * The workspace's definitions by name and its files by path, filled in the background (see
 * workspaceScanner.ts / indexWorker.ts) and by open documents as they settle. Lookups are map
 * reads, cheap enough for the keystroke path; resolved imports are cached per file.
 */
import * as path from 'node:path';
import { importedModules, importTargets } from './imports';
import { languageFamily } from './languages';
import { NameUsage } from './nameUsage';
import type { SymbolDef } from './symbols';

export interface FileEntry {
  /** Workspace-relative, '/'-separated. */
  path: string;
  languageId: string;
  defs: SymbolDef[];
  imports: string[];
  /** Distinct names the file's code uses (see nameUsage.ts); absent for entries made without text. */
  uses?: string[];
}

export interface DefRef {
  file: FileEntry;
  def: SymbolDef;
  /** Position of def in file.defs. */
  index: number;
}

/** Files taken from a package folder (Go package, Java wildcard, C# namespace). */
const MAX_PACKAGE_FILES = 8;

export class WorkspaceIndex {
  readonly files = new Map<string, FileEntry>();
  private readonly byName = new Map<string, DefRef[]>();
  /** The same, keyed by language family and name: lookups on the keystroke path skip other languages. */
  private readonly byFamilyName = new Map<string, DefRef[]>();
  /** Methods declared outside their type's body (SymbolDef.owner), keyed by family and type name. */
  private readonly byOwner = new Map<string, DefRef[]>();
  private readonly byBase = new Map<string, string[]>();
  private readonly byDir = new Map<string, string[]>();
  private readonly resolved = new Map<string, string[]>();
  private readonly usage = new NameUsage();
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
      if (def.owner) push(this.byOwner, `${family}:${def.owner}`, ref);
    });
    this.usage.add(entry.uses);
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
      if (def.owner) pull(this.byOwner, `${family}:${def.owner}`, (r) => r.file === old);
    }
    this.usage.remove(old.uses);
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

  /** How many indexed files use a name in their code (any language). */
  uses(name: string): number {
    return this.usage.count(name);
  }

  /** Methods of a type declared outside its body (Go receivers, C++ `Type::method`), in one family. */
  ownedBy(typeName: string, family: string): readonly DefRef[] {
    return this.byOwner.get(`${family}:${typeName}`) ?? [];
  }

  /**
   * Other indexed files of the same package, in the same language family: the package's own
   * module file first (`lib/rack.rb` for `lib/rack/x.rb`, `src/foo.rs` for `src/foo/x.rs`, whose
   * module-level names the code may use unqualified), then the files of the same directory
   * (Go/Java packages, Python modules next to each other, C headers).
   */
  siblings(filePath: string, languageId: string): string[] {
    const family = languageFamily(languageId);
    const dir = path.posix.dirname(filePath);
    const sameFamily = (p: string) => p !== filePath && languageFamily(this.files.get(p)?.languageId ?? '') === family;
    const parent = dir === '.' ? [] : (this.byDir.get(path.posix.dirname(dir)) ?? [])
      .filter((p) => sameFamily(p) && path.posix.basename(p).replace(/\.[^.]+$/, '') === path.posix.basename(dir));
    return [...parent, ...(this.byDir.get(dir) ?? []).filter(sameFamily)];
  }

  /** Indexed files that the imports of `filePath` refer to, in import order (cached). */
  resolveImports(filePath: string, languageId: string, imports: readonly string[]): string[] {
    const key = `${filePath}\u0000${imports.join('\u0000')}`;
    const hit = this.resolved.get(key);
    if (hit) return hit;
    const out: string[] = [];
    for (const spec of imports.flatMap((s) => importedModules(languageId, s))) {
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

  /**
   * A package folder's files, those whose module-level definitions the workspace uses most first
   * (stable): of a namespace of hundreds of files, the few that code elsewhere keeps naming
   * (`JsonConvert`, `Formatting`) are the likeliest to be needed here too.
   */
  private mostUsedFirst(paths: readonly string[], keep = MAX_PACKAGE_FILES): string[] {
    if (paths.length <= keep) return [...paths];
    const ranked = paths.map((p) => {
      let best = { name: '', w: 0 };
      const defs = this.files.get(p)?.defs ?? [];
      for (const d of defs.slice(0, 50)) {
        const w = d.kind !== 'impl' && isModuleLevel(defs, d) ? this.usage.count(d.name) : 0;
        if (w > best.w) best = { name: d.name, w };
      }
      return { p, ...best };
    }).sort((a, b) => b.w - a.w);
    // Parts of one partial class (`RestClient.Async.cs`, `RestClient.Options.cs`) count once, ahead of the rest.
    const seen = new Set<string>();
    const first = ranked.filter((r) => !seen.has(r.name) && seen.add(r.name));
    return [...first, ...ranked.filter((r) => !first.includes(r))].map((r) => r.p);
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
        if (dir === dirSuffix || dir.endsWith(`/${dirSuffix}`)) return this.mostUsedFirst(paths).slice(0, MAX_PACKAGE_FILES);
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

/** Outside any definition, or directly inside a namespace block (C#, C++): what a module offers. */
export function isModuleLevel(defs: readonly SymbolDef[], d: SymbolDef): boolean {
  if (d.container === undefined) return true;
  const outer = defs[d.container];
  return outer.kind === 'impl' && outer.container === undefined && /^\s*namespace\b/.test(outer.header ?? outer.text);
}
