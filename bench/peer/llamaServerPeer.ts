/**
 * The peer: llama-server (what llama.vscode drives), on loopback only, serving the same model,
 * asked the way llama.vscode asks: POST /infill with cache_prompt, its prefix/suffix windows and
 * a cache of 250 suggestions keyed on the exact context. Benchmark code, not shipped: the
 * extension itself never opens a socket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { LRUCache } from 'lru-cache';
import type { FimBackend } from '../../completion/completionPipeline';
import type { FimRequest, FimResult } from '../../models/engine/engineProtocol';

export class LlamaServerPeer implements FimBackend {
  private child?: ChildProcess;
  private readonly cache = new LRUCache<string, string>({ max: 250 });
  private url = '';

  constructor(private readonly binary: string, private readonly modelPath: string, private readonly threads: number) {}

  async start(port: number): Promise<void> {
    this.url = `http://127.0.0.1:${port}`;
    const child = this.child = spawn(this.binary, ['-m', this.modelPath, '--host', '127.0.0.1', '--port', String(port), '-c', '4096',
      '-t', String(this.threads), '-np', '1', '--cache-reuse', '256', '--no-webui', '-ngl', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr?.on('data', (d: Buffer) => { log = (log + d.toString()).slice(-2000); });
    let exited = '';
    child.once('exit', (code, signal) => { exited = `llama-server exited (${signal ?? `code ${code}`}):\n${log.split('\n').slice(-6).join('\n')}`; });
    for (let i = 0; i < 1800 && !exited; i++) {
      const ok = await fetch(`${this.url}/health`).then((r) => r.ok, () => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(exited || 'llama-server did not become healthy in 3 minutes');
  }

  get pid(): number | undefined { return this.child?.pid; }

  async complete(request: FimRequest, signal: AbortSignal): Promise<FimResult | undefined> {
    const key = `${request.prefix}\u0000${request.suffix}`;
    const cached = this.cache.get(key);
    const started = performance.now();
    if (cached !== undefined) return result(cached, 0, 0, 0, started, 0);
    try {
      const response = await fetch(`${this.url}/infill`, {
        method: 'POST',
        signal,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          input_prefix: request.prefix, input_suffix: request.suffix, input_extra: [], n_predict: request.maxTokens,
          cache_prompt: true, temperature: 0, top_k: 40, top_p: 0.99, stream: false, samplers: ['top_k', 'top_p', 'infill'],
          t_max_prompt_ms: 500, t_max_predict_ms: request.singleLine ? 1000 : 3000,
          ...(request.singleLine ? { stop: ['\n'] } : {}),
        }),
      });
      const body = await response.json() as { content: string; timings?: { prompt_n: number; prompt_ms: number; predicted_n: number; predicted_ms: number } };
      this.cache.set(key, body.content);
      const t = body.timings;
      return result(body.content, t?.prompt_n ?? 0, t?.predicted_n ?? 0, t?.prompt_ms ?? 0, started, t?.predicted_ms ?? 0);
    } catch {
      return undefined; // aborted by a newer keystroke
    }
  }

  stop(): void {
    this.child?.kill('SIGKILL');
  }
}

function result(text: string, evaluated: number, generated: number, promptMs: number, started: number, generateMs: number): FimResult {
  return {
    text,
    stats: {
      promptTokens: evaluated, evaluatedTokens: evaluated, generatedTokens: generated, promptMs: Math.round(promptMs),
      generateMs: Math.round(generateMs), totalMs: Math.round(promptMs + generateMs), aborted: false, stopReason: 'eog',
      speculativeAccepted: 0, speculativeProposed: 0,
    },
  };
}
