/**
 * Names of the definitions that did not fit in full, listed in one comment line per class or
 * file already shown (`# other members: extend, compile, ...`). A name costs a few characters
 * where a signature costs a line, and it is often all the model needs to spell a call right:
 * which methods a class has, which constants a module defines.
 */
import type { Candidate } from './snippetCandidates';
import type { FileEntry } from './workspaceIndex';

/** The group of the files of one folder that have no snippet of their own. */
export function folderKey(filePath: string): string {
  const slash = filePath.lastIndexOf('/');
  return `${slash < 0 ? '' : filePath.slice(0, slash + 1)}#-1`;
}

/** Where a left-out definition is listed: under its container, or at the end of its file's snippet. */
export function groupKey(file: Pick<FileEntry, 'path'>, container: number | undefined): string {
  return `${file.path}#${container ?? -1}`;
}

/**
 * Picks names from `left` (best scores first) into the groups that `shown` allows, within
 * maxChars (each name costs its length plus a separator; each group a comment line's overhead).
 * `folded` maps the groups of files without a snippet to their folder's group (see folderKey):
 * one line per folder instead of a path and a line for each file of a namespace.
 */
export function leftoverNames(
  left: Candidate[], shown: Set<string>, shownNames: Map<string, Set<string>>, maxChars: number, folded = new Map<string, string>(),
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let used = 0;
  for (const c of left) {
    const def = c.file.defs[c.index];
    const own = groupKey(c.file, def.container);
    if (!shown.has(own) || shownNames.get(own)?.has(def.name)) continue;
    // A file without a snippet of its own is listed in its folder's line, which costs that path once.
    const key = folded.get(own) ?? own;
    const list = out.get(key);
    if (list?.includes(def.name)) continue;
    const cost = def.name.length + 2 + (list ? 0 : 24 + (key === own ? 0 : key.length));
    if (used + cost > maxChars) continue;
    used += cost;
    if (list) list.push(def.name);
    else out.set(key, [def.name]);
  }
  return out;
}

/**
 * A line in the format of namesLine: our own annotation of a snippet, never code of the user's.
 * Real models copy it into completions (Qwen2.5-Coder 0.5B answered `// other members: toString,
 * toJSON, get, set` on axios), so post-processing drops such lines.
 */
export const NAMES_LINE = /^[ \t]*\S{1,3} other (members|definitions): /;

/** The comment line listing a group's names, indented like the members it stands for. */
export function namesLine(names: string[], comment: string, indent: string, members: boolean): string {
  return `${indent}${comment} ${members ? 'other members' : 'other definitions'}: ${names.join(', ')}`;
}
