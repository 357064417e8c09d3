/**
 * The Ollama backend against a loopback stand-in written from Ollama's API documentation (Ollama
 * cannot be installed here), plus what every server backend must do whatever the server: stop
 * rules cut the stream and close it, cancellation and timeouts end at once, a dead or failing
 * server opens the circuit so later keystrokes do not wait on it, the probe lists its models.
 */
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { after, describe, test } from 'node:test';
import type { FimRequest } from '../../models/engine/engineProtocol';
import { CircuitBreaker } from '../../models/network/servers/circuitBreaker';
import { checkServerUrl } from '../../models/network/servers/hostPolicy';
import { ServerError } from '../../models/network/servers/httpStream';
import { ServerBackend, type ServerConfig, type ServerHealth } from '../../models/network/servers/serverBackend';
import { probeServers } from '../../models/network/servers/serverProbe';
import { OllamaStandIn } from './ollamaStandIn';

const MODEL = 'qwen2.5-coder:1.5b-base';
const req = (extra: Partial<FimRequest> = {}): FimRequest =>
  ({ prefix: 'def add(a, b):\n    ', suffix: '\n', maxPrefixTokens: 256, maxSuffixTokens: 32, maxTokens: 32, singleLine: true, ...extra });
const target = (url: string) => { const v = checkServerUrl(url, []); assert.ok(v.ok); return v.target; };
const backend = (url: string, extra: Partial<ServerConfig> = {}, breaker?: CircuitBreaker) =>
  new ServerBackend({ kind: 'ollama', target: target(url), model: MODEL, ...extra }, breaker);
const started: OllamaStandIn[] = [];
const standIn = async (o: ConstructorParameters<typeof OllamaStandIn>[0] = {}) => { const s = new OllamaStandIn(o); started.push(s); await s.start(); return s; };
const settle = () => new Promise((r) => setTimeout(r, 50));
after(async () => { await Promise.all(started.map((s) => s.stop())); });

