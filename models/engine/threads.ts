/**
 * How many CPU threads the model gets. More threads than cores collapses throughput as soon as the
 * editor needs a core, so the default stays below the core count and leaves one core free. On two
 * cores that means one thread: with two, a busy other core made a 0.5B-shaped model's completions
 * 10-50x slower (5-30 s instead of 0.6 s; llama.cpp's threads wait on each other), while an idle
 * machine gains less than 2x.
 */
import * as os from 'node:os';

export function chooseThreads(setting: number, cores: number = os.availableParallelism()): number {
  if (setting > 0) return Math.floor(setting);
  if (cores <= 2) return 1;
  if (cores <= 4) return cores - 1;
  return Math.min(cores - 2, 12);
}

/**
 * The most threads the engine may use when measured faster (threadGovernor.ts): with the automatic
 * setting, one more than the safe count (the free core, when it is idle); a set number is fixed.
 */
export function chooseMaxThreads(setting: number, cores: number = os.availableParallelism()): number {
  const safe = chooseThreads(setting, cores);
  return setting > 0 ? safe : Math.min(Math.max(1, cores), safe + 1);
}
