/**
 * Held-out code for bench:real: repositories this project never developed on, fetched by
 * fetchHeldOut.sh into /work/data/held (outside git): toolz 0.12.1 (PyPI sdist, Python) and
 * github.com/google/uuid v1.6.0 (Go module). FIM tasks and typing sessions come from them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeTasks, type TypingTask } from '../latency/typingSession';

export const HELD_OUT_DIR = process.env.HELD_OUT_DIR ?? '/work/data/held';
export const HELD_OUT_REPOS = ['toolz-0.12.1/toolz', 'uuid'];

export function heldOutRepos(): string[] {
  const repos = HELD_OUT_REPOS.map((r) => path.join(HELD_OUT_DIR, r));
  const missing = repos.filter((r) => !fs.existsSync(r));
  if (missing.length) throw new Error(`held-out code missing (${missing.join(', ')}): run bash bench/real-speed/fetchHeldOut.sh`);
  return repos;
}

/** A fill-in-the-middle task: the cursor after the indentation of a line, the next `lines` lines hidden. */
export interface FimTask { file: string; languageId: string; prefix: string; suffix: string; middle: string }

/** Tasks spread over the repositories, windows cut as the pipeline's would be (chars, ~3.5 per token). */
export function fimTasks(count: number, lines: number, seed: number, prefixChars = 1000, suffixChars = 200): FimTask[] {
  const repos = heldOutRepos();
  const per = Math.ceil(count / repos.length);
  const typed: TypingTask[] = repos.flatMap((repo, i) => makeTasks(repo, { seed: seed + i, tasks: per, linesPerTask: lines }));
  return typed.slice(0, count).map((t) => ({
    file: t.file, languageId: t.languageId,
    prefix: t.before.slice(-prefixChars),
    // The hidden lines end with a line break; the suffix starts after it.
    middle: t.toType.replace(/\n$/, ''),
    suffix: ('\n' + t.after).slice(0, suffixChars),
  }));
}

/** Typing sessions over every held-out repository (tasks interleaved: each is a jump elsewhere). */
export function typingTasks(perRepo: number, linesPerTask: number, seed: number): TypingTask[] {
  const lists = heldOutRepos().map((repo, i) => makeTasks(repo, { seed: seed + i, tasks: perRepo, linesPerTask }));
  const out: TypingTask[] = [];
  for (let i = 0; i < perRepo; i++) for (const l of lists) if (l[i]) out.push(l[i]);
  return out;
}
