/**
 * `node out/bench/real/summarize.js [results dir]`: the real-weights bench's tables from its JSON
 * runs (one file per repository, model and set of systems): per model and repository (language)
 * the figures of each system, pooled per model, by task kind, and the gate's curve pooled per model.
 * Prints markdown and writes summary.json beside the runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GATE_THRESHOLDS, gateReport } from '../../completion/evaluation/gateMetrics';
import { defaultMinConfidence } from '../../completion/confidenceThresholds';
import { PRODUCT_SETTINGS } from './productSettings';
import { systemFigures, type Scored, type SystemFigures } from './realScores';

interface Run { name: string; createdAt?: string; model: string; variants?: string[]; kinds?: string[]; settings?: Record<string, unknown>; defaultGate: number; outcomes: Record<string, (Scored & { gated?: string[] })[]> }

const dir = process.argv[2] ?? path.join(__dirname, '..', '..', '..', 'bench', 'real', 'results');
const runs: Run[] = fs.readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'summary.json')
  .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Run)
  .sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));

/** system label -> outcomes, per model and repository; variant runs get their own label. */
const table = new Map<string, Map<string, Map<string, Scored[]>>>();
for (const run of runs) {
  const byRepo = table.get(run.model) ?? new Map<string, Map<string, Scored[]>>();
  table.set(run.model, byRepo);
  const systems = byRepo.get(run.name) ?? new Map<string, Scored[]>();
  byRepo.set(run.name, systems);
  // Settings that differ from the product's name the run too (e.g. +suffixTokens=256).
  const changed = Object.entries(run.settings ?? {}).filter(([k, v]) => (PRODUCT_SETTINGS as unknown as Record<string, unknown>)[k] !== v).map(([k, v]) => `${k}=${v}`);
  // A run over other task kinds (`--kinds header`) is never pooled with the default kinds.
  const kinds = run.kinds?.length ? [`kinds=${run.kinds.join('/')}`] : [];
  const suffix = [...run.variants ?? [], ...changed, ...kinds].map((v) => `+${v}`).join('');
  for (const [system, outcomes] of Object.entries(run.outcomes)) {
    // Variants change only the pipeline's request; raw FIM and the peer are the same whatever the run.
    // Runs with the same label for a repository: the one with more tasks, the older on a tie (a
    // later run of the same label is a repeat or a tried-and-reverted change, named by its file).
    const label = system === 'pipeline' ? system + suffix : system;
    if ((systems.get(label)?.length ?? -1) >= outcomes.length) continue;
    if (system !== 'pipeline') {
      systems.set(system, outcomes);
      continue;
    }
    systems.set(system + suffix, outcomes);
    // What the gate shows at the model family's default threshold (0.4 for Qwen2.5-Coder 0.5B).
    const show = defaultMinConfidence(`${run.model}.gguf`);
    const at = GATE_THRESHOLDS.indexOf(show);
    systems.set(`pipeline${suffix} gated@${show}`, outcomes.map((o) => ({ ...o, got: o.gated?.[at] ?? '' })));
  }
}

const cols: (keyof SystemFigures)[] = ['tasks', 'exactMatch', 'editSimilarity', 'coverage', 'precision', 'acceptedCharsPerShown'];
const fmt = (f: SystemFigures, k: keyof SystemFigures) => (k === 'tasks' || k === 'acceptedCharsPerShown' ? String(f[k]) : (f[k] * 100).toFixed(0));
const lines: string[] = [];
const summary: Record<string, unknown> = {};
for (const [model, byRepo] of table) {
  lines.push(`\n### ${model}\n`, `| repository (language) | system | ${cols.join(' | ')} |`, `|---|---|${cols.map(() => '---').join('|')}|`);
  const pooled = new Map<string, Scored[]>();
  const modelSummary: Record<string, Record<string, SystemFigures>> = {};
  for (const [repo, systems] of [...byRepo].sort()) {
    modelSummary[repo] = {};
    for (const [system, outcomes] of [...systems].sort()) {
      const f = systemFigures(outcomes);
      modelSummary[repo][system] = f;
      pooled.set(system, [...pooled.get(system) ?? [], ...outcomes]);
      lines.push(`| ${repo} (${outcomes[0]?.languageId}) | ${system} | ${cols.map((k) => fmt(f, k)).join(' | ')} |`);
    }
  }
  modelSummary.all = {};
  for (const [system, outcomes] of [...pooled].sort()) {
    const f = systemFigures(outcomes);
    modelSummary.all[system] = f;
    lines.push(`| **all** | ${system} | ${cols.map((k) => fmt(f, k)).join(' | ')} |`);
  }
  lines.push('', `By task kind (exact match %, all repositories):`, '', `| system | ${['line', 'span', 'block', 'lines'].join(' | ')} |`, '|---|---|---|---|---|');
  for (const [system, outcomes] of [...pooled].sort()) {
    lines.push(`| ${system} | ${['line', 'span', 'block', 'lines'].map((k) => {
      const f = systemFigures(outcomes.filter((o) => o.kind === k));
      return `${(f.exactMatch * 100).toFixed(0)} (${f.tasks})`;
    }).join(' | ')} |`);
  }
  const gated = [...byRepo.values()].flatMap((s) => (s.get('pipeline') ?? []) as (Scored & { gated?: string[] })[]).filter((o) => o.gated);
  if (gated.length) {
    const g = gateReport(gated.map((o) => ({ expected: o.expected, gated: o.gated! })));
    modelSummary.gate = g as unknown as Record<string, SystemFigures>;
    const top = g.curve[0];
    lines.push('', `Gate (pipeline, all repositories, ${g.tasks} tasks): threshold: coverage / precision / right kept of ${top.right}`, '');
    lines.push(g.curve.filter((p) => p.threshold <= 0.5).map((p) => `${p.threshold}: ${(p.coverage * 100).toFixed(0)} / ${(p.precision * 100).toFixed(0)} / ${p.right}`).join(' · '));
  }
  summary[model] = modelSummary;
}
fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summary, null, 1));
console.log(lines.join('\n'));
