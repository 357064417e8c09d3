/**
 * This machine's RAM, cores and GPU, for model recommendations. The GPU facts come from
 * node-llama-cpp in a child process (hardwareProbeProcess); if it cannot answer in time, the
 * operating system's numbers stand alone and the GPU is reported as unknown.
 */
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import type { HardwareInfo } from './hardwareFit';

export type { HardwareInfo } from './hardwareFit';

export function osHardware(): HardwareInfo {
  return {
    totalRamBytes: os.totalmem(),
    freeRamBytes: os.freemem(),
    cpuCores: os.availableParallelism(),
    gpu: false,
    gpuNames: [],
    vramTotalBytes: 0,
    vramFreeBytes: 0,
    unifiedMemory: false,
    source: 'os',
  };
}

/**
 * Runs the probe script (dist/hardwareProbe.js in the package, out/models/library/hardwareProbeProcess.js
 * in tests) and returns what it found; never throws. `log` hears why a probe failed.
 */
export function probeHardware(probeScript: string, options: { timeoutMs?: number; log?: (m: string) => void } = {}): Promise<HardwareInfo> {
  const fallback = osHardware();
  return new Promise((resolve) => {
    let out = '';
    let err = '';
    // Inside desktop VS Code execPath is Electron: make it behave as plain Node.
    const child = spawn(process.execPath, [probeScript], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      windowsHide: true,
    });
    const timer = setTimeout(() => {
      options.log?.(`hardware probe gave no answer in ${options.timeoutMs ?? 20_000} ms`);
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 20_000);
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', (e) => {
      clearTimeout(timer);
      options.log?.(`hardware probe did not start: ${e.message}`);
      resolve(fallback);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const parsed = parseProbeOutput(out);
      if (!parsed) options.log?.(`hardware probe failed (exit ${code}): ${err.trim() || 'no output'}`);
      resolve(parsed ?? fallback);
    });
  });
}

/** The probe's JSON line, checked; undefined when it is not what the probe writes. */
export function parseProbeOutput(out: string): HardwareInfo | undefined {
  const line = out.trim().split('\n').pop();
  if (!line) return undefined;
  try {
    const v = JSON.parse(line) as Partial<HardwareInfo>;
    const num = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0;
    if (!num(v.totalRamBytes) || !num(v.cpuCores) || !num(v.vramTotalBytes) || !num(v.vramFreeBytes) || !num(v.freeRamBytes)) return undefined;
    if (v.gpu !== false && v.gpu !== 'cuda' && v.gpu !== 'vulkan' && v.gpu !== 'metal') return undefined;
    return {
      totalRamBytes: v.totalRamBytes!, freeRamBytes: v.freeRamBytes!, cpuCores: v.cpuCores!, gpu: v.gpu,
      gpuNames: Array.isArray(v.gpuNames) ? v.gpuNames.map(String) : [], vramTotalBytes: v.vramTotalBytes!,
      vramFreeBytes: v.vramFreeBytes!, unifiedMemory: v.unifiedMemory === true, source: 'probe',
    };
  } catch {
    return undefined;
  }
}
