/**
 * The server backends against a REAL llama-server (built by bench/peer/buildLlamaServer.sh from the
 * llama.cpp source in node-llama-cpp's package) serving the generated tiny model on loopback:
 * /infill and /v1/completions give the server's own greedy answer cut by our stop rules, snippets
 * reach the prompt, cache_prompt reuses the KV cache, the FIM family is read from /tokenize (and a
 * wrong one refused), cancellation mid-stream frees the server's slot, a server killed mid-request
 * and a busy one end in an error within the limits, and the circuit then keeps keystrokes off it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FimRequest } from '../../models/engine/engineProtocol';
import { cutPoint } from '../../models/engine/stopRules';
import { chooseThreads } from '../../models/engine/threads';
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';
import { fimPromptText, familyNamed } from '../../models/network/servers/fimTemplates';
import { checkServerUrl } from '../../models/network/servers/hostPolicy';
import { ServerError } from '../../models/network/servers/httpStream';
import { ServerBackend, type ServerConfig } from '../../models/network/servers/serverBackend';
import { llamaServerBinary, startLlamaServer, type RunningServer } from './llamaServerProcess';

const PREFIXES = [
  'function add(a, b) {\n  return ', 'def total(items):\n    result = ', 'const names = users.map((u) => ', 'for (let i = 0; i < n; i++) {\n    ',
  'class Point:\n    def __init__(self, x, y):\n        ', 'import os\nimport sys\n\ndef main():\n    ', 'SELECT name FROM ', '#include <stdio.h>\nint main() {\n  ',
];
const req = (prefix: string, extra: Partial<FimRequest> = {}): FimRequest =>
  ({ prefix, suffix: '\n}\n', maxPrefixTokens: 512, maxSuffixTokens: 32, maxTokens: 24, singleLine: false, ...extra });
const threads = Math.min(2, chooseThreads(0));
const signal = () => new AbortController().signal;

describe('server backends against a real llama-server on loopback', () => {
  let model: string;
  let server: RunningServer;
  const servers: RunningServer[] = [];
  const backend = (kind: ServerConfig['kind'], extra: Partial<ServerConfig> = {}, url = server.url) => {
    const v = checkServerUrl(url, []);
    assert.ok(v.ok);
    return new ServerBackend({ kind, target: v.target, ...extra });
  };
  const direct = async (path: string, body: object) => {
    const r = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(r.status, 200, await r.clone().text());
    return r.json() as Promise<Record<string, unknown>>;
  };
  /** A prompt the random-weight model answers at length (greedy, so it always does). */
  let longPrefix = '';

  before(async () => {
    const binary = llamaServerBinary();
    assert.ok(binary, 'llama-server is not built: run `bash bench/peer/buildLlamaServer.sh` (npm run test:servers does)');
    model = await ensureGeneratedModel('tiny');
    server = await startLlamaServer(binary, model, { threads, contextSize: 4096 });
    servers.push(server);
    let best = 0;
    for (const p of PREFIXES) {
      const r = await direct('/infill', { input_prefix: p, input_suffix: '', n_predict: 300, temperature: 0, top_k: 1, samplers: ['top_k', 'infill'] });
      const n = (r.timings as { predicted_n: number }).predicted_n;
      if (n > best) { best = n; longPrefix = p; }
    }
    assert.ok(best >= 60, `no prompt made the tiny model write 60 tokens (best ${best})`);
  });
  after(() => servers.forEach((s) => s.stop()));

  test('/infill: the server\'s own greedy answer, cut by the same stop rule, streamed', async () => {
    let checked = 0;
    let written = 0;
    for (const prefix of PREFIXES.slice(0, 4)) {
      const own = await direct('/infill', { input_prefix: prefix, input_suffix: '\n}\n', n_predict: 24, temperature: 0, top_k: 1, samplers: ['top_k', 'infill'], cache_prompt: true });
      const rule = { singleLine: true };
      const text = String(own.content);
      const cut = cutPoint(text, rule);
      const expected = cut ? text.slice(0, cut.at) : text;
      const seen: string[] = [];
      const result = await backend('llama-server').complete({ ...req(prefix, rule), stream: true }, signal(), (t) => seen.push(t));
      assert.ok(result);
      assert.equal(result.text, expected, prefix);
      for (const partial of seen) assert.ok(expected.startsWith(partial), `streamed ${JSON.stringify(partial)} is not a start of ${JSON.stringify(expected)}`);
      assert.ok(result.stats.promptTokens > 0);
      if (expected.trim()) written++;
      checked++;
    }
    assert.equal(checked, 4);
    assert.ok(written >= 1, 'the model wrote something for at least one prompt');
  });

  test('/infill: snippets reach the prompt as input_extra; cache_prompt reuses what did not change', async () => {
    const b = backend('llama-server');
    const plain = await b.complete(req('let total = 0;\nfor (const x of xs) total += ', { maxTokens: 4 }), signal());
    const withContext = await b.complete(req('let total = 0;\nfor (const x of xs) total += ', {
      maxTokens: 4, maxContextTokens: 200, context: [{ path: 'src/util.ts', text: 'export function square(v: number): number {\n  return v * v;\n}\n' }],
    }), signal());
    assert.ok(plain && withContext);
    assert.ok(withContext.stats.promptTokens > plain.stats.promptTokens + 10, `${withContext.stats.promptTokens} vs ${plain.stats.promptTokens}`);
    const again = await b.complete(req('let total = 0;\nfor (const x of xs) total += x', {
      maxTokens: 4, maxContextTokens: 200, context: [{ path: 'src/util.ts', text: 'export function square(v: number): number {\n  return v * v;\n}\n' }],
    }), signal());
    assert.ok(again);
    assert.ok(again.stats.evaluatedTokens < again.stats.promptTokens / 2, `evaluated ${again.stats.evaluatedTokens} of ${again.stats.promptTokens}: the KV cache was reused`);
  });

  test('a warm-up (n_predict 0) puts the prompt in the slot\'s cache and writes nothing; the completion after it reads only the rest', async () => {
    const b = backend('llama-server');
    assert.equal(b.warms, true);
    const prefix = `${'const table = [\n' + Array.from({ length: 40 }, (_, i) => `  { id: ${i}, name: "row${i}" },\n`).join('')}];\nfunction look(id) {\n  return `;
    const warm = await b.complete(req(prefix, { warmOnly: true, maxTokens: 24 }), signal());
    assert.ok(warm, 'a warm-up answers');
    assert.equal(warm.stats.stopReason, 'warm');
    assert.equal(warm.text, '');
    assert.ok(warm.stats.generatedTokens <= 1, 'llama-server samples one token at n_predict 0, no more');
    assert.ok(warm.stats.evaluatedTokens > 300, `the warm-up evaluated the prompt (${warm.stats.evaluatedTokens})`);
    const next = await b.complete(req(`${prefix}t`, { maxTokens: 4 }), signal());
    assert.ok(next);
    assert.ok(next.stats.evaluatedTokens < 40, `evaluated ${next.stats.evaluatedTokens} of ${next.stats.promptTokens} after the warm-up`);
    const other = backend('openai', { family: 'qwen' });
    assert.equal(other.warms, false);
    assert.equal(await other.complete(req(prefix, { warmOnly: true }), signal()), undefined, 'no warm-up request to a server that cannot');
  });

  test('/v1/completions: family read from /tokenize (qwen), prompt from our builder, same text as the server gives it', async () => {
    const b = backend('openai', { family: 'auto' });
    assert.equal((await b.family())?.name, 'qwen');
    const request = req(PREFIXES[1], { singleLine: true });
    const own = await direct('/v1/completions', { prompt: fimPromptText(familyNamed('qwen')!, request), max_tokens: 24, temperature: 0 });
    const text = String((own.choices as Array<{ text: string }>)[0].text);
    const cut = cutPoint(text, request);
    const result = await b.complete(request, signal());
    assert.ok(result);
    const stops = familyNamed('qwen')!.stops.map((s) => text.indexOf(s)).filter((i) => i >= 0);
    const end = Math.min(cut ? cut.at : text.length, ...stops);
    assert.equal(result.text, text.slice(0, end));
  });

  test('a wrong model family is refused with the right one named, and nothing is generated', async () => {
    const b = backend('openai', { family: 'starcoder' });
    await assert.rejects(b.complete(req(PREFIXES[0]), signal()), (e: ServerError) => e.kind === 'protocol' && /does not know starcoder's FIM tokens/.test(e.message) && /"qwen"/.test(e.message));
    await assert.rejects(backend('openai', { family: 'gpt' }).family(), /unknown model family "gpt"/);
  });

  test('cancellation mid-stream: resolves at once, and the server\'s only slot is free for the next request', async () => {
    const b = backend('llama-server');
    const ctl = new AbortController();
    let pieces = 0;
    const t0 = performance.now();
    const result = await b.complete({ ...req(longPrefix, { maxTokens: 300 }), stream: true }, ctl.signal, () => { if (++pieces === 3) ctl.abort(); });
    assert.equal(result, undefined);
    assert.ok(performance.now() - t0 < 5000);
    // One slot (-np 1): had the server kept generating 300 tokens, this would wait for it.
    const next = await b.complete(req(PREFIXES[0], { maxTokens: 2 }), signal());
    assert.ok(next);
    const slots = await fetch(`${server.url}/slots`).then((r) => (r.ok ? r.json() as Promise<Array<{ is_processing?: boolean; n_decoded?: number }>> : undefined), () => undefined);
    if (slots) assert.equal(slots[0].is_processing, false);
    assert.equal(b.health.state, 'ok');
  });

  test('a busy server times out within the limit: dropped, not queued behind; reported slow, not down, and the next request goes out', async () => {
    const b = backend('llama-server', { limits: { totalTimeoutMs: 250 } });
    // Occupy the one slot with a long generation straight to the server.
    const hog = fetch(`${server.url}/infill`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input_prefix: longPrefix, input_suffix: '', n_predict: 2000, ignore_eos: true, temperature: 0 }) });
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    assert.equal(await b.complete(req(PREFIXES[2]), signal()), undefined);
    const took = performance.now() - t0;
    assert.ok(took >= 240 && took < 1500, `${took} ms`);
    assert.equal(b.health.state, 'slow');
    assert.match(b.health.state === 'slow' ? b.health.reason : '', /no answer within 250 ms/);
    await hog.then((r) => r.text()).catch(() => undefined);
    // No backoff: the next request reaches the (now free) server and answers.
    const b2 = backend('llama-server');
    assert.ok(await b2.complete(req(PREFIXES[0], { maxTokens: 2 }), signal()));
  });

  test('a model that writes bytes that are not UTF-8: llama-server fails that answer, and the server stays in use', async () => {
    // A token whose piece alone is not UTF-8 (a lone byte of the byte-level vocabulary), forced by a
    // logit bias: llama-server's output parser then throws ("does not match the expected
    // Content-only format", common/chat.cpp) on every answer, streamed or not.
    let bad = -1;
    for (let id = 0; id < 400 && bad < 0; id++) {
      const r = await direct('/detokenize', { tokens: [id] });
      if (String(r.content).includes('\uFFFD')) bad = id;
    }
    assert.ok(bad >= 0, 'a token whose piece is a lone byte');
    const odd = await startLlamaServer(llamaServerBinary()!, model, { threads, contextSize: 4096, extra: ['--logit-bias', `${bad}+100`] });
    servers.push(odd);
    const b = backend('llama-server', {}, odd.url);
    const failed: string[] = [];
    b.on('answerFailed', (m: string) => failed.push(m));
    for (let i = 0; i < 3; i++) {
      const out = await b.complete({ ...req(PREFIXES[i], { maxTokens: 4 }), stream: true }, signal());
      assert.ok(out, `answer ${i}: a result (what arrived), not an error or a refusal`);
    }
    assert.equal(failed.length, 3);
    assert.match(failed[0], /Content-only format/);
    assert.equal(b.health.state, 'ok', 'the server is not reported down');
  });

  test('a server killed mid-request: an error at once, then no keystroke reaches the dead port until the backoff passes', async () => {
    const doomed = await startLlamaServer(llamaServerBinary()!, model, { threads, contextSize: 4096 });
    servers.push(doomed);
    const b = backend('llama-server', {}, doomed.url);
    let killedAt = 0;
    await assert.rejects(b.complete({ ...req(longPrefix, { maxTokens: 300 }), stream: true }, signal(), () => {
      if (!killedAt) { killedAt = performance.now(); doomed.child.kill('SIGKILL'); }
    }), (e: ServerError) => e.kind === 'unreachable');
    assert.ok(killedAt > 0, 'it was streaming when killed');
    assert.ok(performance.now() - killedAt < 2000);
    assert.equal(b.health.state, 'down');
    const t0 = performance.now();
    assert.equal(await b.complete(req(PREFIXES[0]), signal()), undefined);
    assert.ok(performance.now() - t0 < 20, 'refused by the open circuit, no connection attempt');
  });
});
