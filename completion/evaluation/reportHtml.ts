/**
 * The evaluation report as one self-contained HTML page for a webview: every value escaped, no
 * remote resources, a strict Content-Security-Policy (only the nonce'd style and script run), an
 * inline SVG chart of quality against latency, and a "Use this model" button per model that
 * posts `{ type: 'use', index }` to the extension.
 */
import type { EvaluationReport } from './runner';
import { BREAKDOWN_HEADERS, FIGURE_HEADERS, breakdownRows, describeRun, overallRows, pct } from './reportMarkdown';

export interface HtmlOptions {
  /** Nonce for the inline style and script (a fresh random one per render). */
  nonce: string;
  /** Show the "Use this model" buttons (a webview that listens for them). */
  interactive?: boolean;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const COLORS = ['#3b82f6', '#ef4444', '#10b981', '#f59e0b', '#8b5cf6', '#ec4899', '#14b8a6', '#64748b'];

/** Quality (first line right) against first-line latency p50: filled = with context, hollow = baseline. */
export function renderChart(report: EvaluationReport): string {
  const W = 560, H = 300, L = 56, R = 16, T = 16, B = 44;
  const points = report.models.flatMap((m, i) => [
    m.context && { i, label: m.label, x: m.context.overall.firstLineP50Ms, y: m.context.overall.firstLineCorrect, filled: true },
    m.baseline && { i, label: m.label, x: m.baseline.overall.firstLineP50Ms, y: m.baseline.overall.firstLineCorrect, filled: false },
  ]).filter((p): p is { i: number; label: string; x: number; y: number; filled: boolean } => !!p);
  const maxX = Math.max(10, ...points.map((p) => p.x)) * 1.1;
  const maxY = Math.min(1, Math.max(0.1, ...points.map((p) => p.y)) * 1.15);
  const sx = (x: number) => L + (x / maxX) * (W - L - R);
  const sy = (y: number) => H - B - (y / maxY) * (H - T - B);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="First line right against first-line latency">`,
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" class="axis"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" class="axis"/>`,
  ];
  for (let k = 0; k <= 4; k++) {
    const x = (maxX * k) / 4, y = (maxY * k) / 4;
    parts.push(`<text x="${sx(x).toFixed(1)}" y="${H - B + 16}" text-anchor="middle" class="tick">${Math.round(x)}</text>`);
    parts.push(`<text x="${L - 6}" y="${(sy(y) + 4).toFixed(1)}" text-anchor="end" class="tick">${escapeHtml(pct(y))}</text>`);
  }
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle" class="tick">first line p50 (ms) — lower is better</text>`);
  parts.push(`<text x="14" y="${(T + H - B) / 2}" text-anchor="middle" class="tick" transform="rotate(-90 14 ${(T + H - B) / 2})">first line right</text>`);
  for (const p of points) {
    const color = COLORS[p.i % COLORS.length];
    parts.push(`<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="6" stroke="${color}" stroke-width="2" fill="${p.filled ? color : 'none'}">` +
      `<title>${escapeHtml(`${p.label} ${p.filled ? '(with context)' : '(prefix/suffix only)'}: ${pct(p.y)} first lines right, ${Math.round(p.x)} ms`)}</title></circle>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

export function renderHtml(report: EvaluationReport, options: HtmlOptions): string {
  const nonce = escapeHtml(options.nonce);
  const cell = (text: string) => `<td>${escapeHtml(text)}</td>`;
  const th = (headers: string[]) => `<tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const overall = overallRows(report).map((r) => {
    const button = options.interactive && r.mode === 'with context'
      ? `<button data-index="${r.index}" title="${escapeHtml(r.model.path)}">Use this model</button>` : '';
    return `<tr class="model-row" data-model="${escapeHtml(r.model.label)}"><td><span class="dot c${r.index % COLORS.length}"></span>${escapeHtml(r.model.label)}</td>` +
      `${cell(r.mode)}${r.cells.map(cell).join('')}<td>${button}</td></tr>`;
  }).join('\n');
  const breakdown = (by: 'byLanguage' | 'byKind', name: string) =>
    `<table>${th(['Model', name, ...BREAKDOWN_HEADERS])}${breakdownRows(report, by).map((r) => `<tr>${cell(r.label)}${cell(r.group)}${r.cells.map(cell).join('')}</tr>`).join('')}</table>`;
  const best = report.best
    ? `<p class="best">Best for this machine: <strong>${escapeHtml(report.best.label)}</strong> — ${escapeHtml(report.best.reason)}.` +
      (options.interactive ? ` <button data-index="${report.best.index}">Use ${escapeHtml(report.best.label)}</button>` : '') + '</p>'
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Model evaluation</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family, sans-serif); color: var(--vscode-foreground, #222); background: var(--vscode-editor-background, #fff); padding: 0 16px 24px; }
table { border-collapse: collapse; margin: 8px 0 20px; font-size: 12px; }
th, td { border: 1px solid var(--vscode-panel-border, #ccc); padding: 3px 8px; text-align: right; }
th:first-child, td:first-child, td:nth-child(2) { text-align: left; }
.dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 6px; }
${COLORS.map((c, i) => `.c${i} { background: ${c}; }`).join(' ')}
svg .axis { stroke: currentColor; opacity: .5; } svg .tick { fill: currentColor; font-size: 11px; }
.note { opacity: .8; font-size: 12px; } .best { font-size: 14px; }
button { cursor: pointer; }
</style>
</head>
<body>
<h1>Model evaluation</h1>
<p>${escapeHtml(report.repo)}</p>
<p class="note">${escapeHtml(describeRun(report))}</p>
${best}
<h2>Overall</h2>
<table>${th(['Model', 'Mode', ...FIGURE_HEADERS, 'Peak memory', ''])}
${overall}
</table>
<h2>Quality against latency</h2>
${renderChart(report)}
<p class="note">Filled: with context (what you will see). Hollow: prefix/suffix only (no context).</p>
<h2>Per language</h2>
${breakdown('byLanguage', 'Language')}
<h2>Per kind of task</h2>
${breakdown('byKind', 'Kind')}
<p class="note">First line right: the suggestion's first line equals the hidden code's (accepted whole or in part). Edit similarity: 1 − Levenshtein distance / longer length. Latency is measured cold: each task evaluates its whole prompt (as on arriving at a new place; typing on reuses the KV cache and is faster). Everything ran on this machine, offline.</p>
${options.interactive ? `<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
for (const b of document.querySelectorAll('button[data-index]')) b.addEventListener('click', () => vscode.postMessage({ type: 'use', index: Number(b.dataset.index) }));
</script>` : ''}
</body>
</html>
`;
}
