/**
 * Which node-llama-cpp builds to try for a platform, architecture and `localCompletion.gpu`
 * setting, in order: the first that loads the model runs it; a GPU attempt that fails (no driver,
 * too little VRAM, device lost) gives way to the next, which is always a CPU one. Pure, so the
 * rules for platforms this machine is not are unit-tested.
 *
 * macOS on Apple Silicon ships only a Metal build (no CPU-only prebuilt exists: `gpu: false`
 * there ends in NoBinaryFoundError), so "CPU" there means the Metal build with zero GPU layers.
 */
export type Backend = 'cpu' | 'metal' | 'vulkan' | 'cuda';
export type GpuSetting = 'auto' | 'off';

export interface LlamaAttempt {
  /** The `gpu` option of getLlama: false = the CPU build, 'auto' = the best GPU build that loads. */
  gpu: false | 'auto' | 'metal' | 'vulkan' | 'cuda';
  /** Layers offloaded to the GPU; 0 runs every layer on the CPU (on any build). */
  gpuLayers: 0 | 'auto';
}

/** Where only a Metal build exists (node-llama-cpp's prebuilt binaries, 3.21). */
export function metalOnly(platform: string, arch: string): boolean {
  return platform === 'darwin' && arch === 'arm64';
}

/** The CPU attempt for this platform: the fallback of every GPU failure. */
export function cpuAttempt(platform: string, arch: string): LlamaAttempt {
  return metalOnly(platform, arch) ? { gpu: 'metal', gpuLayers: 0 } : { gpu: false, gpuLayers: 0 };
}

/**
 * The attempts, best first. `backend` forces one GPU backend (tests, and users whose `auto`
 * picks the wrong one); the CPU attempt always comes last, so completions never stop.
 */
export function llamaAttempts(platform: string, arch: string, setting: GpuSetting, backend?: Exclude<Backend, 'cpu'>): LlamaAttempt[] {
  const cpu = cpuAttempt(platform, arch);
  if (setting === 'off') return [cpu];
  const gpu: LlamaAttempt['gpu'] = metalOnly(platform, arch) ? 'metal' : backend ?? 'auto';
  return [{ gpu, gpuLayers: 'auto' }, cpu];
}

/** What actually runs the model, from the loaded build and the layers on the GPU. */
export function backendOf(llamaGpu: string | false, gpuLayers: number): Backend {
  if (llamaGpu === false || gpuLayers === 0) return 'cpu';
  return llamaGpu === 'metal' || llamaGpu === 'vulkan' || llamaGpu === 'cuda' ? llamaGpu : 'cpu';
}

/** The log line and tooltip text of a fallback, e.g. "GPU (vulkan) failed: out of memory; running on the CPU". */
export function fallbackReason(attempt: LlamaAttempt, error: string): string {
  const what = attempt.gpu === 'auto' ? 'GPU' : attempt.gpu === false ? 'CPU build' : `GPU (${attempt.gpu})`;
  return `${what} failed: ${error.split('\n')[0].slice(0, 300)}; running on the CPU`;
}

/** "Vulkan: NVIDIA GeForce RTX 4070 (29 layers)", "CPU: AMD Ryzen 7 5800U": what runs the model, in words. */
export function describeBackend(info: { backend?: Backend; device?: string; gpuLayers?: number }): string | undefined {
  if (!info.backend) return undefined;
  const name = { cpu: 'CPU', metal: 'Metal', vulkan: 'Vulkan', cuda: 'CUDA' }[info.backend];
  const layers = info.backend !== 'cpu' && info.gpuLayers ? ` (${info.gpuLayers} layers)` : '';
  return `${name}${info.device ? `: ${info.device}` : ''}${layers}`;
}

/**
 * Whether a loaded GPU build sees a real GPU. The Vulkan build loads wherever a Vulkan loader is
 * installed (many Linux desktops without a GPU have Mesa's): it then finds no device (ggml skips
 * CPU-type ones) or only a software renderer (llvmpipe/lavapipe, SwiftShader), which is the CPU
 * again and slower than the CPU build.
 */
export function hasRealGpu(deviceNames: readonly string[]): boolean {
  return deviceNames.some((n) => !/llvmpipe|lavapipe|softpipe|swiftshader/i.test(n));
}
