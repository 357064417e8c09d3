/**
 * How many CPU threads the model gets. More threads than cores collapses throughput as soon as the
 * editor needs a core, so the default stays at or below the core count and leaves one core free on
 * machines that have cores to spare.
 */
import * as os from 'node:os';

export function chooseThreads(setting: number, cores: number = os.availableParallelism()): number {
  if (setting > 0) return Math.floor(setting);
  if (cores <= 2) return Math.max(1, cores);
  if (cores <= 4) return cores - 1;
  return Math.min(cores - 2, 12);
}
