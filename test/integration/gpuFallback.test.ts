/**
 * GPU by default, the CPU when the GPU cannot serve, on the real node-llama-cpp 3.21.1 with the
 * generated tiny model. This machine has no GPU: asking for Vulkan either fails (no Vulkan loader:
 * a fresh CI machine) or loads the Vulkan build that sees no device (Mesa installed): both must end
 * on the CPU at once, with one log line, and complete. A binary that cannot load is explained.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';
import { FimEngine } from '../../models/engine/fimEngine';
import type { FimRequest, LoadOptions } from '../../models/engine/engineProtocol';
import { explainBinaryFailure } from '../../models/engine/nativeLoadProbe';

const request: FimRequest = { prefix: 'function add(a, b) {\n  return ', suffix: ';\n}\n', maxPrefixTokens: 256, maxSuffixTokens: 32, maxTokens: 8, singleLine: false };
const options = (modelPath: string, extra: Partial<LoadOptions> = {}): LoadOptions =>
  ({ modelPath, contextSize: 512, threads: 2, gpu: 'auto', speculation: 'off', ...extra });

describe('GPU fallback (no GPU on this machine)', () => {
  let tiny: string;
  before(async () => { tiny = await ensureGeneratedModel('tiny'); });

  test('gpu auto (the default) runs where it can and says so: here the CPU, with its name', async () => {
    const engine = new FimEngine(() => undefined);
    try {
      const info = await engine.load(options(tiny));
      assert.equal(info.backend, 'cpu');
      assert.equal(info.gpuLayers, 0);
      assert.equal(info.device, os.cpus()[0].model.trim());
      assert.equal(info.gpuFallback, undefined, 'no GPU is not a failure');
      const result = await engine.complete(request, new AbortController().signal);
      assert.ok(result.stats.generatedTokens > 0);
    } finally {
      await engine.unload();
    }
  });

  test('a GPU backend that cannot serve gives way to the CPU at once, with one log line, and completes', async () => {
    const lines: string[] = [];
    const engine = new FimEngine((level, message) => lines.push(`${level}: ${message}`));
    try {
      const info = await engine.load(options(tiny, { gpuBackend: 'vulkan' }));
      assert.equal(info.backend, 'cpu');
      assert.equal(info.gpu, false, 'the CPU build runs it');
      const vulkanLines = lines.filter((l) => /vulkan/i.test(l));
      assert.equal(vulkanLines.length, 1, `one line about Vulkan: ${lines.join(' | ')}`);
      // Without a Vulkan loader it fails (warn, reason in the info); with Mesa it sees no device (info).
      if (info.gpuFallback) assert.match(vulkanLines[0], /^warn: GPU \(vulkan\) failed: .*running on the CPU/);
      else assert.match(vulkanLines[0], /^info: the vulkan build sees no GPU/);
      const result = await engine.complete(request, new AbortController().signal);
      assert.ok(result.stats.generatedTokens > 0);
    } finally {
      await engine.unload();
    }
  });

  test('a GPU build that fails to start (CUDA: no driver here) gives way to the CPU with the reason in the info', async () => {
    const lines: string[] = [];
    const engine = new FimEngine((level, message) => lines.push(`${level}: ${message}`));
    try {
      const info = await engine.load(options(tiny, { gpuBackend: 'cuda' }));
      assert.equal(info.backend, 'cpu');
      assert.match(info.gpuFallback ?? '', /^GPU \(cuda\) failed: .*; running on the CPU$/);
      assert.deepEqual(lines.filter((l) => l.startsWith('warn:')), [`warn: ${info.gpuFallback}`], 'one clear log line');
      assert.ok((await engine.complete(request, new AbortController().signal)).stats.generatedTokens > 0);
    } finally {
      await engine.unload();
    }
  });

  test('after a GPU crash the host asks for the CPU: the reason travels to the status', async () => {
    const engine = new FimEngine(() => undefined);
    try {
      const reason = 'the engine crashed (signal SIGSEGV) while the GPU (vulkan) ran the model; running on the CPU';
      const info = await engine.load(options(tiny, { cpuOnly: reason }));
      assert.equal(info.backend, 'cpu');
      assert.equal(info.gpu, false);
      assert.equal(info.gpuFallback, reason);
    } finally {
      await engine.unload();
    }
  });
});

describe('a llama.cpp binary that cannot load', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lcc-binary-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('another processor\'s binary where this one\'s should be: the loader\'s own words, classified', () => {
    // The linux-arm64 addon (npm ci installs it here too) in the place of this machine's CPU build.
    const name = `${process.platform === 'win32' ? 'win' : process.platform === 'darwin' ? 'mac' : process.platform}-${process.arch}`;
    const foreign = path.join(process.cwd(), 'node_modules/@node-llama-cpp/linux-arm64/bins/linux-arm64/llama-addon.node');
    if (process.arch !== 'x64' || process.platform !== 'linux' || !fs.existsSync(foreign)) return;
    const bins = path.join(dir, '@node-llama-cpp', name, 'bins', name);
    fs.mkdirSync(bins, { recursive: true });
    fs.copyFileSync(foreign, path.join(bins, 'llama-addon.node'));
    const message = explainBinaryFailure('NoBinaryFoundError NoBinaryFoundError', [dir]);
    assert.match(message ?? '', /for another processor/);
    assert.match(message ?? '', /Install the extension package for this machine/);
  });

  test('no binary package at all: says which package is missing', () => {
    const message = explainBinaryFailure('NoBinaryFoundError NoBinaryFoundError', [path.join(dir, 'empty')]);
    assert.match(message ?? '', /has no llama\.cpp binary for .* is missing/);
  });
});
