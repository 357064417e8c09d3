// The catalog data file and its arithmetic: the entries the issue asks for are there, every
// entry is well formed, and a malformed entry is refused by name.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { acceptedSize, entryLabel, installedPath, loadCatalog, parseCatalog, ramNeeded } from '../../models/library/modelCatalog';

const catalog = loadCatalog();
const byId = new Map(catalog.models.map((m) => [m.id, m]));

test('offers Qwen2.5-Coder 0.5B/1.5B/3B/7B base in Q8_0 and Q4_K_M, StarCoder2-3B, DeepSeek-Coder-1.3B base, CodeGemma-2B', () => {
  for (const size of ['0.5b', '1.5b', '3b', '7b']) {
    for (const quant of ['q8_0', 'q4_k_m']) {
      const e = byId.get(`qwen2.5-coder-${size}-${quant}`);
      assert.ok(e, `qwen2.5-coder-${size}-${quant}`);
      assert.equal(e.quantization.toLowerCase(), quant);
      assert.match(e.name, /base$/);
      assert.equal(e.vocabulary, 'qwen2.5');
    }
  }
  assert.equal(byId.get('starcoder2-3b-q4_k_m')?.family, 'starcoder2');
  assert.match(byId.get('deepseek-coder-1.3b-base-q4_k_m')!.url, /deepseek-coder-1\.3b-base/);
  assert.equal(byId.get('codegemma-2b-q4_k_m')?.family, 'codegemma');
});

test('every entry downloads over https from the model host, into a distinct .gguf file name', () => {
  const names = new Set<string>();
  for (const e of catalog.models) {
    const url = new URL(e.url);
    assert.equal(url.protocol, 'https:');
    assert.equal(url.hostname, 'huggingface.co', e.id);
    assert.ok(url.pathname.endsWith(`/${e.fileName}`), `${e.id}: the URL names the file it installs`);
    assert.ok(!names.has(e.fileName.toLowerCase()), `${e.id}: file name used twice`);
    names.add(e.fileName.toLowerCase());
    // A checksum only makes sense for content pinned to a commit.
    if (e.sha256) assert.match(url.pathname, /\/resolve\/[0-9a-f]{40}\//, `${e.id}: sha256 without a pinned commit`);
  }
});

test('sizes: exact entries accept one size, the others the catalog tolerance; RAM needed exceeds the file', () => {
  const exact = byId.get('codegemma-2b-q4_k_m')!;
  assert.deepEqual(acceptedSize(exact, catalog), { min: exact.sizeBytes, max: exact.sizeBytes });
  const approx = byId.get('qwen2.5-coder-1.5b-q8_0')!;
  const range = acceptedSize(approx, catalog);
  assert.ok(range.min < approx.sizeBytes && range.max > approx.sizeBytes);
  assert.ok(Math.abs(range.max - approx.sizeBytes - approx.sizeBytes * catalog.sizeTolerance) <= 1);
  for (const e of catalog.models) assert.ok(ramNeeded(e) > e.sizeBytes, e.id);
  assert.equal(ramNeeded({ sizeBytes: 1_650_000_000 }), 2_200_000_000);
  assert.equal(entryLabel(approx), 'Qwen2.5-Coder 1.5B base Q8_0');
  assert.equal(installedPath(approx, '/store/models'), '/store/models/qwen2.5-coder-1.5b-q8_0.gguf');
});

test('malformed entries are refused with the entry named', () => {
  const good = { ...catalog.models[0] };
  assert.throws(() => parseCatalog({ models: [{ ...good, url: 'http://huggingface.co/x.gguf' }] }), /entry 0 .*"url" must be https/);
  assert.throws(() => parseCatalog({ models: [{ ...good, fileName: '../evil.gguf' }] }), /plain \.gguf file name/);
  assert.throws(() => parseCatalog({ models: [{ ...good, sha256: 'abc' }] }), /64 hex digits/);
  assert.throws(() => parseCatalog({ models: [{ ...good, sizeBytes: -1 }] }), /sizeBytes/);
  assert.throws(() => parseCatalog({ models: [good, good] }), /duplicate id/);
  assert.throws(() => parseCatalog({}), /"models" must be an array/);
});
