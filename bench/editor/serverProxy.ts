/**
 * A loopback pass-through in front of llama-server that records what each completion request cost
 * on the server (its own `timings`: tokens evaluated and generated, with their milliseconds), for
 * either extension: llama.vscode's non-streamed JSON and our streamed SSE answers alike. A client
 * that hangs up (a newer keystroke) hangs the upstream request up too.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServerRequestRecord {
  path: string;
  /** ms since the proxy started */
  startMs: number;
  durationMs: number;
  status: number;
  /** the client hung up before the answer ended */
  aborted: boolean;
  promptTokens?: number;
  promptMs?: number;
  generatedTokens?: number;
  generatedMs?: number;
  cachedTokens?: number;
  /** input_extra chunks sent (llama.vscode's ring buffer, our snippets) */
  extraChunks?: number;
  requestChars: number;
}

const COMPLETION_PATHS = /^\/(infill|completion|completions|v1\/completions)\b/;

export interface ServerProxy { url: string; records: ServerRequestRecord[]; close(): Promise<void> }

export async function startServerProxy(upstream: string): Promise<ServerProxy> {
  const target = new URL(upstream);
  const records: ServerRequestRecord[] = [];
  const t0 = performance.now();
  const server = http.createServer((req, res) => {
    const started = performance.now();
    const body: Buffer[] = [];
    req.on('data', (d: Buffer) => body.push(d));
    req.on('end', () => {
      const requestBody = Buffer.concat(body);
      const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        const answer: Buffer[] = [];
        upRes.on('data', (d: Buffer) => { answer.push(d); res.write(d); });
        upRes.on('end', () => {
          res.end();
          if (COMPLETION_PATHS.test(req.url ?? '')) records.push(record(req.url ?? '', started, upRes.statusCode ?? 0, false, requestBody, Buffer.concat(answer).toString('utf8')));
        });
      });
      up.on('error', (e) => { if (!res.headersSent) res.writeHead(502); res.end(String(e)); });
      res.on('close', () => {
        if (!res.writableFinished) {
          up.destroy();
          if (COMPLETION_PATHS.test(req.url ?? '')) records.push(record(req.url ?? '', started, 0, true, requestBody, ''));
        }
      });
      up.end(requestBody);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  function record(p: string, started: number, status: number, aborted: boolean, request: Buffer, answer: string): ServerRequestRecord {
    const r: ServerRequestRecord = { path: p, startMs: Math.round(started - t0), durationMs: Math.round(performance.now() - started), status, aborted, requestChars: request.length };
    try {
      const sent = JSON.parse(request.toString('utf8')) as { input_extra?: unknown[] };
      if (Array.isArray(sent.input_extra)) r.extraChunks = sent.input_extra.length;
    } catch { /* not JSON */ }
    const last = lastTimings(answer);
    if (last) Object.assign(r, last);
    return r;
  }
  return { url: `http://127.0.0.1:${port}`, records, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

interface Timings { prompt_n?: number; prompt_ms?: number; predicted_n?: number; predicted_ms?: number }
interface Answer { timings?: Timings; tokens_cached?: number }

/** The last JSON object of the answer that carries `timings` (a plain JSON body, an array of them, or SSE `data:` lines). */
function lastTimings(answer: string): Partial<ServerRequestRecord> | undefined {
  const candidates: Answer[] = [];
  const parse = (s: string) => { try { const v = JSON.parse(s) as Answer | Answer[]; candidates.push(...(Array.isArray(v) ? v : [v])); } catch { /* partial line */ } };
  const streamed = answer.trimStart().startsWith('data:') || answer.includes('\ndata:');
  if (streamed) {
    for (const line of answer.split('\n')) if (line.startsWith('data:')) parse(line.slice(5).trim());
  } else parse(answer);
  // a stream's chunks carry running totals: only its last counts; a JSON array holds one answer per completion
  const withTimings = candidates.filter((c) => c && c.timings).slice(streamed ? -1 : 0);
  if (withTimings.length === 0) return undefined;
  // several completions at once (llama.vscode's n_cmpl): the server evaluates the prompt once
  const t = withTimings.map((c) => c.timings as Timings);
  return {
    promptTokens: Math.max(...t.map((x) => x.prompt_n ?? 0)), promptMs: Math.round(Math.max(...t.map((x) => x.prompt_ms ?? 0))),
    generatedTokens: t.reduce((a, x) => a + (x.predicted_n ?? 0), 0), generatedMs: Math.round(t.reduce((a, x) => a + (x.predicted_ms ?? 0), 0)),
    cachedTokens: withTimings[withTimings.length - 1].tokens_cached,
  };
}
