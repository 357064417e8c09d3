/**
 * Entry point of a short-lived child process that asks node-llama-cpp which GPU it can use here
 * and how much VRAM it has, then exits. Loading the native binding (and a GPU driver) happens in
 * this throwaway process, never in the editor's extension host. Prints one JSON line on stdout.
 */
import { mayHaveGpu } from '../engine/gpuDevices';
import { hasRealGpu } from '../engine/gpuPlan';
import { osHardware } from './hardware';
import type { HardwareInfo } from './hardwareFit';

async function probe(): Promise<HardwareInfo> {
  const { getLlama, getLlamaGpuTypes, LlamaLogLevel } = await import('node-llama-cpp');
  // The operating system's numbers; the GPU facts below are filled in where node-llama-cpp finds one.
  const info: HardwareInfo = { ...osHardware(), source: 'probe' };
  // Only GPU types whose drivers and prebuilt binaries are present: nothing is built or downloaded.
  const supported = (await getLlamaGpuTypes('supported')).filter((t) => t !== false);
  // No GPU device node (Linux): no GPU build needs loading to know there is no GPU.
  if (supported.length === 0 || !mayHaveGpu()) return info;
  const llama = await getLlama({ gpu: 'auto', build: 'never', logLevel: LlamaLogLevel.error, logger: () => undefined });
  try {
    const names = llama.gpu === false ? [] : await llama.getGpuDeviceNames();
    // No device, or only a software renderer (llvmpipe: its "VRAM" is RAM): advice must not count it.
    if (llama.gpu !== false && hasRealGpu(names)) {
      const vram = await llama.getVramState();
      info.gpu = llama.gpu;
      info.gpuNames = names;
      info.vramTotalBytes = vram.total;
      info.vramFreeBytes = vram.free;
      info.unifiedMemory = vram.unifiedSize > 0;
    }
  } finally {
    await llama.dispose();
  }
  return info;
}

probe().then(
  (info) => {
    process.stdout.write(`${JSON.stringify(info)}\n`, () => process.exit(0));
  },
  (err) => {
    process.stderr.write(`hardware probe failed: ${err instanceof Error ? err.message : String(err)}\n`, () => process.exit(1));
  },
);
