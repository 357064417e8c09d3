/**
 * Forks the engine process: plain Node even inside desktop VS Code (whose execPath is Electron),
 * at a lower priority so the editor comes first when both want the CPU, with its output in the log.
 * `ready` settles when the engine says it started.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import type { EngineToHost } from './engineProtocol';

export interface ForkLog {
  debug(message: string): void;
  warn(message: string): void;
}

export function forkEngine(enginePath: string, log: ForkLog): { child: ChildProcess; ready: Promise<void> } {
  const child = fork(enginePath, [], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    execArgv: [],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  try { if (child.pid) os.setPriority(child.pid, 5); } catch { /* not permitted here: run at normal priority */ }
  child.stdout?.on('data', (d: Buffer) => log.debug(`[engine] ${d.toString().trimEnd()}`));
  child.stderr?.on('data', (d: Buffer) => log.warn(`[engine] ${d.toString().trimEnd()}`));
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', (m: EngineToHost) => (m.type === 'started' ? resolve() : reject(new Error('engine did not start'))));
    child.once('error', reject);
  });
  return { child, ready };
}
