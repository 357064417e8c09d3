// Generated GGUF models against the real node-llama-cpp (llama.cpp's loader, tokenizer and
// CPU backend). Small presets are generated into temporary folders, so the test does not
// depend on .cache/; the 500 MB qwen05b-shape model is checked from its header alone, and
// loaded only when a generated copy is already in .cache/models.

import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bpeEncodeWord, pretokenize } from '../../models/gguf/byteLevel';
import { ensureGeneratedModel, findGeneratedModel, generateModelFile } from '../../models/gguf/generatedModels';
import { getMerges } from '../../models/gguf/bpeMerges';
import { GgmlType } from '../../models/gguf/ggufWriter';
import { PRESETS } from '../../models/gguf/presets';
import { buildQwen2Gguf } from '../../models/gguf/qwen2Model';
import { buildVocabulary } from '../../models/gguf/vocabulary';

const loadLib = () => import('node-llama-cpp');
type Lib = Awaited<ReturnType<typeof loadLib>>;
type Llama = Awaited<ReturnType<Lib['getLlama']>>;
type Model = Awaited<ReturnType<Llama['loadModel']>>;
type GgufInfo = Awaited<ReturnType<Lib['readGgufFileInfo']>>;

const CODE = 'export function sum(xs: number[]): number {\n\treturn xs.reduce((a, b) => a + b, 0); // ∑ héllo 世界 🚀\r\n}\n';

let lib: Lib;
let llama: Llama;
let dirA: string;
let dirB: string;
let tinyA: string;
let tinyB: string;
const models: Model[] = [];

before(async () => {
  lib = await loadLib();
  llama = await lib.getLlama({ gpu: false, build: 'never', maxThreads: 2, logLevel: lib.LlamaLogLevel.error });
  dirA = fs.mkdtempSync(path.join(os.tmpdir(), 'gguf-gen-a-'));
  dirB = fs.mkdtempSync(path.join(os.tmpdir(), 'gguf-gen-b-'));
  tinyA = await ensureGeneratedModel('tiny', dirA);
  tinyB = await ensureGeneratedModel('tiny', dirB); // learns its merges again: also checks that
});

