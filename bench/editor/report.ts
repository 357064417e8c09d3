/** bench:editor's printed table (the rows' server counters: serverSummary.ts). */
import type { RowResult } from './runRow';

const ms = (v: number | null) => (v === null ? 'never' : `${v.toLocaleString('en-US')} ms`);
const pct = (v: number | null) => (v === null ? '-' : `${Math.round(v * 100)} %`);

export function printTable(rows: RowResult[], skipped: Record<string, string>): void {
  const head = ['row', 'keys', 'shown', '≤500 ms', 'never', 'p50 (all)', 'p95 (all)', 'p50 shown', 'p95 shown', 'line end shown', 'jump→ghost p50', 'jumps shown', 'useful (≤100 ms)', 'server prompt tok p50', 'load'];
  const lines = rows.map((r) => [
    r.row, String(r.keys.keystrokes), pct(r.keys.shownShare), pct(r.keys.within500msShare), pct(r.keys.neverShare),
    ms(r.keys.allP50Ms), ms(r.keys.allP95Ms), ms(r.keys.shownP50Ms), ms(r.keys.shownP95Ms),
    `${r.keys.lineEndShown}/${r.keys.lineEnds}`, ms(r.jumpP50Ms), `${r.jumpsShown}/${r.places.length - 1}`,
    r.keys.usefulShare === undefined ? '-' : `${pct(r.keys.usefulShare)} (${pct(r.keys.usefulUnder100Share ?? null)})`,
    r.server ? `${r.server.promptTokensP50 ?? '-'} (${r.server.requests} req, ${r.server.aborted} aborted, ${r.server.refused ?? 0} refused)` : '-', String(r.loadavg.meanOneMinute),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(['', fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...lines.map(fmt)].join('\n'));
  for (const r of rows) console.log(`${r.row}: first key → ghost per place: ${r.places.map((p) => `L${p.line} ${ms(p.firstKeyToGhostMs)}`).join(', ')}`);
  for (const [row, why] of Object.entries(skipped)) console.log(`${row}: not run: ${why}`);
}
