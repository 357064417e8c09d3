/**
 * Chooses the definitions worth showing the model within a character budget (best scores first,
 * see snippetCandidates.ts) and renders them one snippet per file, in file order, members inside
 * their class or enum header so the snippet reads like the file with the rest folded away.
 * A share of the budget lists, by name only, what did not fit in full (see leftoverNames.ts).
 */
import { lineCommentOf } from './languages';
import { folderKey, groupKey, leftoverNames, namesLine } from './leftoverNames';
import { gatherCandidates, isBigContainer, outlinedSiblings, type Candidate, type CandidateInput } from './snippetCandidates';
import type { FileEntry } from './workspaceIndex';

export interface PickInput extends CandidateInput {
  /** Budget for all snippets together, in characters. */
  maxChars: number;
}

export interface FileSnippet {
  path: string;
  text: string;
  /** Best score among its definitions (for ordering and tests). */
  score: number;
}

/** Share of the budget kept for the names of definitions that did not fit in full. */
const NAMES_SHARE = 0.35;
/** Imported and same-package files whose definitions may be listed by name without a full one. */
const NAMED_FILES = 12;

export function pickSnippets(input: PickInput): FileSnippet[] {
  const candidates = gatherCandidates(input);
  const { picked, used } = select(candidates, Math.floor(input.maxChars * (1 - NAMES_SHARE)));
  const comment = lineCommentOf(input.languageId);
  if (!comment) return render(picked, new Map());
  const pickedSet = new Set(picked);
  const { shown, shownNames } = groupsShown(picked);
  // Files the code imports, or its package's, may be listed by name even when nothing of them fits in full.
  const folded = new Map<string, string>();
  for (const p of [...input.imported, ...outlinedSiblings(input)].slice(0, NAMED_FILES)) {
    const key = groupKey({ path: p }, undefined);
    if (!shown.has(key)) folded.set(key, folderKey(p));
    shown.add(key);
  }
  const names = leftoverNames(candidates.filter((c) => !pickedSet.has(c)), shown, shownNames, input.maxChars - used, folded);
  const snippets = render(picked, names, comment);
  // What render left: lists of files without a snippet of their own, one per folder.
  for (const [key, list] of names) snippets.push({ path: key.slice(0, key.lastIndexOf('#')) || './', text: namesLine(list, comment, '', false), score: 0 });
  return snippets;
}

/** Highest scores first, skipping what does not fit; a small container's outline covers its members. */
function select(candidates: Candidate[], maxChars: number): { picked: Candidate[]; used: number } {
  candidates.sort((a, b) => b.score - a.score || a.file.defs[a.index].start - b.file.defs[b.index].start);
  const chosen = new Set<string>();
  const picked: Candidate[] = [];
  let used = 0;
  const key = (file: FileEntry, i: number) => `${file.path}#${i}`;
  for (const c of candidates) {
    const def = c.file.defs[c.index];
    const parent = def.container === undefined ? undefined : c.file.defs[def.container];
    if (parent && !isBigContainer(parent) && chosen.has(key(c.file, def.container!))) continue;
    // A big container costs its header and closer; its members are chosen one by one.
    let cost = isBigContainer(def) ? (def.header?.length ?? 0) + (def.closer?.length ?? 0) + 2 : def.text.length + 1;
    if (parent && !chosen.has(key(c.file, def.container!))) cost += (parent.header?.length ?? 0) + (parent.closer?.length ?? 0) + 2;
    if (used + cost > maxChars) continue;
    used += cost;
    chosen.add(key(c.file, c.index));
    if (parent && isBigContainer(parent)) chosen.add(key(c.file, def.container!));
    picked.push(c);
  }
  // Members of small containers chosen later are covered by the container's outline.
  return {
    used,
    picked: picked.filter((c) => {
      const container = c.file.defs[c.index].container;
      return container === undefined || isBigContainer(c.file.defs[container]) || !chosen.has(key(c.file, container));
    }),
  };
}

/** Groups (see leftoverNames.ts) the rendering will show: files with a snippet, big containers opened. */
function groupsShown(picked: Candidate[]): { shown: Set<string>; shownNames: Map<string, Set<string>> } {
  const shown = new Set<string>();
  const shownNames = new Map<string, Set<string>>();
  for (const c of picked) {
    const def = c.file.defs[c.index];
    shown.add(groupKey(c.file, undefined));
    if (isBigContainer(def)) shown.add(groupKey(c.file, c.index));
    if (def.container !== undefined) shown.add(groupKey(c.file, def.container));
    const add = (key: string, name: string) => (shownNames.get(key) ?? shownNames.set(key, new Set()).get(key)!).add(name);
    add(groupKey(c.file, def.container), def.name);
    // The container of a picked member is shown too (its header).
    if (def.container !== undefined) add(groupKey(c.file, c.file.defs[def.container].container), c.file.defs[def.container].name);
  }
  return { shown, shownNames };
}

/** One snippet per file, definitions in file order, members wrapped in their container's header. */
function render(picked: Candidate[], names: Map<string, string[]>, comment = ''): FileSnippet[] {
  const byFile = new Map<string, Candidate[]>();
  for (const c of picked) (byFile.get(c.file.path) ?? byFile.set(c.file.path, []).get(c.file.path)!).push(c);
  const out: FileSnippet[] = [];
  for (const [path, list] of byFile) {
    const file = list[0].file;
    const indexes = new Set(list.map((c) => c.index));
    const lines: string[] = [];
    let open: number | undefined;
    let memberIndent = '';
    const listNames = (container: number | undefined, indent: string) => {
      const key = groupKey(file, container);
      const found = names.get(key);
      if (found) lines.push(namesLine(found, comment, indent, container !== undefined));
      names.delete(key);
    };
    const close = () => {
      if (open !== undefined) {
        listNames(open, memberIndent || `${indentOf(file.defs[open].header ?? file.defs[open].text)}    `);
        if (file.defs[open].closer) lines.push(file.defs[open].closer!);
      }
      open = undefined;
      memberIndent = '';
    };
    const openContainer = (i: number) => {
      close();
      lines.push(file.defs[i].header ?? file.defs[i].text.split('\n')[0]);
      open = i;
    };
    for (const i of [...indexes].sort((a, b) => a - b)) {
      const def = file.defs[i];
      if (isBigContainer(def)) {
        openContainer(i);
        continue;
      }
      if (def.container !== open) {
        if (def.container !== undefined) openContainer(def.container);
        else close();
      }
      if (open !== undefined && !memberIndent) memberIndent = indentOf(def.text);
      lines.push(def.text);
    }
    close();
    listNames(undefined, '');
    out.push({ path, text: lines.join('\n'), score: Math.max(...list.map((c) => c.score)) });
  }
  return out;
}

function indentOf(text: string): string {
  return /^[ \t]*/.exec(text)![0];
}
