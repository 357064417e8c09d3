/**
 * A loopback stand-in for Ollama, written from its API documentation (Ollama itself cannot be
 * installed here): POST /api/generate streams NDJSON lines `{model, created_at, response, done}`,
 * the last with `done: true`, `done_reason` and the counts (`prompt_eval_count`, `eval_count`,
 * durations in nanoseconds); `stream: false` gives one JSON object; an unknown model is a 404
 * `{"error": "..."}`; GET /api/tags lists `{models: [{name, model, ...}]}`. The "model" writes a
 * fixed text piece by piece. It records every request and notices a client that goes away.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInOptions {
  models?: string[];
  /** What the model writes, in pieces, one per `delayMs`. */
  pieces?: string[];
  delayMs?: number;
  /** Accept requests and never answer (a hung server). */
  hang?: boolean;
  /** Destroy the socket and stop listening after this many pieces (a server that dies mid-answer). */
  dieAfterPieces?: number;
  /** Destroy the socket after this many pieces and stay up (a server that gives up on one answer). */
  cutAfterPieces?: number;
  /** Send an error line inside the 200 stream after this many pieces, then end (one answer failed). */
  errorAfterPieces?: number;
}

export class OllamaStandIn {
  readonly requests: Array<{ path: string; body: Record<string, unknown> }> = [];
  /** Answers the client abandoned before they were done. */
  clientGone = 0;
  private readonly server: http.Server;
  url = '';

  constructor(readonly options: StandInOptions = {}) {
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  async start(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let raw = '';
    req.on('data', (d: Buffer) => { raw += d.toString(); });
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) as Record<string, unknown> : {};
      this.requests.push({ path: req.url ?? '', body });
      const models = this.options.models ?? ['qwen2.5-coder:1.5b-base'];
      if (req.method === 'GET' && req.url === '/api/tags') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ models: models.map((name) => ({ name, model: name, modified_at: '2026-01-01T00:00:00Z', size: 986000000, digest: 'd'.repeat(64), details: { format: 'gguf', family: 'qwen2' } })) }));
        return;
      }
      if (req.method !== 'POST' || req.url !== '/api/generate') { res.statusCode = 404; res.end('404 page not found'); return; }
      if (!models.includes(String(body.model))) {
        res.statusCode = 404;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ error: `model '${String(body.model)}' not found` }));
        return;
      }
      if (this.options.hang) return;
      this.generate(body, res);
    });
  }

  private generate(body: Record<string, unknown>, res: http.ServerResponse): void {
    const pieces = this.options.pieces ?? ['return', ' a', ' +', ' b', '\n', '\n', 'def', ' sub'];
    const model = String(body.model);
    const line = (o: object) => `${JSON.stringify({ model, created_at: new Date().toISOString(), ...o })}\n`;
    const final = { response: '', done: true, done_reason: 'stop', total_duration: 5_000_000, load_duration: 1_000_000, prompt_eval_count: 21, prompt_eval_duration: 2_000_000, eval_count: pieces.length, eval_duration: 3_000_000 };
    if (body.stream === false) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ model, created_at: new Date().toISOString(), ...final, response: pieces.join('') }));
      return;
    }
    res.setHeader('content-type', 'application/x-ndjson');
    let i = 0;
    let finished = false;
    res.on('close', () => { if (!finished) this.clientGone++; });
    const next = () => {
      if (res.destroyed) return;
      if (this.options.dieAfterPieces !== undefined && i >= this.options.dieAfterPieces) { finished = true; res.destroy(); void this.stop(); return; }
      if (this.options.cutAfterPieces !== undefined && i >= this.options.cutAfterPieces) { finished = true; res.destroy(); return; }
      if (this.options.errorAfterPieces !== undefined && i >= this.options.errorAfterPieces) { finished = true; res.end(`${JSON.stringify({ error: 'the model produced bytes that are not UTF-8' })}\n`); return; }
      if (i < pieces.length) {
        res.write(line({ response: pieces[i++], done: false }));
        setTimeout(next, this.options.delayMs ?? 5);
        return;
      }
      finished = true;
      res.end(line(final));
    };
    res.flushHeaders();
    next();
  }
}
