/**
 * Which gate thresholds a model runs under: the `localCompletion.minConfidence` setting (a number,
 * or `auto`), and for `auto` the threshold calibrated for that model by "Evaluate Models" when
 * there is one, else the default measured for the model's family on real weights where there is one
 (bench/real/README.md), else the default measured on the small bundled model (bench/gate/README.md).
 */
import type { GateThresholds } from './confidenceGate';

/** Score (lowest token probability of the first line) below which nothing is shown, by default. */
export const DEFAULT_MIN_CONFIDENCE = 0.15;
/** A shown suggestion is cut before a later token less likely than this share of the show threshold. */
export const CUT_RATIO = 0.5;

/**
 * Defaults measured on real weights, by model file name. Qwen2.5-Coder 0.5B (Instruct, Q4_K_M, 108
 * held-out task runs): 0.15 left precision at 13% (ungated 12%); 0.4 gives 30% and keeps all 13
 * right first lines (coverage 98% -> 40%). Sizes not measured keep the general default.
 */
const MEASURED_DEFAULTS: readonly [RegExp, number][] = [[/qwen2\.5-coder-0\.5b/i, 0.4]];

export function defaultMinConfidence(modelPath?: string): number {
  const name = modelPath?.split(/[\\/]/).pop() ?? '';
  return MEASURED_DEFAULTS.find(([family]) => family.test(name))?.[1] ?? DEFAULT_MIN_CONFIDENCE;
}

export function gateThresholds(setting: unknown, calibrated: number | undefined, modelPath?: string): GateThresholds | undefined {
  const show = typeof setting === 'number' && Number.isFinite(setting) ? setting : calibrated ?? defaultMinConfidence(modelPath);
  if (show <= 0) return undefined; // 0: the gate is off
  return { show: Math.min(show, 1), cut: Math.min(show, 1) * CUT_RATIO };
}
