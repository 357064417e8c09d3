/**
 * Chooses the definitions worth showing the model within a character budget (best scores first,
 * see snippetCandidates.ts) and renders them one snippet per file, in file order, members inside
 * their class or enum header so the snippet reads like the file with the rest folded away.
 */
import { gatherCandidates, isBigContainer, type Candidate, type CandidateInput } from './snippetCandidates';
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

export function pickSnippets(input: PickInput): FileSnippet[] {
  return render(select(gatherCandidates(input), input.maxChars));
}

/** Highest scores first, skipping what does not fit; a small container's outline covers its members. */
function select(candidates: Candidate[], maxChars: number): Candidate[] {
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
  return picked.filter((c) => {
    const container = c.file.defs[c.index].container;
    return container === undefined || isBigContainer(c.file.defs[container]) || !chosen.has(key(c.file, container));
  });
}

/** One snippet per file, definitions in file order, members wrapped in their container's header. */
function render(picked: Candidate[]): FileSnippet[] {
  const byFile = new Map<string, Candidate[]>();
  for (const c of picked) (byFile.get(c.file.path) ?? byFile.set(c.file.path, []).get(c.file.path)!).push(c);
  const out: FileSnippet[] = [];
  for (const [path, list] of byFile) {
    const file = list[0].file;
    const indexes = new Set(list.map((c) => c.index));
    const lines: string[] = [];
    let open: number | undefined;
    const close = () => {
      if (open !== undefined && file.defs[open].closer) lines.push(file.defs[open].closer!);
      open = undefined;
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
      lines.push(def.text);
    }
    close();
    out.push({ path, text: lines.join('\n'), score: Math.max(...list.map((c) => c.score)) });
  }
  return out;
}
