/**
 * Refuses, before anything loads, a model that cannot fit in this machine's memory: weights are
 * memory-mapped, so a model bigger than RAM does not fail, it swaps the machine to a halt (and the
 * engine hangs). On the CPU the weights, the draft's and the runtime (KV cache, compute buffers)
 * must fit in RAM; with a GPU, layers may live in VRAM, which the host cannot see without the
 * probe, so only CPU loads are refused (gpu off, or no GPU device on this Linux machine).
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import type { LoadOptions } from './engineProtocol';
import { mayHaveGpu } from './gpuDevices';

/** KV cache and compute buffers of a 2K-token context, above the weights (also the catalog's advice). */
export const RUNTIME_OVERHEAD_BYTES = 500e6;
/** Of the machine's RAM, what a model may take: the editor, the browser and the OS need the rest. */
const USABLE_SHARE = 0.9;

export interface MemoryFacts {
  modelBytes: number;
  draftBytes: number;
  contextSize: number;
  totalRamBytes: number;
  gpu: LoadOptions['gpu'];
}

const gb = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;

/** The refusal in words, with the numbers; undefined when the model fits. */
export function memoryVerdict(f: MemoryFacts): string | undefined {
  if (f.gpu !== 'off') return undefined;
  // The runtime grows with the context: ~0.5 GB at 2K tokens for the models in the catalog.
  const runtime = RUNTIME_OVERHEAD_BYTES * Math.max(1, f.contextSize / 2048);
  const need = f.modelBytes + f.draftBytes + runtime;
  const usable = f.totalRamBytes * USABLE_SHARE;
  if (need <= usable) return undefined;
  return `The model needs about ${gb(need)} of memory (${gb(f.modelBytes)} of weights` +
    `${f.draftBytes ? `, ${gb(f.draftBytes)} for the draft` : ''}, ${gb(runtime)} for a ${f.contextSize}-token context), ` +
    `but this machine has ${gb(f.totalRamBytes)} of RAM, so it was not loaded. ` +
    'Choose a smaller model or quantization ("Local Completion: Switch Model"), or a smaller "localCompletion.contextSize".';
}

/** memoryVerdict for a load; files that cannot be read are left to validation to report. */
export async function memoryRefusal(options: LoadOptions, totalRamBytes = os.totalmem()): Promise<string | undefined> {
  const size = (p?: string) => (p ? fs.stat(p).then((s) => (s.isFile() ? s.size : 0), () => 0) : Promise.resolve(0));
  const [modelBytes, draftBytes] = await Promise.all([size(options.modelPath), size(options.draftModelPath)]);
  // 'auto' on a machine with no GPU device runs on the CPU: the RAM rule applies.
  const gpu = options.gpu === 'off' || !mayHaveGpu() ? 'off' : options.gpu;
  return memoryVerdict({ modelBytes, draftBytes, contextSize: options.contextSize, totalRamBytes, gpu });
}
