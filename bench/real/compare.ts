/**
 * `node out/bench/real/compare.js SIZE BASE OTHER... [--dir results]`: paired comparison of runs on
 * the same seeded tasks. A run is `TAG` (its pipeline outcomes), `TAG:raw` (another system) or
 * `TAG:raw+` (that system's recorded model text through today's post-processing, replay.ts).
 * Reads results/{repo}-{SIZE}-{TAG}.json for ky, axios, requests and chi, pairs task by task
 * (the first n both have) and prints per repository and pooled: exact match, edit similarity, mean
 * time per task, and against BASE the tasks won and lost with a two-sided sign-test p.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { replay } from './replay';
import { systemFigures } from './realScores';
import type { Outcome } from './realBench';

const REPOS = ['ky', 'axios', 'requests', 'chi'];

async function load(dir: string, repo: string, size: string, spec: string): Promise<Outcome[] | undefined> {
  const [tag, sys = 'pipeline'] = spec.split(':');
  const file = path.join(dir, `${repo}-${size}-${tag}.json`);
  if (!fs.existsSync(file)) return undefined;
  if (sys.endsWith('+')) return (await replay(file, sys.slice(0, -1))).outcomes;
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { outcomes: Record<string, Outcome[]> }).outcomes[sys];
}

/** Two-sided exact sign test over the discordant pairs. */
export function signTest(wins: number, losses: number): number {
  const n = wins + losses;
  if (!n) return 1;
  const k = Math.min(wins, losses);
  let p = 0;
  for (let i = 0; i <= k; i++) p += binom(n, i) / 2 ** n;
  return Math.min(1, 2 * p);
}

function binom(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - i + 1)) / i;
  return r;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const dirAt = argv.indexOf('--dir');
  const dir = dirAt >= 0 ? argv.splice(dirAt, 2)[1] : path.join(__dirname, '..', '..', '..', 'bench', 'real', 'results');
  const [size, ...specs] = argv;
  const pooled = new Map<string, { base: Outcome; other: Outcome }[]>();
  console.log(`| repository | run | tasks | EM % | ES % | s/task | vs ${specs[0]}: won / lost (p) |\n|---|---|---|---|---|---|---|`);
  for (const repo of REPOS) {
    const runs = await Promise.all(specs.map((s) => load(dir, repo, size, s)));
    if (!runs[0]) continue;
    const n = Math.min(...runs.filter(Boolean).map((r) => r!.length));
    for (const [i, spec] of specs.entries()) {
      const r = runs[i]?.slice(0, n);
      if (!r) continue;
      const pairs = r.map((o, t) => ({ base: runs[0]![t], other: o }));
      if (pairs.some((p) => p.base.path !== p.other.path || p.base.start !== p.other.start)) throw new Error(`${repo} ${spec}: tasks differ`);
      pooled.set(spec, [...pooled.get(spec) ?? [], ...pairs]);
      console.log(row(repo, spec, pairs));
    }
  }
  for (const spec of specs) if (pooled.has(spec)) console.log(row('**all**', spec, pooled.get(spec)!));
}

function row(repo: string, spec: string, pairs: { base: Outcome; other: Outcome }[]): string {
  const f = systemFigures(pairs.map((p) => p.other));
  const right = (o: Outcome) => systemFigures([o]).exactMatch === 1;
  const won = pairs.filter((p) => right(p.other) && !right(p.base)).length;
  const lost = pairs.filter((p) => !right(p.other) && right(p.base)).length;
  const ms = pairs.reduce((t, p) => t + p.other.ms, 0) / pairs.length / 1000;
  return `| ${repo} | ${spec} | ${pairs.length} | ${(f.exactMatch * 100).toFixed(0)} | ${(f.editSimilarity * 100).toFixed(0)} | ${ms.toFixed(1)} | ${won} / ${lost} (${signTest(won, lost).toFixed(2)}) |`;
}

if (require.main === module) main().catch((err: unknown) => { console.error(err); process.exit(1); });
