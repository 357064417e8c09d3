// Advice for this machine from RAM, cores and GPU, and the probe's output parser.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseProbeOutput } from '../../models/library/hardware';
import { describeMachine, fitEntry, recommendedId, type HardwareInfo } from '../../models/library/hardwareFit';
import { loadCatalog } from '../../models/library/modelCatalog';

const GB = 1e9;
const cpu = (cores: number, ramGb: number): HardwareInfo => ({
  totalRamBytes: ramGb * GB, freeRamBytes: ramGb * GB / 2, cpuCores: cores, gpu: false, gpuNames: [],
  vramTotalBytes: 0, vramFreeBytes: 0, unifiedMemory: false, source: 'probe',
});
const gpu = (vramGb: number, ramGb = 32): HardwareInfo => ({
  ...cpu(8, ramGb), gpu: 'cuda', gpuNames: ['NVIDIA RTX'], vramTotalBytes: vramGb * GB, vramFreeBytes: vramGb * GB,
});
const entry = (id: string) => loadCatalog().models.find((m) => m.id === id)!;

test('recommends small models on small CPUs and bigger ones as RAM, cores and VRAM grow', () => {
  assert.equal(recommendedId(cpu(2, 8)), 'qwen2.5-coder-0.5b-q8_0');
  assert.equal(recommendedId(cpu(4, 8)), 'qwen2.5-coder-1.5b-q4_k_m');
  assert.equal(recommendedId(cpu(8, 32)), 'qwen2.5-coder-1.5b-q8_0');
  assert.equal(recommendedId(gpu(6)), 'qwen2.5-coder-1.5b-q8_0');
  assert.equal(recommendedId(gpu(12)), 'qwen2.5-coder-3b-q8_0');
  assert.equal(recommendedId(gpu(24)), 'qwen2.5-coder-7b-q8_0');
  // Unified memory (Apple): the GPU share counts only up to 70% of RAM.
  assert.equal(recommendedId({ ...gpu(16, 16), gpu: 'metal', unifiedMemory: true }), 'qwen2.5-coder-3b-q8_0');
  // Every recommendation is a catalog entry.
  for (const hw of [cpu(2, 8), cpu(4, 8), cpu(8, 32), gpu(6), gpu(12), gpu(24)]) assert.ok(entry(recommendedId(hw)));
});

test('fit says why: too big for the RAM, slow on a CPU, fine on a GPU with the VRAM', () => {
  const big = entry('qwen2.5-coder-7b-q8_0');
  const small = entry('qwen2.5-coder-0.5b-q8_0');
  const tooBig = fitEntry(big, cpu(4, 8));
  assert.equal(tooBig.fit, 'too-big');
  assert.match(tooBig.reason, /needs ~8\.6 GB of its 8\.0 GB RAM/);
  assert.equal(fitEntry(big, cpu(8, 64)).fit, 'slow');
  assert.equal(fitEntry(big, gpu(24, 16)).fit, 'recommended');
  assert.equal(fitEntry(entry('qwen2.5-coder-7b-q4_k_m'), gpu(24, 16)).fit, 'fits');
  const rec = fitEntry(small, cpu(2, 8));
  assert.equal(rec.fit, 'recommended');
  assert.equal(rec.reason, 'Recommended for this machine (2 cores, 8.0 GB RAM, no GPU)');
});

test('machine line names the GPU and VRAM, or says the GPU is unknown without a probe', () => {
  assert.equal(describeMachine(gpu(24)), '8 cores, 32 GB RAM, NVIDIA RTX 24 GB VRAM');
  assert.equal(describeMachine({ ...cpu(2, 8), source: 'os' }), '2 cores, 8.0 GB RAM, GPU unknown');
});

test('probe output: the last JSON line, checked field by field', () => {
  const good = { ...gpu(24), gpuNames: ['H100'] };
  assert.deepEqual(parseProbeOutput(`some warning\n${JSON.stringify(good)}\n`), good);
  assert.equal(parseProbeOutput(''), undefined);
  assert.equal(parseProbeOutput('not json'), undefined);
  assert.equal(parseProbeOutput(JSON.stringify({ ...good, gpu: 'rocm' })), undefined);
  assert.equal(parseProbeOutput(JSON.stringify({ ...good, totalRamBytes: -5 })), undefined);
});
