/**
 * Whether this Linux machine has a GPU device node at all, read cheaply from /dev before a GPU
 * build is loaded: Mesa's Vulkan loader is installed on many GPU-less desktops, and loading the
 * Vulkan build only to find no device costs seconds (two loads of ~90 MB of binaries). Vulkan GPUs
 * need a DRM render node (AMD, Intel, Mesa), /dev/nvidia* (NVIDIA's driver) or /dev/dxg (WSL2).
 */
import * as fs from 'node:fs';

/** Pure: the decision from the names in /dev and /dev/dri. */
export function gpuDeviceNodePresent(dev: readonly string[], dri: readonly string[]): boolean {
  return dri.some((n) => /^renderD\d+$/.test(n)) || dev.some((n) => /^nvidia\d+$/.test(n) || n === 'dxg');
}

/** True off Linux (there the GPU build decides), or when /dev shows a GPU; false when it shows none. */
export function mayHaveGpu(platform: string = process.platform): boolean {
  if (platform !== 'linux') return true;
  const list = (dir: string) => { try { return fs.readdirSync(dir); } catch { return []; } };
  return gpuDeviceNodePresent(list('/dev'), list('/dev/dri'));
}
