/**
 * Which definitions might the code at the cursor need, and how much? Scores come from evidence:
 * a name the windows use (its definition, the members of its class or enum, the members next to
 * it), names those definitions mention in turn (a field's type, a base class), then the rest of
 * the current file and of imported files. Ambiguous names are discounted, and a member whose name
 * is common (a field `size` in ten structs) counts only where the file is related to this one.
 */
import { enclosingScope } from './enclosingScope';
import { identifiersIn } from './identifiers';
import { languageFamily } from './languages';
import { popularity } from './nameUsage';
import { CONTAINER_KINDS } from './outline';
import type { SymbolDef } from './symbols';
import { isModuleLevel, type DefRef, type FileEntry, type WorkspaceIndex } from './workspaceIndex';

export interface CandidateInput {
  index: WorkspaceIndex;
  /** The current file's entry (its definitions as of the last time it settled), if any. */
  current?: FileEntry;
  currentPath: string;
  /** Rows of the current file covered by the prompt windows (definitions there are visible). */
  visibleRows: [number, number];
  /** The cursor's row: the classes around it lend their members (see enclosingScope.ts). */
  cursorRow?: number;
  /** Names the prompt windows use, with their counts (see identifiers.ts): they drive the choice. */
  identifiers: Map<string, number>;
  /** The names of `identifiers` that occur outside comments and strings (prose words weigh less). */
  inCode?: Set<string>;
  /** The current file's language: definitions in other language families cannot be meant. */
  languageId: string;
  /** Files the current one imports, nearest first; files those import; same-package siblings. */
  imported: string[];
  importedIndirectly: string[];
  /** Same-package files, the package's own module file first (see WorkspaceIndex.siblings). */
  siblings: string[];
}

export interface Candidate {
  file: FileEntry;
  index: number;
  score: number;
}

const USED = 4;
/** A name seen only in comments or strings: often a word of prose that happens to name something. */
const PROSE = 0.4;
/** Members of a used class/enum, and members next to a used member. */
const MEMBER = 2.2;
const SIBLING = 2.5;
const SIBLING_SPAN = 12;
/** Definitions named by the text of used definitions (a field's type, a base class). */
const HOP = 1.6;
const HOP_SOURCES = 12;
/** Members of the classes around the cursor, of their other declarations, and of their bases. */
const ENCLOSING = 4.5;
const BASE = 2;
/** Methods declared outside their type (Go receivers) offered with the type: a cap per type. */
const MAX_OWNED = 80;
/** Module-level definitions of an imported module the windows name (`references.Footnotes`). */
const QUALIFIED = 2.4;
const CURRENT_OUTLINE = 1.5;
const IMPORTED_OUTLINE = 1;
const SIBLING_OUTLINE = 0.6;
const INDIRECT_OUTLINE = 0.5;
const MAX_AMBIGUOUS = 6;
/** Per keystroke work stays bounded in huge files and headers. */
const MAX_OUTLINE_FILES = 12;
const MAX_OUTLINE_DEFS = 300;
/** A container whose outline is longer than this is shown as header + chosen members. */
export const SMALL_CONTAINER_CHARS = 600;

/** How much a name used across the workspace outranks one no other file uses (see nameUsage.ts). */
const POPULAR = 2;
/**
 * Families whose imports name what they bring (`from x import a`, `import { a }`, `use x::{A, B}`):
 * the windows say which names matter. Elsewhere an include, a namespace, a require or a package
 * brings every name of a module at once, and use across the workspace is the best guess among them.
 */
const NAMED_IMPORTS = new Set(['python', 'js', 'rust']);

const memberCache = new WeakMap<FileEntry, Map<number, number[]>>();
const useCache = new WeakMap<FileEntry, Set<string>>();

const factorCache = new WeakMap<FileEntry, { key: string; factors: Float32Array }>();

/**
 * The use factor (see nameUsage.ts) of each definition of a file, cached until the index or the
 * current file changes: the outlines ask for thousands per keystroke. The current file's own use
 * is left out: it says nothing about what the rest of it needs.
 */
function useFactors(input: CandidateInput, file: FileEntry): Float32Array {
  const key = `${input.index.generation}|${input.currentPath}`;
  const hit = factorCache.get(file);
  if (hit?.key === key) return hit.factors;
  const own = input.current ? usesOf(input.current) : new Set<string>();
  const files = input.index.files.size;
  const factors = Float32Array.from(file.defs, (d) => popularity(input.index.uses(d.name) - (own.has(d.name) ? 1 : 0), files, POPULAR));
  factorCache.set(file, { key, factors });
  return factors;
}

