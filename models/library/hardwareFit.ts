/**
 * Which catalog models suit this machine, from its RAM, CPU cores and GPU (type and VRAM as
 * node-llama-cpp reports them). Pure: the same facts always give the same advice, so it is tested
 * without the hardware.
 *
 * Completions are latency-bound: on a CPU a small model that answers in time beats a big one
 * that does not, so the advice leans small on CPUs and uses a GPU's memory when there is one.
 */
import { ramNeeded, type CatalogEntry } from './modelCatalog';

export interface HardwareInfo {
  totalRamBytes: number;
  freeRamBytes: number;
  cpuCores: number;
  /** GPU backend node-llama-cpp can use here, or false for CPU only. */
  gpu: false | 'cuda' | 'vulkan' | 'metal';
  gpuNames: string[];
  vramTotalBytes: number;
  vramFreeBytes: number;
  /** Apple-style memory shared by CPU and GPU. */
  unifiedMemory: boolean;
  /** 'probe': node-llama-cpp answered; 'os': only the operating system's numbers (GPU unknown). */
  source: 'probe' | 'os';
}

export type Fit = 'recommended' | 'fits' | 'slow' | 'too-big';

export interface EntryFit {
  fit: Fit;
  /** One sentence for the QuickPick, e.g. "Recommended for this machine (8 cores, 32 GB RAM, no GPU)". */
  reason: string;
}

const GB = 1e9;

/** The catalog id this machine should start with. */
export function recommendedId(hw: HardwareInfo): string {
  const vram = hw.unifiedMemory ? Math.min(hw.vramTotalBytes, hw.totalRamBytes * 0.7) : hw.vramTotalBytes;
  if (hw.gpu && vram >= 16 * GB) return 'qwen2.5-coder-7b-q8_0';
  if (hw.gpu && vram >= 8 * GB) return 'qwen2.5-coder-3b-q8_0';
  if (hw.gpu && vram >= 4 * GB) return 'qwen2.5-coder-1.5b-q8_0';
  if (hw.cpuCores >= 8 && hw.totalRamBytes >= 16 * GB) return 'qwen2.5-coder-1.5b-q8_0';
  if (hw.cpuCores >= 4 && hw.totalRamBytes >= 8 * GB) return 'qwen2.5-coder-1.5b-q4_k_m';
  return 'qwen2.5-coder-0.5b-q8_0';
}

/** How one catalog entry suits this machine, with the reason in words. */
export function fitEntry(entry: CatalogEntry, hw: HardwareInfo, recommended = recommendedId(hw)): EntryFit {
  const need = ramNeeded(entry);
  const machine = describeMachine(hw);
  const onGpu = hw.gpu !== false && hw.vramTotalBytes >= need;
  // Leave room for the editor, the browser and the OS: a model over ~60% of RAM makes the machine swap.
  if (!onGpu && need > hw.totalRamBytes * 0.6) {
    return { fit: 'too-big', reason: `Too big for this machine: needs ~${gb(need)} of its ${gb(hw.totalRamBytes)} RAM` };
  }
  if (entry.id === recommended) return { fit: 'recommended', reason: `Recommended for this machine (${machine})` };
  // CPU generation speed falls with model size: past ~2 GB of weights, per-keystroke latency suffers.
  if (!onGpu && entry.sizeBytes > Math.max(2 * GB, hw.cpuCores * 0.4 * GB)) {
    return { fit: 'slow', reason: `Runs here, but slowly on the CPU (${machine})` };
  }
  return { fit: 'fits', reason: `Fits this machine (${machine})` };
}

export function describeMachine(hw: HardwareInfo): string {
  const gpu = hw.gpu === false
    ? (hw.source === 'probe' ? 'no GPU' : 'GPU unknown')
    : `${hw.gpuNames[0] ?? hw.gpu.toUpperCase()}${hw.vramTotalBytes && !hw.unifiedMemory ? ` ${gb(hw.vramTotalBytes)} VRAM` : ''}`;
  return `${hw.cpuCores} cores, ${gb(hw.totalRamBytes)} RAM, ${gpu}`;
}

function gb(bytes: number): string {
  return `${(bytes / GB).toFixed(bytes >= 10 * GB ? 0 : 1)} GB`;
}
