/**
 * What the confidence gate does to an evaluation: for each threshold, the share of tasks with a
 * suggestion shown (coverage), the share of shown ones whose first line is exactly right
 * (precision), the characters a user would keep per shown suggestion (longest common prefix with
 * the truth), exact match and edit similarity over all tasks; then the threshold to recommend.
 */
import { normalize, scoreTask } from './metrics';

/** Show thresholds tried; each cuts at CUT_RATIO of itself (completion/confidenceThresholds.ts). */
export const GATE_THRESHOLDS = [0, 0.02, 0.05, 0.08, 0.1, 0.12, 0.15, 0.18, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

export interface GatedOutcome {
  expected: string;
  /** The suggestion at each of GATE_THRESHOLDS ('' where nothing is shown). */
  gated: string[];
  /** Candidates of an explicit request (alternatives), when asked. */
  candidates?: string[];
}

export interface CurvePoint {
  threshold: number;
  coverage: number;
  precision: number;
  /** First lines right (count): what the gate keeps of the right suggestions. */
  right: number;
  acceptedCharsPerShown: number;
  exactMatch: number;
  editSimilarity: number;
}

export interface GateReport {
  tasks: number;
  curve: CurvePoint[];
  recommended: { threshold: number; reason: string };
  /** Share of tasks where some candidate's first line is right (explicit requests). */
  anyCandidateRight?: number;
}

export function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

export function gateReport(outcomes: readonly GatedOutcome[]): GateReport {
  const n = outcomes.length;
  const curve = GATE_THRESHOLDS.map((threshold, k): CurvePoint => {
    const scores = outcomes.map((o) => ({ o, s: scoreTask(o.gated[k] ?? '', o.expected) }));
    const shown = scores.filter((x) => !x.s.noOutput);
    const right = shown.filter((x) => x.s.firstLineCorrect).length;
    const accepted = shown.reduce((t, x) => t + commonPrefixLength(normalize(x.o.gated[k]), normalize(x.o.expected)), 0);
    return {
      threshold, right,
      coverage: n ? round(shown.length / n) : 0,
      precision: shown.length ? round(right / shown.length) : 0,
      acceptedCharsPerShown: shown.length ? round(accepted / shown.length, 1) : 0,
      exactMatch: n ? round(scores.filter((x) => x.s.exact).length / n) : 0,
      editSimilarity: n ? round(scores.reduce((t, x) => t + x.s.editSimilarity, 0) / n) : 0,
    };
  });
  const withCandidates = outcomes.filter((o) => o.candidates);
  return {
    tasks: n, curve, recommended: recommend(curve),
    anyCandidateRight: withCandidates.length
      ? round(withCandidates.filter((o) => o.candidates!.some((c) => scoreTask(c, o.expected).firstLineCorrect)).length / withCandidates.length) : undefined,
  };
}

/**
 * The most precise threshold that keeps at least half of the right suggestions (the lowest such
 * one on ties); a model with no right suggestion gets the highest threshold (show nothing).
 */
export function recommend(curve: readonly CurvePoint[]): GateReport['recommended'] {
  const ungated = curve[0];
  if (!ungated || ungated.right === 0) {
    const top = curve[curve.length - 1]?.threshold ?? 1;
    return { threshold: top, reason: 'no suggestion was right ungated: show (almost) nothing' };
  }
  const keeping = curve.filter((p) => p.right * 2 >= ungated.right && p.coverage > 0);
  const best = keeping.reduce((a, b) => (b.precision > a.precision ? b : a), keeping[0]);
  return {
    threshold: best.threshold,
    reason: `precision ${pct(best.precision)} (ungated ${pct(ungated.precision)}), coverage ${pct(best.coverage)}, keeps ${best.right} of ${ungated.right} right first lines`,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
