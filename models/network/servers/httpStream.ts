/**
 * HTTP to a completion server, with the limits that keep the editor responsive: a short connect
 * timeout (no keystroke waits on a dead socket), a limit on the whole request, cancellation that
 * destroys the socket at once (the server sees the client go and stops generating), no redirects
 * (a redirect could send code to another host), and streamed bodies read line by line (SSE and
 * NDJSON are both lines).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { ServerTarget } from './hostPolicy';

/**
 * 'cut': the connection closed after an HTTP 200 answer had begun (the server process died, or it
 * gave up on this one answer: llama-server ends a stream that way when its output parser throws).
 * 'answer': the server sent an error inside a 200 stream: it is up, this completion failed.
 */
export type ServerErrorKind = 'unreachable' | 'timeout' | 'http' | 'protocol' | 'aborted' | 'cut' | 'answer';

export class ServerError extends Error {
  constructor(readonly kind: ServerErrorKind, message: string, readonly status?: number) {
    super(message);
    this.name = 'ServerError';
  }
}

export interface HttpLimits {
  connectTimeoutMs: number;
  /** The whole request, first byte to last. */
  totalTimeoutMs: number;
}

export interface HttpCall extends HttpLimits {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

const agents = { 'http:': new http.Agent({ keepAlive: true, maxSockets: 4 }), 'https:': new https.Agent({ keepAlive: true, maxSockets: 4 }) };

/**
 * Sends the request and feeds each line of the body to onLine; onLine returns true to stop early
 * (the socket is destroyed: the server stops generating). Resolves with whether it stopped early.
 */
export function requestLines(target: ServerTarget, call: HttpCall, onLine: (line: string) => boolean | void): Promise<{ stoppedEarly: boolean }> {
  return new Promise((resolve, reject) => {
    if (call.signal?.aborted) return reject(new ServerError('aborted', 'cancelled'));
    const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
    const lib = target.protocol === 'https:' ? https : http;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (error?: ServerError, stoppedEarly = false) => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      call.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve({ stoppedEarly });
    };
    const fail = (error: ServerError) => { finish(error); req.destroy(); };
    const onAbort = () => fail(new ServerError('aborted', 'cancelled'));
    const req = lib.request({
      agent: agents[target.protocol], hostname: target.hostname.replace(/^\[|\]$/g, ''), port: target.port,
      method: call.method, path: target.basePath + call.path,
      headers: { accept: '*/*', ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}), ...call.headers },
    });
    call.signal?.addEventListener('abort', onAbort, { once: true });
    timers.push(setTimeout(() => fail(new ServerError('timeout', `no answer within ${call.totalTimeoutMs} ms`)), call.totalTimeoutMs));
    req.on('socket', (socket) => {
      // A kept-alive socket is already connected; a new one must connect within the short limit.
      if (!socket.connecting) return;
      const t = setTimeout(() => fail(new ServerError('unreachable', `could not connect within ${call.connectTimeoutMs} ms`)), call.connectTimeoutMs);
      timers.push(t);
      socket.once('connect', () => clearTimeout(t));
    });
    req.on('error', (err) => finish(new ServerError('unreachable', err.message)));
    req.on('response', (res) => {
      res.setEncoding('utf8');
      const status = res.statusCode ?? 0;
      if (status >= 300) {
        let text = '';
        res.on('data', (d: string) => { text = (text + d).slice(0, 600); });
        res.on('end', () => finish(new ServerError('http', `HTTP ${status}${text ? `: ${text.trim().slice(0, 300)}` : ''}`, status)));
        res.on('error', () => finish(new ServerError('http', `HTTP ${status}`, status)));
        return;
      }
      let pending = '';
      const feed = (chunk: string, last: boolean) => {
        pending += chunk;
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0 || (last && pending)) {
          const line = (nl >= 0 ? pending.slice(0, nl) : pending).replace(/\r$/, '');
          pending = nl >= 0 ? pending.slice(nl + 1) : '';
          if (settled) return;
          let stop: boolean | void;
          try {
            stop = onLine(line);
          } catch (err) {
            return fail(err instanceof ServerError ? err : new ServerError('protocol', err instanceof Error ? err.message : String(err)));
          }
          if (stop) { finish(undefined, true); req.destroy(); return; }
        }
      };
      res.on('data', (d: string) => feed(d, false));
      res.on('end', () => { feed('', true); finish(); });
      res.on('error', (err) => finish(new ServerError('cut', `the connection broke: ${err.message}`)));
      res.on('aborted', () => finish(new ServerError('cut', 'the server closed the connection mid-answer')));
    });
    req.end(payload);
  });
}

/** A small JSON request (model lists, tokenizer, health): the whole body, parsed. */
export async function requestJson<T>(target: ServerTarget, call: HttpCall): Promise<T> {
  const lines: string[] = [];
  await requestLines(target, call, (line) => { lines.push(line); });
  try {
    return JSON.parse(lines.join('\n')) as T;
  } catch {
    throw new ServerError('protocol', `${call.path} did not answer JSON`);
  }
}
