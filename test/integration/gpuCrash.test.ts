/**
 * An engine that crashes while a GPU runs the model (a driver abort on a lost device) is restarted
 * on the CPU, and the status learns why. The engine here is a stand-in script speaking the real
 * protocol over a real fork (no GPU can crash on this machine); EngineClient is the real one.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { EngineClient } from '../../models/engine/engineClient';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lcc-gpu-crash-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
// Reports the backend it was asked for; aborts (as a GPU driver does on a lost device) on a completion while on the GPU.
const fakeEngine = path.join(dir, 'engine.js');
fs.writeFileSync(fakeEngine, `
let onGpu = false;
const stats = { promptTokens: 1, evaluatedTokens: 1, generatedTokens: 1, promptMs: 0, generateMs: 0, totalMs: 0, aborted: false,
  stopReason: 'eog', speculativeAccepted: 0, speculativeProposed: 0 };
process.on('message', (m) => {
  if (m.type === 'load') {
    onGpu = !m.options.cpuOnly;
    process.send({ type: 'loaded', id: m.id, info: { path: m.options.modelPath, name: 'fake', architecture: 'qwen2', contextSize: 512,
      trainContextSize: 512, loadMs: 1, threads: 1, gpu: onGpu ? 'vulkan' : false, hasRepoTokens: false, speculation: 'off',
      backend: onGpu ? 'vulkan' : 'cpu', device: onGpu ? 'Fake GPU' : 'Fake CPU', gpuLayers: onGpu ? 24 : 0, gpuFallback: m.options.cpuOnly } });
  } else if (m.type === 'complete') {
    if (onGpu) process.abort();
    process.send({ type: 'completed', id: m.id, result: { text: 'x', stats } });
  } else if (m.type === 'shutdown') process.exit(0);
});
process.on('disconnect', () => process.exit(0));
process.send({ type: 'started', pid: process.pid });
`);

test('a crash on the GPU restarts the engine on the CPU, with the reason in the model info', async () => {
  const lines: string[] = [];
  const line = (m: string) => lines.push(m);
  const client = new EngineClient({ enginePath: fakeEngine, log: { trace: line, debug: line, info: line, warn: line, error: line } });
  try {
    const options = { modelPath: '/m.gguf', contextSize: 512, threads: 1, gpu: 'auto' as const };
    assert.equal((await client.load(options)).backend, 'vulkan');
    assert.equal(await client.complete({ prefix: 'a', suffix: '', maxPrefixTokens: 8, maxSuffixTokens: 8, maxTokens: 4, singleLine: true },
      new AbortController().signal), undefined, 'the crashed request answers empty');
    // The client reloads the model by itself after the crash.
    for (let i = 0; i < 100 && client.modelInfo?.backend !== 'cpu'; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(client.modelInfo?.backend, 'cpu');
    assert.match(client.modelInfo?.gpuFallback ?? '', /crashed \(signal SIGABRT\) while the GPU \(vulkan\) ran the model; running on the CPU/);
    assert.ok(lines.some((l) => /crashed \(signal SIGABRT\); restarting it on the CPU/.test(l)), lines.join(' | '));
    const result = await client.complete({ prefix: 'a', suffix: '', maxPrefixTokens: 8, maxSuffixTokens: 8, maxTokens: 4, singleLine: true }, new AbortController().signal);
    assert.equal(result?.text, 'x', 'completions go on');
  } finally {
    await client.stop();
  }
});
