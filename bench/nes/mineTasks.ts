/**
 * Next-edit tasks from real history: commits whose change repeats at two or more places of one
 * file. Each line-for-line replacement of a commit (a hunk with as many new lines as old) is cut
 * to its smallest change grown to whole identifiers (`count` -> `total`, `f(a)` -> `f(a, b)`);
 * changes equal in old and new text at two or more lines of a file make a task. The file at the
 * parent commit is the document; the first place is the edit replayed, the others are expected.
 */
import { execFileSync } from 'node:child_process';
import { wholeWords } from '../../completion/nextEdit/editHistory';

export interface Place {
  /** 0-based row in the parent's file (replacements keep the line count, so rows stay valid). */
  row: number;
  oldLine: string;
  newLine: string;
  /** The change inside the line (offset in the line). */
  at: number;
  oldText: string;
  newText: string;
}

export interface NesTask {
  repo: string;
  commit: string;
  path: string;
  languageId: string;
  /** The file at the parent commit. */
  text: string;
  places: Place[];
}

const LANGUAGES: Record<string, string> = { py: 'python', go: 'go', ts: 'typescript', js: 'javascript', rb: 'ruby', rs: 'rust', java: 'java' };
const MAX_LINES = 3000;
/** A commit that changes a text at this many places is a mass replacement, not a next edit. */
const MAX_PLACES = 12;

const git = (dir: string, args: string[]) => execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8', maxBuffer: 512 << 20 });

interface Hunk { commit: string; path: string; oldStart: number; old: string[]; added: string[] }

function* hunks(patch: string): Generator<Hunk> {
  let commit = '';
  let path = '';
  let cur: Hunk | undefined;
  for (const line of patch.split('\n')) {
    if (line.startsWith('commit ')) { if (cur) yield cur; cur = undefined; commit = line.slice(7).trim(); continue; }
    if (line.startsWith('diff --git ')) { if (cur) yield cur; cur = undefined; path = ''; continue; }
    if (line.startsWith('+++ ')) { path = line.startsWith('+++ b/') ? line.slice(6) : ''; continue; }
    if (line.startsWith('--- ')) continue;
    const h = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/.exec(line);
    if (h) { if (cur) yield cur; cur = { commit, path, oldStart: Number(h[1]) - 1, old: [], added: [] }; continue; }
    if (!cur) continue;
    if (line.startsWith('-')) cur.old.push(line.slice(1));
    else if (line.startsWith('+')) cur.added.push(line.slice(1));
  }
  if (cur) yield cur;
}

export function mineTasks(gitDir: string, repo: string, options: { commits: number; maxTasks: number }): NesTask[] {
  const exts = Object.keys(LANGUAGES).map((e) => `*.${e}`);
  const patch = git(gitDir, ['log', '--no-merges', '-n', String(options.commits), '-p', '-U0', '--no-renames', '--format=commit %H', 'HEAD', '--', ...exts]);
  const groups = new Map<string, { commit: string; path: string; places: Place[] }>();
  for (const h of hunks(patch)) {
    if (!h.path || h.old.length !== h.added.length || h.old.length > 3 || !LANGUAGES[h.path.split('.').pop() ?? '']) continue;
    h.old.forEach((oldLine, i) => {
      const newLine = h.added[i];
      const c = wholeWords({ offset: 0, oldText: oldLine, newText: newLine });
      if (oldLine.replace(/\s+/g, '') === newLine.replace(/\s+/g, '')) return;
      const key = `${h.commit}\u0000${h.path}\u0000${c.oldText}\u0000${c.newText}`;
      const g = groups.get(key) ?? { commit: h.commit, path: h.path, places: [] };
      g.places.push({ row: h.oldStart + i, oldLine, newLine, at: c.offset, oldText: c.oldText, newText: c.newText });
      groups.set(key, g);
    });
  }
  const tasks: NesTask[] = [];
  const perCommit = new Map<string, number>();
  for (const g of groups.values()) {
    if (tasks.length >= options.maxTasks) break;
    const rows = new Set(g.places.map((p) => p.row));
    if (rows.size < 2 || rows.size > MAX_PLACES || (perCommit.get(g.commit) ?? 0) >= 1) continue;
    let text: string;
    try {
      text = git(gitDir, ['show', `${g.commit}^:${g.path}`]);
    } catch {
      continue; // a root commit or a file created by the commit
    }
    const lines = text.split('\n');
    const places = g.places.filter((p, i, all) => all.findIndex((q) => q.row === p.row) === i).sort((a, b) => a.row - b.row);
    if (lines.length > MAX_LINES || places.some((p) => lines[p.row] !== p.oldLine)) continue;
    perCommit.set(g.commit, 1);
    tasks.push({ repo, commit: g.commit, path: g.path, languageId: LANGUAGES[g.path.split('.').pop()!], text, places });
  }
  return tasks;
}
