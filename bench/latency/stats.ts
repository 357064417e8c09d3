/** Small statistics helpers for benchmark reports. */
import { percentile } from '../../completion/evaluation/percentile';
import type { ReplayReport } from './replay';

// Shared with the evaluation's reports, which may not import from bench/.
export { percentile };

export const round = (n: number, digits = 1) => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : null);

/** What a person saw: how many requests got an answer, how fast, and how much they accepted. */
export function personView(report: ReplayReport) {
  const answered = report.requests.filter((r) => r.latencyMs !== undefined).map((r) => r.latencyMs!);
  const requests = report.requests.length;
  return {
    requests,
    answered: answered.length,
    under100Share: round(answered.filter((ms) => ms < 100).length / Math.max(1, requests), 3),
    p50Ms: round(percentile(answered, 50)),
    p95Ms: round(percentile(answered, 95)),
    acceptedChars: report.acceptedChars,
    typedChars: report.typedChars,
    keystrokes: report.keystrokes,
    sources: countBy(report.requests.map((r) => r.source ?? r.outcome)),
  };
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
