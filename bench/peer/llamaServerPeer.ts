/**
 * The peer: llama-server (what llama.vscode drives), on loopback only, serving the same model,
 * asked the way llama.vscode asks: POST /infill with cache_prompt, its prefix/suffix windows and
 * a cache of 250 suggestions keyed on the exact context. Benchmark code, not shipped: the
 * extension itself never opens a socket.
 */
import { LRUCache } from 'lru-cache';
import type { FimBackend } from '../../completion/completionPipeline';
import type { FimRequest, FimResult } from '../../models/engine/engineProtocol';
import { startLlamaServer, type RunningServer } from '../../test/servers/llamaServerProcess';

export class LlamaServerPeer implements FimBackend {
  private server?: RunningServer;
  private readonly cache = new LRUCache<string, string>({ max: 250 });
  private url = '';

  constructor(private readonly binary: string, private readonly modelPath: string, private readonly threads: number) {}

  async start(port: number): Promise<void> {
    this.server = await startLlamaServer(this.binary, this.modelPath, { threads: this.threads, port, extra: ['--cache-reuse', '256'] });
    this.url = this.server.url;
  }

  get pid(): number | undefined { return this.server?.child.pid; }

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
    this.server?.stop();
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
