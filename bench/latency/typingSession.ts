/**
 * A person typing real code, as a deterministic script: pick a place in a real file, hide the next
 * few lines (the code "to be written"), and type them back key by key with realistic gaps, pauses,
 * typos fixed with backspace, and jumps to other places and files. The replay decides accepts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Prng } from '../../models/gguf/prng';

export interface TypingTask {
  file: string;
  languageId: string;
  /** Document text before the cursor when the task starts. */
  before: string;
  /** The code the person will type. */
  toType: string;
  /** Document text after the cursor (stays put while typing). */
  after: string;
}

export interface SessionOptions {
  seed: number;
  tasks: number;
  linesPerTask: number;
}

const EXTENSIONS: Record<string, string> = {
  '.ts': 'typescript', '.tsx': 'typescriptreact', '.js': 'javascript', '.mjs': 'javascript', '.py': 'python',
  '.go': 'go', '.rs': 'rust', '.java': 'java', '.c': 'c', '.cpp': 'cpp', '.cs': 'csharp', '.rb': 'ruby', '.php': 'php',
};

/** The editor's language id for a source file, by its extension. */
export function languageOf(file: string): string | undefined {
  return EXTENSIONS[path.extname(file)];
}

export function sourceFiles(repo: string, limit = 400): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      if (out.length >= limit || name.startsWith('.') || ['node_modules', 'dist', 'out', 'build', 'vendor'].includes(name)) continue;
      const full = path.join(dir, name);
      const stat = fs.statSync(full);
      if (stat.isDirectory()) walk(full);
      else if (EXTENSIONS[path.extname(name)] && stat.size > 800 && stat.size < 200_000 && !name.includes('.min.')) out.push(full);
    }
  };
  walk(repo);
  return out;
}

/** Tasks at seeded places: code lines (not blank, not too long) inside real files. */
export function makeTasks(repo: string, options: SessionOptions): TypingTask[] {
  const rng = new Prng(options.seed);
  const files = sourceFiles(repo);
  if (!files.length) throw new Error(`no source files under ${repo}`);
  const tasks: TypingTask[] = [];
  for (let attempt = 0; tasks.length < options.tasks && attempt < options.tasks * 20; attempt++) {
    const file = files[Math.floor(rng.nextFloat() * files.length)];
    const text = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
    const lines = text.split('\n');
    if (lines.length < options.linesPerTask + 20) continue;
    const start = 10 + Math.floor(rng.nextFloat() * (lines.length - options.linesPerTask - 15));
    const chunk = lines.slice(start, start + options.linesPerTask);
    if (chunk.some((l) => l.length > 160) || chunk.join('').trim().length < 30) continue;
    const indent = chunk[0].match(/^\s*/)![0];
    const before = lines.slice(0, start).join('\n') + '\n' + indent;
    const toType = chunk.join('\n').slice(indent.length) + '\n';
    tasks.push({ file, languageId: EXTENSIONS[path.extname(file)], before, toType, after: lines.slice(start + options.linesPerTask).join('\n') });
  }
  return tasks;
}

/** Milliseconds between two keystrokes: ~120 ms bursts, longer after punctuation, thinking pauses. */
export function keyGap(rng: Prng, prevChar: string): number {
  const base = 70 + rng.nextFloat() * 110;
  if (prevChar === '\n') return base + 300 + rng.nextFloat() * 900;
  if (/[;{}(),.]/.test(prevChar) && rng.nextFloat() < 0.25) return base + 250 + rng.nextFloat() * 600;
  if (rng.nextFloat() < 0.03) return base + 800 + rng.nextFloat() * 1500;
  return base;
}