/** The names a file uses, as a set (cached per entry). */
function usesOf(file: FileEntry): Set<string> {
  let set = useCache.get(file);
  if (!set) useCache.set(file, set = new Set(file.uses));
  return set;
}

/** Indexes of the members of each container of a file (cached per entry). */
export function membersOf(file: FileEntry, container: number): number[] {
  let map = memberCache.get(file);
  if (!map) {
    map = new Map();
    file.defs.forEach((d, i) => {
      if (d.container === undefined) return;
      const list = map!.get(d.container);
      if (list) list.push(i);
      else map!.set(d.container, [i]);
    });
    memberCache.set(file, map);
  }
  return map.get(container) ?? [];
}

export function isBigContainer(def: SymbolDef): boolean {
  return CONTAINER_KINDS.has(def.kind) && def.text.length > SMALL_CONTAINER_CHARS;
}

export function gatherCandidates(input: CandidateInput): Candidate[] {
  const out = new Map<FileEntry, Map<number, Candidate>>();
  const family = languageFamily(input.languageId);
  const importRank = new Map(input.imported.map((p, i) => [p, i]));
  const related = new Set([input.currentPath, ...input.imported, ...input.importedIndirectly, ...input.siblings]);
  const isVisible = (file: FileEntry, d: SymbolDef) =>
    file.path === input.currentPath && d.line <= input.visibleRows[1] && d.endLine >= input.visibleRows[0];
  const popular = (file: FileEntry, index: number) => (NAMED_IMPORTS.has(family) ? 1 : useFactors(input, file)[index]);
  const offer = (file: FileEntry, index: number, score: number) => {
    if (isVisible(file, file.defs[index])) return;
    let perFile = out.get(file);
    if (!perFile) out.set(file, perFile = new Map());
    const old = perFile.get(index);
    if (!old) perFile.set(index, { file, index, score });
    else if (old.score < score) old.score = score;
  };
  const offerMembers = (file: FileEntry, container: number, score: number) => {
    const members = membersOf(file, container);
    // A module's members are module-level names (Ruby's `module Rack` constants): ranked as outlines are.
    const byUse = file.defs[container].kind === 'module';
    members.forEach((m, pos) => offer(file, m, score * (1 - 0.5 * pos / members.length) * (byUse ? popular(file, m) : 1)));
  };
  const offerDef = (r: DefRef, score: number, memberScore: number) => {
    offer(r.file, r.index, score);
    if (isBigContainer(r.def)) offerMembers(r.file, r.index, memberScore);
    if (CONTAINER_KINDS.has(r.def.kind)) offerOwned(r.def.name, memberScore);
  };
  /** A type's methods declared outside its body, nearest files first. */
  const offerOwned = (typeName: string, score: number) => {
    const owned = input.index.ownedBy(typeName, family);
    if (!owned.length || owned.length > MAX_OWNED * 4) return;
    const sorted = [...owned].sort((a, b) => Number(!related.has(a.file.path)) - Number(!related.has(b.file.path)));
    // Scored at most as before, less where the workspace seldom calls them: a struct's fields
    // (what literals and accesses name) come before its rarely used methods.
    sorted.slice(0, MAX_OWNED).forEach((r, pos) => offer(r.file, r.index, score * (1 - 0.5 * pos / Math.min(sorted.length, MAX_OWNED)) * (NAMED_IMPORTS.has(family) ? 1 : popular(r.file, r.index) / (1 + POPULAR))));
  };
  /** Definitions of a name in this language family, preferring related files; undefined if too ambiguous. */
  const resolve = (name: string): DefRef[] | undefined => {
    const refs = input.index.definitions(name, family);
    if (!refs.length || refs.length > MAX_AMBIGUOUS * 4) return undefined;
    const local = refs.filter((r) => related.has(r.file.path));
    const pool = local.length ? local : refs;
    if (pool.length > MAX_AMBIGUOUS) return undefined;
    // A common member name in unrelated files (`size`, `data`) says nothing about which one.
    const useful = pool.filter((r) => r.def.container === undefined || related.has(r.file.path) || pool.length === 1);
    return useful.length ? useful : undefined;
  };

  // 1. Definitions of the names the windows use; the members of used containers; neighbours of used members.
  const used: { ref: DefRef; score: number }[] = [];
  for (const [name, count] of input.identifiers) {
    const pool = resolve(name);
    if (!pool) continue;
    for (const r of pool) {
      const near = r.file.path === input.currentPath || importRank.has(r.file.path) ? 1.5 : related.has(r.file.path) ? 1.2 : 1;
      const weight = near / Math.sqrt(pool.length) * (input.inCode && !input.inCode.has(name) ? PROSE : 1);
      const score = (USED + Math.min(3, count) * 0.25) * weight;
      offerDef(r, score, MEMBER * weight);
      used.push({ ref: r, score });
      if (r.def.container === undefined) continue;
      for (let k = 1; k <= SIBLING_SPAN; k++) {
        for (const j of [r.index - k, r.index + k]) {
          if (r.file.defs[j]?.container === r.def.container) offer(r.file, j, SIBLING * (1 - k / (SIBLING_SPAN + 1)) * weight);
        }
      }
    }
  }
  // 1b. The classes around the cursor: their members, their other declarations (reopened classes,
  // impl blocks, Go methods of the receiver type) and their bases' members.
  if (input.current && input.cursorRow !== undefined) {
    const scope = enclosingScope(input.current, input.cursorRow);
    for (const c of scope.containers) offerMembers(input.current, c, ENCLOSING);
    const offerType = (name: string, score: number) => {
      for (const r of resolve(name) ?? []) if (CONTAINER_KINDS.has(r.def.kind)) offerDef(r, score, score);
      offerOwned(name, score);
    };
    scope.types.forEach((name) => offerType(name, ENCLOSING));
    scope.bases.forEach((name) => offerType(name, BASE));
  }
  // 1c. Imported modules the windows name as a qualifier: their module-level definitions.
  for (const p of input.imported) {
    const file = input.index.files.get(p);
    if (!file || !namesModule(input.identifiers, p, family)) continue;
    const top = file.defs.flatMap((d, i) => (d.container === undefined ? [i] : [])).slice(0, MAX_OUTLINE_DEFS);
    top.forEach((i, pos) => offer(file, i, QUALIFIED * (1 - 0.5 * pos / top.length)));
  }
  // 2. One hop further: what the best used definitions mention (types of fields, base classes).
  used.sort((a, b) => b.score - a.score);
  const seen = new Set(input.identifiers.keys());
  for (const { ref } of used.slice(0, HOP_SOURCES)) {
    for (const name of identifiersIn(ref.def.text).keys()) {
      if (seen.has(name)) continue;
      seen.add(name);
      const pool = resolve(name);
      if (pool && pool.length <= 2) for (const r of pool) if (CONTAINER_KINDS.has(r.def.kind)) offerDef(r, HOP / pool.length, HOP / pool.length);
    }
  }
  // 3. The rest of the current file, then the imported files' top-level definitions.
  input.current?.defs.slice(0, MAX_OUTLINE_DEFS * 4).forEach((_d, i) => offer(input.current!, i, CURRENT_OUTLINE));
  const outline = (paths: string[], score: number) => paths.slice(0, MAX_OUTLINE_FILES).forEach((p, rank) => {
    const file = input.index.files.get(p);
    file?.defs.slice(0, MAX_OUTLINE_DEFS).forEach((d, i) => { if (isModuleLevel(file.defs, d) && !isNamespace(d)) offer(file, i, score / (1 + rank * 0.1) * popular(file, i)); });
  });
  outline(input.imported, IMPORTED_OUTLINE);
  outline(outlinedSiblings(input), SIBLING_OUTLINE);
  outline(input.importedIndirectly, INDIRECT_OUTLINE);
  return [...out.values()].flatMap((m) => [...m.values()]);
}

/** A namespace block: its name is in the windows already (`namespace A.B`), its members count. */
function isNamespace(d: SymbolDef): boolean {
  return d.kind === 'impl' && /^\s*namespace\b/.test(d.header ?? d.text);
}

/** Files that stand for their folder: a Python package's `__init__`, Rust's `mod`, JS's `index`. */
const PACKAGE_FILE = /^(__init__|mod|index)$/;

/** Do the windows use this module's name (its file stem, or its folder's for package files and Go)? */
function namesModule(identifiers: Map<string, number>, filePath: string, family: string): boolean {
  const parts = filePath.split('/');
  const stem = parts[parts.length - 1].replace(/\..*$/, '');
  if (identifiers.has(stem)) return true;
  return (family === 'go' || PACKAGE_FILE.test(stem)) && parts.length > 1 && identifiers.has(parts[parts.length - 2]);
}

/**
 * Same-package files whose module-level names the code may use next: all of them, except in
 * JavaScript/TypeScript, where a module sees nothing of its neighbours until it imports them.
 */
export function outlinedSiblings(input: Pick<CandidateInput, 'siblings' | 'languageId'>): string[] {
  return languageFamily(input.languageId) === 'js' ? [] : input.siblings;
}
