/**
 * The real-weights bench's figures for one system over a set of tasks: exact match and edit
 * similarity over all tasks (nothing shown counts as wrong), coverage (share of tasks with
 * something shown), precision (share of shown suggestions whose first line is right: what a user
 * accepts whole or in part), exact among shown, and characters a user keeps per shown suggestion
 * (longest common prefix with the truth).
 */
import { normalize, scoreTask } from '../../completion/evaluation/metrics';
import { commonPrefixLength } from '../../completion/evaluation/gateMetrics';

export interface Scored { languageId: string; kind: string; expected: string; got: string }

export interface SystemFigures {
  tasks: number;
  exactMatch: number;
  editSimilarity: number;
  coverage: number;
  precision: number;
  exactOfShown: number;
  acceptedCharsPerShown: number;
}

export function systemFigures(outcomes: readonly Scored[]): SystemFigures {
  const n = outcomes.length;
  const scores = outcomes.map((o) => ({ o, s: scoreTask(o.got, o.expected) }));
  const shown = scores.filter((x) => !x.s.noOutput);
  const kept = shown.reduce((t, x) => t + commonPrefixLength(normalize(x.o.got), normalize(x.o.expected)), 0);
  const exact = scores.filter((x) => x.s.exact).length;
  return {
    tasks: n,
    exactMatch: share(exact, n),
    editSimilarity: n ? round(scores.reduce((t, x) => t + x.s.editSimilarity, 0) / n) : 0,
    coverage: share(shown.length, n),
    precision: share(shown.filter((x) => x.s.firstLineCorrect).length, shown.length),
    exactOfShown: share(exact, shown.length),
    acceptedCharsPerShown: shown.length ? Math.round((kept / shown.length) * 10) / 10 : 0,
  };
}

/** Figures overall, by language and by task kind. */
export function figuresBy(outcomes: readonly Scored[]): { overall: SystemFigures; byLanguage: Record<string, SystemFigures>; byKind: Record<string, SystemFigures> } {
  const group = (key: (o: Scored) => string) => Object.fromEntries([...new Set(outcomes.map(key))].sort()
    .map((k) => [k, systemFigures(outcomes.filter((o) => key(o) === k))]));
  return { overall: systemFigures(outcomes), byLanguage: group((o) => o.languageId), byKind: group((o) => o.kind) };
}

const share = (k: number, n: number) => (n ? round(k / n) : 0);
const round = (x: number) => Math.round(x * 1000) / 1000;
