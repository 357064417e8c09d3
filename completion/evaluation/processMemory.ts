/**
 * Peak resident memory of a process: VmHWM from /proc/<pid>/status on Linux (the high-water mark
 * the kernel keeps, so short peaks between samples count), else this process's own RSS when it is
 * the one asked about. undefined where it cannot be known.
 */
import * as fs from 'node:fs';

export function peakRssBytes(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  if (process.platform === 'linux') {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(status) ?? /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
      if (kb) return Number(kb[1]) * 1024;
    } catch {
      // The process has gone, or /proc is not readable here.
    }
  }
  if (pid === process.pid) {
    try {
      return process.memoryUsage().rss;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
