/**
 * Figures from the pair bench's per-task rows: speculation (speed-up of the decode, acceptance,
 * what the engine's governor would decide seeing these requests in order) and the local cascade
 * (the 0.5B first; below the gate the 1.5B with the 0.5B drafting answers) against each model alone.
 */
import { SpeculationGovernor } from '../../models/engine/adaptivePredictor';
import { percentile, round } from '../latency/stats';
import { matchingPart } from '../latency/replay';
import type { Decoded, PairTask } from './pairBench';

/** The display gate's default (completion/confidenceThresholds.ts DEFAULT_MIN_CONFIDENCE). */
const SHOW = 0.15;

const tokPerSec = (runs: Decoded[]) => 1000 * runs.reduce((n, r) => n + r.tokens, 0) / Math.max(1, runs.reduce((n, r) => n + r.ms, 0));
const firstLine = (s: string) => s.split('\n')[0].trimEnd();

export function speculationFigures(tasks: PairTask[]) {
  const by = (kind: PairTask['kind']) => {
    const rows = tasks.filter((t) => t.kind === kind);
    if (!rows.length) return undefined;
    const pair = rows.map((t) => t.pair);
    const proposed = pair.reduce((n, r) => n + r.proposed, 0);
    const accepted = pair.reduce((n, r) => n + r.accepted, 0);
    const steps = pair.reduce((n, r) => n + r.steps, 0);
    const alone = tokPerSec(rows.map((t) => t.big));
    return {
      tasks: rows.length,
      bigAloneTokPerSec: round(alone),
      pairTokPerSec: round(tokPerSec(pair)),
      speedup: round(tokPerSec(pair) / alone, 2),
      lookupTokPerSec: round(tokPerSec(rows.map((t) => t.lookup))),
      lookupSpeedup: round(tokPerSec(rows.map((t) => t.lookup)) / alone, 2),
      lookupAcceptance: round(rows.reduce((n, t) => n + t.lookup.accepted, 0) / Math.max(1, rows.reduce((n, t) => n + t.lookup.proposed, 0)), 3),
      acceptance: round(accepted / Math.max(1, proposed), 3),
      acceptedPerStep: round(accepted / Math.max(1, steps), 2),
      tokensPerStep: round(pair.reduce((n, r) => n + r.tokens, 0) / Math.max(1, steps), 2),
      // The draft's share of the drafted decode, and one 0.5B step against one 1.5B step (alone).
      draftShareOfDecode: round(pair.reduce((n, r) => n + r.guessMs, 0) / Math.max(1, pair.reduce((n, r) => n + r.ms, 0)), 3),
      smallToBigStepCost: round((tokPerSec(rows.map((t) => t.big))) / tokPerSec(rows.map((t) => t.small)), 2),
      sameText: rows.filter((t) => t.pair.text === t.big.text).length,
      governor: governorOn(rows),
    };
  };
  return { single: by('single'), multi: by('multi') };
}

/** The engine's governor (adaptivePredictor.ts) fed these requests in order, as the engine would. */
function governorOn(rows: PairTask[]) {
  const g = new SpeculationGovernor();
  let speculated = 0;
  for (const t of rows) {
    const on = g.enabled;
    const run = on ? t.pair : t.big;
    if (on) speculated++;
    g.record({ validated: run.accepted, refuted: run.proposed - run.accepted }, on, { tokens: run.tokens, ms: run.ms });
  }
  const verdict = g.verdict;
  const enabled = g.enabled;
  const reason = enabled ? 'drafting on: it accepts enough and is not slower than the control requests'
    : verdict?.slower ? `drafting off: ${verdict.msPerTokenOn} ms/token with the draft against ${verdict.msPerTokenOff} without`
      // After `window` drafted requests the next one decodes without the draft, as the control.
      : !verdict ? `undecided after ${rows.length} requests: the next one is the control without the draft`
        : 'drafting off: too few guesses accepted per request';
  return { finalEnabled: enabled, speculatedRequests: speculated, requests: rows.length, verdict, reason };
}

interface Shown { exact: boolean; useful: boolean; shown: boolean; ms: number }

/** Exact match, precision of what is shown and latency per configuration, single-line tasks. */
export function cascadeFigures(tasks: PairTask[], gates = [0.3, 0.5, 0.7, 0.9]) {
  const rows = tasks.filter((t) => t.kind === 'single');
  const exact = (d: Decoded, t: PairTask) => d.text.trim() !== '' && firstLine(d.text) === firstLine(t.expected);
  const useful = (d: Decoded, t: PairTask) => matchingPart(d.text, t.expected) !== '';
  const judge = (d: Decoded, t: PairTask, ms: number) => ({ exact: exact(d, t), useful: useful(d, t), shown: shown(d), ms });
  const shown = (d: Decoded) => d.text.trim() !== '' && d.minProb >= SHOW;
  const summarize = (per: Shown[]) => ({
    exact: round(per.filter((p) => p.exact).length / Math.max(1, per.length), 3),
    shownShare: round(per.filter((p) => p.shown).length / Math.max(1, per.length), 3),
    precision: round(per.filter((p) => p.shown && p.exact).length / Math.max(1, per.filter((p) => p.shown).length), 3),
    // What a person would take (the whole suggestion or its first words: bench/latency/replay.ts matchingPart).
    useful: round(per.filter((p) => p.useful).length / Math.max(1, per.length), 3),
    usefulPrecision: round(per.filter((p) => p.shown && p.useful).length / Math.max(1, per.filter((p) => p.shown).length), 3),
    p50Ms: round(percentile(per.map((p) => p.ms), 50)),
    p95Ms: round(percentile(per.map((p) => p.ms), 95)),
  });
  const small = rows.map((t) => judge(t.small, t, t.promptMsSmall + t.small.ms));
  const big = rows.map((t) => judge(t.big, t, t.promptMsBig + t.big.ms));
  // The pair alone: both models read the prompt, then the drafted decode.
  const pair = rows.map((t) => judge(t.pair, t, t.promptMsSmall + t.promptMsBig + t.pair.ms));
  const cascade = (gate: number) => rows.map((t) => {
    const smallFirst = t.promptMsSmall + t.small.ms;
    if (t.small.text.trim() !== '' && t.small.minProb >= gate) return { ...judge(t.small, t, smallFirst), shown: true };
    return { ...judge(t.pair, t, smallFirst + t.promptMsBig + t.pair.ms), escalated: true };
  });
  const byGate = Object.fromEntries(gates.map((g) => {
    const per = cascade(g);
    return [String(g), { ...summarize(per), escalatedShare: round(per.filter((p) => 'escalated' in p).length / Math.max(1, per.length), 3) }];
  }));
  return { tasks: rows.length, showGate: SHOW, small: summarize(small), big: summarize(big), pair: summarize(pair), cascade: byGate };
}
