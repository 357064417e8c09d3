/**
 * Starts a real llama-server (built by bench/peer/buildLlamaServer.sh from the llama.cpp source in
 * node-llama-cpp's package) on a free loopback port, for the server tests and bench:latency's peer.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { repoRoot } from '../../models/gguf/paths';

export interface RunningServer {
  url: string;
  port: number;
  child: ChildProcess;
  /** The last lines it logged. */
  log(): string;
  stop(): void;
}

/** The built binary (where bench/peer/buildLlamaServer.sh keeps it), or undefined. */
export function llamaServerBinary(): string | undefined {
  const where = spawnSync('bash', [path.join(repoRoot(), 'bench', 'peer', 'buildLlamaServer.sh'), '--path'], { encoding: 'utf8' });
  const bin = where.status === 0 ? where.stdout.trim() : '';
  return bin && fs.existsSync(bin) ? bin : undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function startLlamaServer(binary: string, modelPath: string, options: { threads: number; contextSize?: number; port?: number; extra?: string[] }): Promise<RunningServer> {
  const port = options.port ?? await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(binary, ['-m', modelPath, '--host', '127.0.0.1', '--port', String(port), '-c', String(options.contextSize ?? 4096),
    '-t', String(options.threads), '-np', '1', '--no-webui', '-ngl', '0', ...(options.extra ?? [])], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => { log = (log + d.toString()).slice(-4000); });
  let exited = '';
  child.once('exit', (code, signal) => { exited = `llama-server exited (${signal ?? `code ${code}`}):\n${log.split('\n').slice(-8).join('\n')}`; });
  const stop = () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); };
  for (let i = 0; i < 1800 && !exited; i++) {
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok) return { url, port, child, log: () => log, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  throw new Error(exited || 'llama-server did not become healthy in 3 minutes');
}
