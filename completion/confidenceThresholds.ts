/**
 * Which gate thresholds a model runs under: the `localCompletion.minConfidence` setting (a number,
 * or `auto`), and for `auto` the threshold calibrated for that model by "Evaluate Models" when
 * there is one, else a default measured on the small bundled model (bench/gate/README.md).
 */
import type { GateThresholds } from './confidenceGate';

/** Score (lowest token probability of the first line) below which nothing is shown, by default. */
export const DEFAULT_MIN_CONFIDENCE = 0.15;
/** A shown suggestion is cut before a later token less likely than this share of the show threshold. */
export const CUT_RATIO = 0.5;

export function gateThresholds(setting: unknown, calibrated: number | undefined): GateThresholds | undefined {
  const show = typeof setting === 'number' && Number.isFinite(setting) ? setting : calibrated ?? DEFAULT_MIN_CONFIDENCE;
  if (show <= 0) return undefined; // 0: the gate is off
  return { show: Math.min(show, 1), cut: Math.min(show, 1) * CUT_RATIO };
}