describe('Ollama /api/generate wire format (stand-in from the API documentation)', () => {
  test('suffix mode: prompt + suffix, streamed NDJSON, cut at the end of the line and the request closed', async () => {
    const s = await standIn({ delayMs: 20 });
    const seen: string[] = [];
    const result = await backend(s.url).complete({ ...req(), stream: true }, new AbortController().signal, (t) => seen.push(t));
    assert.equal(result?.text, 'return a + b');
    assert.equal(result?.stats.stopReason, 'newline');
    assert.deepEqual(seen, ['return', 'return a', 'return a +', 'return a + b']);
    const body = s.requests[0].body;
    assert.equal(s.requests[0].path, '/api/generate');
    assert.equal(body.model, MODEL);
    assert.equal(body.prompt, 'def add(a, b):\n    ');
    assert.equal(body.suffix, '\n');
    assert.equal(body.raw, undefined);
    assert.equal(body.stream, true);
    assert.equal((body.options as { num_predict: number; temperature: number }).num_predict, 32);
    await settle();
    assert.equal(s.clientGone, 1, 'the stream was closed once the line was complete: the server stops generating');
  });

  test('raw mode with a family: the FIM prompt in the model\'s own tokens, stop strings sent', async () => {
    const s = await standIn({ pieces: ['x', ' = 1', '<|file_sep|>', 'junk'] });
    const result = await backend(s.url, { family: 'qwen' }).complete(req({ singleLine: false }), new AbortController().signal);
    assert.equal(result?.text, 'x = 1', 'cut at the family\'s stop marker');
    const body = s.requests[0].body;
    assert.equal(body.raw, true);
    assert.equal(body.suffix, undefined);
    assert.equal(body.prompt, '<|fim_prefix|>def add(a, b):\n    <|fim_suffix|>\n<|fim_middle|>');
    assert.deepEqual((body.options as { stop: string[] }).stop.slice(0, 1), ['<|endoftext|>']);
  });

  test('whole answer: counts come from the final line (durations in ns)', async () => {
    const s = await standIn({ pieces: ['a', 'b'] });
    const result = await backend(`${s.url}/api`).complete(req({ singleLine: false }), new AbortController().signal);
    assert.equal(result?.text, 'ab', 'a base URL ending in /api names the same server');
    assert.equal(s.requests[0].path, '/api/generate');
    assert.equal(result?.stats.promptTokens, 21);
    assert.equal(result?.stats.generatedTokens, 2);
    assert.equal(result?.stats.promptMs, 2);
  });

  test('an unknown model is an error that says so; the circuit then opens and keystrokes do not reach the server', async () => {
    const s = await standIn({ models: ['other'] });
    const b = backend(s.url);
    const health: ServerHealth[] = [];
    b.on('health', (h: ServerHealth) => health.push(h));
    await assert.rejects(b.complete(req(), new AbortController().signal), (e: ServerError) => e.kind === 'http' && /model 'qwen2\.5-coder:1\.5b-base' not found/.test(e.message));
    assert.equal(health.length, 1);
    assert.equal(health[0].state, 'down');
    const t0 = performance.now();
    assert.equal(await b.complete(req(), new AbortController().signal), undefined);
    assert.ok(performance.now() - t0 < 20, 'refused at once');
    assert.equal(s.requests.length, 1, 'the second request never left');
  });

  test('cancellation mid-stream resolves at once and closes the connection', async () => {
    const s = await standIn({ delayMs: 200, pieces: ['a', 'b', 'c', 'd', 'e'] });
    const ctl = new AbortController();
    const b = backend(s.url);
    const pending = b.complete({ ...req({ singleLine: false }), stream: true }, ctl.signal, () => ctl.abort());
    const t0 = performance.now();
    assert.equal(await pending, undefined);
    assert.ok(performance.now() - t0 < 150, `took ${performance.now() - t0} ms`);
    await settle();
    assert.equal(s.clientGone, 1);
    assert.equal(b.health.state, 'ok', 'a cancel says nothing about the server');
  });

  test('a hung server times out and is reported slow, without waiting longer than the limit', async () => {
    const s = await standIn({ hang: true });
    const b = backend(s.url, { limits: { totalTimeoutMs: 300 } });
    const t0 = performance.now();
    assert.equal(await b.complete(req(), new AbortController().signal), undefined);
    const took = performance.now() - t0;
    assert.ok(took >= 290 && took < 1000, `${took} ms`);
    assert.equal(b.health.state, 'slow');
    // Slow is not down: the next keystroke's request goes out (and waits its own limit), no backoff.
    const t1 = performance.now();
    assert.equal(await b.complete(req(), new AbortController().signal), undefined);
    assert.ok(performance.now() - t1 >= 290, 'sent, not refused by a breaker');
    await settle();
    assert.equal(s.requests.filter((r) => r.path === '/api/generate').length, 2);
  });

  test('a server that dies mid-answer is an error, not a hang', async () => {
    const s = await standIn({ dieAfterPieces: 2, delayMs: 20 });
    await assert.rejects(backend(s.url).complete(req({ singleLine: false }), new AbortController().signal), (e: ServerError) => e.kind === 'unreachable');
  });

  test('one answer cut or failed on a server that is up: what arrived is the answer, and the server stays in use', async () => {
    for (const options of [{ cutAfterPieces: 2 }, { errorAfterPieces: 2 }]) {
      const s = await standIn({ ...options, delayMs: 5 });
      const b = backend(s.url);
      const failed: string[] = [];
      b.on('answerFailed', (m: string) => failed.push(m));
      const out = await b.complete(req({ singleLine: false }), new AbortController().signal);
      assert.equal(out?.text, 'return a', JSON.stringify(options));
      assert.equal(failed.length, 1);
      assert.equal(b.health.state, 'ok', 'not down: the next keystroke goes to it');
      assert.ok(await b.complete(req({ singleLine: false }), new AbortController().signal));
      assert.equal(s.requests.filter((r) => r.path === '/api/generate').length, 2);
    }
  });

  test('nothing listening: refused in milliseconds; the breaker then answers for the server until its backoff passes', async () => {
    const port = await freePort();
    let now = 0;
    const b = backend(`http://127.0.0.1:${port}`, {}, new CircuitBreaker(1000, 30_000, () => now));
    const t0 = performance.now();
    await assert.rejects(b.complete(req(), new AbortController().signal), (e: ServerError) => e.kind === 'unreachable' && /ECONNREFUSED/.test(e.message));
    assert.ok(performance.now() - t0 < 500);
    assert.equal(await b.complete(req(), new AbortController().signal), undefined, 'within the backoff: no connection attempt');
    now = 1000;
    await assert.rejects(b.complete(req(), new AbortController().signal), ServerError, 'after it: one trial');
    assert.equal(b.health.state, 'down');
    assert.match(b.health.state === 'down' ? b.health.reason : '', /ECONNREFUSED/);
  });

  test('the probe lists the models of a server on a given port and nothing for a closed one', async () => {
    const s = await standIn({ models: ['qwen2.5-coder:1.5b-base', 'starcoder2:3b'] });
    const closed = await freePort();
    const found = await probeServers([
      { server: 'Ollama', backend: 'ollama', url: s.url, path: '/api/tags' },
      { server: 'llama-server', backend: 'llama-server', url: `http://127.0.0.1:${closed}`, path: '/v1/models' },
    ]);
    assert.deepEqual(found.map((m) => `${m.server} ${m.model}`), ['Ollama qwen2.5-coder:1.5b-base', 'Ollama starcoder2:3b']);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
