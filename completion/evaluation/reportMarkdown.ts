/** The evaluation report as Markdown: the tables of the HTML report, readable in any viewer. */
import type { Figures } from './metrics';
import type { EvaluationReport, ModelResult } from './runner';

export const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
export const ms = (x: number) => `${Math.round(x)} ms`;
export const bytes = (b: number | undefined) => (b === undefined ? 'n/a' : b >= 1e9 ? `${(b / 1e9).toFixed(2)} GB` : `${Math.round(b / 1e6)} MB`);

export const FIGURE_HEADERS = ['Exact', 'Edit sim.', 'First line right', 'No output', 'First line p50 / p95', 'Whole p50 / p95', 'Tokens/s'];

export function figureCells(f: Figures): string[] {
  return [pct(f.exactMatch), f.editSimilarity.toFixed(3), pct(f.firstLineCorrect), pct(f.noOutput),
    `${ms(f.firstLineP50Ms)} / ${ms(f.firstLineP95Ms)}`, `${ms(f.totalP50Ms)} / ${ms(f.totalP95Ms)}`, f.tokensPerSecond.toFixed(1)];
}

/** Rows of the overall table: each model with context, then its baseline. */
export function overallRows(report: EvaluationReport): { model: ModelResult; index: number; mode: string; cells: string[] }[] {
  const rows: { model: ModelResult; index: number; mode: string; cells: string[] }[] = [];
  report.models.forEach((m, index) => {
    if (m.error) {
      rows.push({ model: m, index, mode: 'error', cells: [m.error, ...FIGURE_HEADERS.slice(1).map(() => ''), bytes(undefined)] });
      return;
    }
    if (m.context) rows.push({ model: m, index, mode: 'with context', cells: [...figureCells(m.context.overall), bytes(m.peakMemoryBytes)] });
    if (m.baseline) rows.push({ model: m, index, mode: 'prefix/suffix only', cells: [...figureCells(m.baseline.overall), ''] });
  });
  return rows;
}

/** Per language (and per kind): first line right and edit similarity, with context and without. */
export function breakdownRows(report: EvaluationReport, by: 'byLanguage' | 'byKind'): { label: string; group: string; cells: string[] }[] {
  const rows: { label: string; group: string; cells: string[] }[] = [];
  for (const m of report.models) {
    if (!m.context) continue;
    for (const [group, f] of Object.entries(m.context[by])) {
      const b = m.baseline?.[by][group];
      rows.push({ label: m.label, group, cells: [String(f.tasks), pct(f.exactMatch), pct(f.firstLineCorrect), f.editSimilarity.toFixed(3),
        b ? pct(b.firstLineCorrect) : '', b ? b.editSimilarity.toFixed(3) : '', ms(f.firstLineP50Ms)] });
    }
  }
  return rows;
}

export const BREAKDOWN_HEADERS = ['Tasks', 'Exact', 'First line right', 'Edit sim.', 'First line right (no context)', 'Edit sim. (no context)', 'First line p50'];

export function describeRun(report: EvaluationReport): string {
  const kinds = Object.entries(report.tasks.byKind).map(([k, n]) => `${n} ${k}`).join(', ');
  const langs = Object.entries(report.tasks.byLanguage).map(([k, n]) => `${n} ${k}`).join(', ');
  const s = report.settings;
  return `${report.tasks.count} tasks (${kinds}; ${langs}), seed ${report.seed}; max ${s.maxTokens} tokens, ` +
    `${s.multiline ? 'multi-line' : 'single-line'}, prefix ${s.prefixTokens} / suffix ${s.suffixTokens} / context ${s.contextTokens} tokens, ` +
    `${s.threads} threads, GPU ${s.gpu}; ${report.machine.cpus} CPUs, ${bytes(report.machine.totalMemoryBytes)} RAM; ` +
    `${(report.totalMs / 1000).toFixed(1)} s${report.cancelled ? ' (cancelled: partial results)' : ''}`;
}

const esc = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const row = (cells: string[]) => `| ${cells.map(esc).join(' | ')} |`;
const table = (headers: string[], rows: string[][]) => [row(headers), row(headers.map(() => '---')), ...rows.map(row)].join('\n');

export function renderMarkdown(report: EvaluationReport): string {
  const out = [
    `# Model evaluation: ${report.repo}`,
    '',
    describeRun(report),
    '',
    '## Overall',
    '',
    table(['Model', 'Mode', ...FIGURE_HEADERS, 'Peak memory'], overallRows(report).map((r) => [r.model.label, r.mode, ...r.cells])),
    '',
    '## Per language',
    '',
    table(['Model', 'Language', ...BREAKDOWN_HEADERS], breakdownRows(report, 'byLanguage').map((r) => [r.label, r.group, ...r.cells])),
    '',
    '## Per kind of task',
    '',
    table(['Model', 'Kind', ...BREAKDOWN_HEADERS], breakdownRows(report, 'byKind').map((r) => [r.label, r.group, ...r.cells])),
    '',
  ];
  if (report.best) out.push('## Best for this machine', '', `**${report.best.label}**: ${report.best.reason}.`, '');
  for (const m of report.models) {
    if (!m.gate?.tasks) continue;
    out.push(`## Confidence gate: ${m.label}`, '', `Recommended threshold **${m.gate.recommended.threshold}**: ${m.gate.recommended.reason}.` +
      (m.gate.anyCandidateRight !== undefined ? ` Some candidate right (explicit request): ${pct(m.gate.anyCandidateRight)}.` : ''), '',
      table(['Threshold', 'Coverage', 'Precision', 'Right', 'Accepted chars / shown', 'Exact', 'Edit sim.'],
        m.gate.curve.map((p) => [String(p.threshold), pct(p.coverage), pct(p.precision), String(p.right), p.acceptedCharsPerShown.toFixed(1), pct(p.exactMatch), p.editSimilarity.toFixed(3)])), '');
  }
  out.push('First line right: the first line of the suggestion equals the hidden code\'s (accepted whole or in part). ' +
    'Edit similarity: 1 - Levenshtein distance / longer length. Latency from the request to the first line and to the whole suggestion, on this machine, ' +
    'measured cold: each task evaluates its whole prompt (no KV cache reuse, as on arriving at a new place; typing on is faster).', '');
  return out.join('\n');
}
