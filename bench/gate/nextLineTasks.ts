/**
 * `node out/bench/gate/nextLineTasks.js --repo DIR --out FILE.jsonl [--tasks 150] [--seed 1] [--min-chars 1]`
 *
 * Writes next-line tasks for `npm run eval -- --tasks-file`: the cursor after a line's indentation,
 * the middle the rest of that line (the layout the bundled pair's held-out figure uses), from the
 * repository's source files (the evaluation's own file filter), seeded. Comment lines are skipped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { languageOfPath } from '../../context/languages';
import { rng } from '../../completion/evaluation/sampleTasks';
import { sampleableFiles } from '../../completion/evaluation/taskSet';

const argv = process.argv.slice(2);
const arg = (name: string, fallback?: string) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : fallback; };

async function main(): Promise<void> {
  const repo = arg('repo');
  const out = arg('out');
  if (!repo || !out) throw new Error('usage: nextLineTasks --repo DIR --out FILE.jsonl [--tasks N] [--seed S]');
  const count = Number(arg('tasks', '150'));
  const minChars = Number(arg('min-chars', '1'));
  const rand = rng(Number(arg('seed', '1')));
  const files = [...(await sampleableFiles(repo)).values()].flat();
  const lines: string[] = [];
  for (let tries = 0; lines.length < count && tries < count * 50 && files.length; tries++) {
    const rel = files[Math.floor(rand() * files.length)];
    const text = fs.readFileSync(path.join(repo, rel), 'utf8');
    const rows = text.split('\n');
    const row = Math.floor(rand() * rows.length);
    const line = rows[row].replace(/\r$/, '');
    const content = line.trim();
    if (content.length < minChars || content.length > 120 || /^(\/\/|#|\*|\/\*|"""|''')/.test(content)) continue;
    const start = rows.slice(0, row).reduce((n, r) => n + r.length + 1, 0) + (line.length - line.trimStart().length);
    const end = start + content.length;
    lines.push(JSON.stringify({ language: languageOfPath(rel), path: rel, prefix: text.slice(0, start), middle: text.slice(start, end), suffix: text.slice(end) }));
  }
  fs.writeFileSync(out, lines.join('\n') + '\n');
  console.log(`${lines.length} tasks -> ${out}`);
}

main().catch((err: unknown) => { console.error(err instanceof Error ? err.message : err); process.exit(1); });