after(async () => {
  for (const m of models) await m.dispose();
  for (const d of [dirA, dirB]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

async function load(file: string): Promise<Model> {
  const m = await llama.loadModel({ modelPath: file });
  models.push(m);
  return m;
}

function ggml(info: GgufInfo): Record<string, unknown> {
  return (info.metadata.tokenizer as unknown as { ggml: Record<string, unknown> }).ggml;
}

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

async function greedy(model: Model, prompt: string, n: number): Promise<number[]> {
  const ctx = await model.createContext({ contextSize: 512, threads: 2 });
  try {
    const out: number[] = [];
    for await (const t of ctx.getSequence().evaluate(model.tokenize(prompt), { temperature: 0 })) {
      out.push(t);
      if (out.length >= n) break;
    }
    return out;
  } finally {
    await ctx.dispose();
  }
}

test('tiny is small, reused from the cache, and byte-identical when generated twice', async () => {
  assert.ok(fs.statSync(tinyA).size < 2 * 1024 * 1024, `${fs.statSync(tinyA).size} bytes`);
  assert.equal(path.basename(tinyA), 'tiny.gguf');
  assert.equal(sha256(tinyA), sha256(tinyB));
  const mtime = fs.statSync(tinyA).mtimeMs;
  assert.equal(await ensureGeneratedModel('tiny', dirA), tinyA);
  assert.equal(fs.statSync(tinyA).mtimeMs, mtime, 'reused, not rewritten');
  assert.equal(findGeneratedModel('tiny', dirA), tinyA);
  fs.writeFileSync(`${tinyA}.stamp`, 'generator 0\n'); // stale stamp: regenerated
  assert.equal(findGeneratedModel('tiny', dirA), undefined);
  assert.equal(await ensureGeneratedModel('tiny', dirA), tinyA);
  assert.equal(sha256(tinyA), sha256(tinyB));
  assert.deepEqual(fs.readdirSync(dirA).filter((f) => f.endsWith('.tmp')), [], 'no temporary files left');
});

test('readGgufFileInfo reads the metadata and tensors back', async () => {
  const info = await lib.readGgufFileInfo(tinyA, { logWarnings: false });
  assert.equal(info.version, 3);
  assert.equal(info.metadata.general.architecture, 'qwen2');
  const arch = info.architectureMetadata;
  assert.equal(arch.block_count, 2);
  assert.equal(arch.embedding_length, 64);
  assert.equal(arch.rope?.freq_base, 1e6);
  const tok = ggml(info);
  const tokens = tok.tokens as string[];
  assert.equal(tok.model, 'gpt2');
  assert.equal(tok.pre, 'qwen2');
  assert.equal((tok.merges as string[]).length, 300);
  assert.equal(tok.add_bos_token, false);
  assert.equal(tokens[tok.eos_token_id as number], '<|endoftext|>');
  assert.equal(tok.bos_token_id, tok.eos_token_id);
  const fim: Record<string, string> = {
    fim_pre_token_id: '<|fim_prefix|>', fim_suf_token_id: '<|fim_suffix|>', fim_mid_token_id: '<|fim_middle|>',
    fim_pad_token_id: '<|fim_pad|>', fim_rep_token_id: '<|repo_name|>', fim_sep_token_id: '<|file_sep|>',
  };
  for (const [key, text] of Object.entries(fim)) assert.equal(tokens[tok[key] as number], text, key);
  assert.ok(tokens.indexOf('<|endoftext|>') > 256 + 200, 'specials come after the regular tokens');
  const embd = info.tensorInfo?.find((t) => t.name === 'token_embd.weight');
  assert.deepEqual(embd?.dimensions.map(Number), [64, tokens.length]);
  assert.equal(embd?.ggmlType, GgmlType.Q8_0);
  assert.equal(info.tensorInfo?.length, 2 * 12 + 3);
  const head = info.tensorInfo?.find((t) => t.name === 'output.weight');
  assert.deepEqual(head?.dimensions.map(Number), [64, (tok.tokens as string[]).length], 'a separate printable-text LM head');
});

test('tiny loads with FIM tokens, and tokenizes like the merges say', async () => {
  const model = await load(tinyA);
  const info = await lib.readGgufFileInfo(tinyA, { logWarnings: false });
  const tokens = ggml(info).tokens as string[];
  const id = (t: string) => tokens.indexOf(t);
  assert.equal(model.tokens.infill.prefix, id('<|fim_prefix|>'));
  assert.equal(model.tokens.infill.suffix, id('<|fim_suffix|>'));
  assert.equal(model.tokens.infill.middle, id('<|fim_middle|>'));
  assert.equal(model.tokens.eos, id('<|endoftext|>'));
  assert.equal(model.tokens.shouldPrependBosToken, false);

  const ids = model.tokenize(CODE);
  assert.equal(model.detokenize(ids), CODE);
  // llama.cpp's BPE and our reference encoding agree token by token on plain code.
  const ranks = new Map((ggml(info).merges as string[]).map((m, i) => [m, i]));
  const ascii = 'const total = items.map((item) => item.price * item.count);\n  return total;\n';
  const expected = pretokenize(ascii).flatMap((w) => bpeEncodeWord(w, ranks)).map(id);
  assert.deepEqual(model.tokenize(ascii), expected);
  assert.ok(expected.length < ascii.length * 0.6, `merges are used: ${expected.length} tokens`);

  // User text that looks like a special token stays text; only the explicit flag makes it special.
  const plain = model.tokenize('<|fim_prefix|>');
  assert.ok(plain.length > 1 && !plain.map(Number).includes(id('<|fim_prefix|>')));
  assert.equal(model.detokenize(plain), '<|fim_prefix|>');
  assert.deepEqual(model.tokenize('<|fim_prefix|>', true), [id('<|fim_prefix|>')]);
});

test('greedy generation produces tokens, identically from two generated files', async () => {
  const a = await greedy(await load(tinyA), CODE, 12);
  const b = await greedy(await load(tinyB), CODE, 12);
  assert.equal(a.length, 12);
  assert.deepEqual(a, b);
});

test('infill completion runs on tiny', async () => {
  const model = await load(tinyA);
  const ctx = await model.createContext({ contextSize: 512, threads: 2 });
  try {
    const completion = new lib.LlamaCompletion({ contextSequence: ctx.getSequence() });
    assert.equal(completion.infillSupported, true);
    const text = await completion.generateInfillCompletion('function add(a, b) {\n  return ', ';\n}\n', { maxTokens: 8 });
    assert.equal(typeof text, 'string');
  } finally {
    await ctx.dispose();
  }
});

test('F16 and F32 weights load and generate too', async () => {
  const vocab = buildVocabulary(getMerges(PRESETS.tiny.merges, dirA), PRESETS.tiny.vocab);
  for (const weightType of [GgmlType.F16, GgmlType.F32]) {
    const file = path.join(dirA, `tiny-${weightType}.gguf`);
    buildQwen2Gguf({ ...PRESETS.tiny.model, weightType }, vocab).write(file);
    const info = await lib.readGgufFileInfo(file, { logWarnings: false });
    assert.equal(info.tensorInfo?.find((t) => t.name === 'blk.0.ffn_up.weight')?.ggmlType, weightType);
    assert.equal((await greedy(await load(file), CODE, 4)).length, 4);
  }
});

test('tiny-nofim loads but has no infill tokens at all', async () => {
  const file = await ensureGeneratedModel('tiny-nofim', dirA);
  const info = await lib.readGgufFileInfo(file, { logWarnings: false });
  const tok = ggml(info);
  assert.equal(Object.keys(tok).some((k) => k.startsWith('fim_')), false);
  assert.equal((tok.tokens as string[]).some((t) => /fim|repo_name|file_sep/.test(t)), false);
  const model = await load(file);
  assert.equal(model.tokens.infill.prefix, null);
  assert.equal(model.tokens.infill.suffix, null);
  assert.equal(model.tokens.infill.middle, null);
  const ctx = await model.createContext({ contextSize: 256, threads: 2 });
  try {
    assert.equal(new lib.LlamaCompletion({ contextSequence: ctx.getSequence() }).infillSupported, false);
  } finally {
    await ctx.dispose();
  }
  assert.equal((await greedy(model, CODE, 4)).length, 4);
});

test('tiny-othervocab is a FIM model with a different vocabulary', async () => {
  const file = await ensureGeneratedModel('tiny-othervocab', dirA);
  const other = ggml(await lib.readGgufFileInfo(file, { logWarnings: false }));
  const tiny = ggml(await lib.readGgufFileInfo(tinyA, { logWarnings: false }));
  assert.notEqual((other.tokens as string[]).length, (tiny.tokens as string[]).length);
  const model = await load(file);
  assert.notEqual(model.tokens.infill.prefix, null);
  assert.notDeepEqual(model.tokenize(CODE), (await load(tinyA)).tokenize(CODE));
});

test('qwen05b-shape and draft headers: Qwen2.5-Coder-0.5B shapes, ids and a shared vocabulary', async () => {
  const big = path.join(dirA, 'qwen05b-shape.header.gguf');
  const res = generateModelFile('qwen05b-shape', big, { cacheDir: dirA, headerOnly: true });
  assert.ok(res.params > 480e6 && res.params < 500e6, `${res.params} matrix params`);
  const info = await lib.readGgufFileInfo(big, { logWarnings: false });
  const arch = info.architectureMetadata;
  assert.deepEqual(
    [arch.block_count, arch.embedding_length, arch.feed_forward_length, arch.attention?.head_count,
      arch.attention?.head_count_kv, arch.context_length],
    [24, 896, 4864, 14, 2, 32768],
  );
  const tok = ggml(info);
  const tokens = tok.tokens as string[];
  assert.equal(tokens.length, 151936);
  const realIds: Array<[number, string]> = [
    [151643, '<|endoftext|>'], [151659, '<|fim_prefix|>'], [151660, '<|fim_middle|>'], [151661, '<|fim_suffix|>'],
    [151662, '<|fim_pad|>'], [151663, '<|repo_name|>'], [151664, '<|file_sep|>'], [151665, '[PAD151665]'],
  ];
  for (const [i, text] of realIds) assert.equal(tokens[i], text, `id ${i}`);
  assert.deepEqual([tok.fim_pre_token_id, tok.fim_suf_token_id, tok.fim_mid_token_id], [151659, 151661, 151660]);
  assert.equal(tok.eos_token_id, 151643);
  assert.equal((tok.merges as string[]).length, 4000);
  const shapes = new Map(info.tensorInfo?.map((t) => [t.name, [t.dimensions.map(Number), t.ggmlType]]));
  assert.equal(shapes.size, 24 * 12 + 1 + 1);
  assert.deepEqual(shapes.get('token_embd.weight'), [[896, 151936], GgmlType.Q8_0]);
  assert.deepEqual(shapes.get('blk.23.attn_k.weight'), [[896, 128], GgmlType.Q8_0]);
  assert.deepEqual(shapes.get('blk.0.attn_k.bias'), [[128], GgmlType.F32]);
  assert.deepEqual(shapes.get('blk.0.ffn_down.weight'), [[4864, 896], GgmlType.Q8_0]);
  assert.equal(info.infoEndOffset, res.bytes, 'the header ends where the tensor data would start');

  const draftFile = path.join(dirA, 'draft.header.gguf');
  generateModelFile('draft', draftFile, { cacheDir: dirA, headerOnly: true });
  const draft = ggml(await lib.readGgufFileInfo(draftFile, { logWarnings: false }));
  assert.deepEqual(draft.tokens, tok.tokens);
  assert.deepEqual(draft.merges, tok.merges);
  assert.equal((await lib.readGgufFileInfo(draftFile, { logWarnings: false })).architectureMetadata.block_count, 4);
});

test('cached qwen05b-shape model (if generated) loads with the real FIM ids', async (t) => {
  const file = findGeneratedModel('qwen05b-shape');
  if (!file) {
    t.skip('not generated: run `npm run models:generate -- qwen05b-shape` first');
    return;
  }
  const model = await load(file);
  assert.deepEqual(
    [model.tokens.infill.prefix, model.tokens.infill.suffix, model.tokens.infill.middle, model.tokens.eos],
    [151659, 151661, 151660, 151643],
  );
  assert.equal(model.detokenize(model.tokenize(CODE)), CODE);
  assert.equal((await greedy(model, CODE, 3)).length, 3);
});
