/**
 * What the process boundary costs per request: the same request, with a full-size prompt window
 * (768 prefix tokens, 128 suffix tokens of code), sent N times to a FimEngine in this process and
 * N times through the EngineClient to the engine process, alternating. The request only brings
 * its prompt into the KV cache (warmOnly), which after the first time is already there: what is
 * left is the engine's fixed work (tokenizing, comparing with the cache), the same on both sides,
 * plus, for the client, serializing, the IPC round trip and the other process's event loop.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FimEngine } from '../../models/engine/fimEngine';
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';
import { fimRequest, loadOptions, ms, newClient, percentile, report } from './support';

const ROUNDS = 300;
const TARGET_MS = 2;

const line = (i: number) => `  const value${i} = compute(items[${i}], options.scale * ${i}); // step ${i}\n`;
const prefix = Array.from({ length: 40 }, (_, i) => line(i)).join('').slice(-2600) + '  return ';
const suffix = Array.from({ length: 8 }, (_, i) => line(i + 100)).join('');
const request = fimRequest(prefix, suffix, { warmOnly: true, maxPrefixTokens: 768, maxSuffixTokens: 128 });

const direct = new FimEngine(() => undefined);
const client = newClient();

before(async () => {
  const tiny = await ensureGeneratedModel('tiny');
  await direct.load(loadOptions(tiny));
  await client.load(loadOptions(tiny));
});
after(async () => {
  await client.stop();
  await direct.unload();
});

test(`process boundary costs < ${TARGET_MS} ms per request (median over ${ROUNDS})`, async (t) => {
  const signal = new AbortController().signal;
  const inProcess: number[] = [];
  const crossing: number[] = [];
  for (let i = 0; i < ROUNDS + 20; i++) {
    let t0 = performance.now();
    await direct.complete(request, signal);
    const a = performance.now() - t0;
    t0 = performance.now();
    const r = await client.complete(request, signal);
    const b = performance.now() - t0;
    assert.ok(r && r.stats.stopReason === 'warm');
    if (i >= 20) { // the first rounds fill the caches
      inProcess.push(a);
      crossing.push(b);
    }
  }
  const cost = percentile(crossing, 50) - percentile(inProcess, 50);
  const cost95 = percentile(crossing, 95) - percentile(inProcess, 95);
  const figures = `${ms(cost)} per request (median; p95 ${ms(cost95)}): in-process ${ms(percentile(inProcess, 50))}, ` +
    `through the engine process ${ms(percentile(crossing, 50))}; prompt ${request.prefix.length + request.suffix.length} chars`;
  report(t, 'boundary-cost', figures, { costMs: cost, costP95Ms: cost95 });
  assert.ok(cost < TARGET_MS, `the boundary costs ${ms(cost)} per request`);
});
