// Writes a trained model as GGUF with the project's own writer (models/gguf/ggufWriter.ts).
//
// Input, written by models/training/export/export_weights.py:
//   NAME.weights.json  { config, name, tensors: [{ name, ne, offset, quantize }] }
//   NAME.weights.bin   the tensors as little-endian float32, in GGUF (llama.cpp) naming and order
//   tokenizer.json     { merges: ["l r", ...], specials: [...], tokens: [...] } (the training tokenizer)
// Output: a llama.cpp "qwen2" model (tied embeddings, q/k/v biases, NEOX rope) with a "gpt2"
// byte-level BPE tokenizer (pre-tokenizer "qwen2") and the FIM token keys. Matrices are Q8_0
// (or F32 with --f32), norms and biases F32, as llama.cpp's converter writes them.
//
// usage: node out/models/training/exportGguf.js WEIGHTS_JSON TOKENIZER_JSON OUT_GGUF [--f32]

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GgmlType, GgufValueType, GgufWriter } from '../gguf/ggufWriter';
import type { Merge } from '../gguf/bpeMerges';
import { buildVocabulary, type Vocabulary } from '../gguf/vocabulary';

export interface TrainedConfig {
  vocab: number;
  hidden: number;
  layers: number;
  heads: number;
  kv_heads: number;
  ff: number;
  context: number;
  rms_eps: number;
  rope_base: number;
}

export interface WeightsManifest {
  name: string;
  description?: string;
  config: TrainedConfig;
  tensors: Array<{ name: string; ne: number[]; offset: number; quantize: boolean }>;
}

export interface TokenizerFile {
  merges: string[];
  specials: string[];
  tokens: string[];
}

const FIM_KEYS: ReadonlyArray<[key: string, token: string]> = [
  ['tokenizer.ggml.fim_pre_token_id', '<|fim_prefix|>'],
  ['tokenizer.ggml.fim_suf_token_id', '<|fim_suffix|>'],
  ['tokenizer.ggml.fim_mid_token_id', '<|fim_middle|>'],
  ['tokenizer.ggml.fim_pad_token_id', '<|fim_pad|>'],
  ['tokenizer.ggml.fim_rep_token_id', '<|repo_name|>'],
  ['tokenizer.ggml.fim_sep_token_id', '<|file_sep|>'],
];

/** The vocabulary as the GGUF writer lays it out; throws unless it equals the training tokenizer's. */
export function trainedVocabulary(tok: TokenizerFile): Vocabulary {
  const merges = tok.merges.map((m): Merge => {
    const [left, right, ...rest] = m.split(' ');
    if (!left || !right || rest.length > 0) throw new Error(`bad merge line ${JSON.stringify(m)}`);
    return [left, right];
  });
  const vocab = buildVocabulary(merges, { specials: tok.specials });
  if (vocab.tokens.length !== tok.tokens.length || vocab.tokens.some((t, i) => t !== tok.tokens[i])) {
    throw new Error('the GGUF vocabulary would differ from the training tokenizer (token ids would not match)');
  }
  return vocab;
}

export function buildTrainedGguf(manifest: WeightsManifest, weights: Buffer, tok: TokenizerFile, f32 = false): GgufWriter {
  const c = manifest.config;
  const vocab = trainedVocabulary(tok);
  if (vocab.tokens.length !== c.vocab) throw new Error(`model vocab ${c.vocab} != tokenizer ${vocab.tokens.length}`);
  const eot = vocab.specialIds.get('<|endoftext|>');
  if (eot === undefined) throw new Error('the tokenizer needs <|endoftext|>');
  const arch = 'qwen2';
  const w = new GgufWriter();
  w.addString('general.architecture', arch)
    .addString('general.type', 'model')
    .addString('general.name', manifest.name)
    .addString('general.license', 'MIT')
    .addString('general.description', manifest.description ?? 'Code completion model trained by models/training/')
    .addUint32('general.file_type', f32 ? 0 : 7)
    .addUint32('general.quantization_version', 2)
    .addUint32(`${arch}.block_count`, c.layers)
    .addUint32(`${arch}.context_length`, c.context)
    .addUint32(`${arch}.embedding_length`, c.hidden)
    .addUint32(`${arch}.feed_forward_length`, c.ff)
    .addUint32(`${arch}.attention.head_count`, c.heads)
    .addUint32(`${arch}.attention.head_count_kv`, c.kv_heads)
    .addFloat32(`${arch}.rope.freq_base`, c.rope_base)
    .addFloat32(`${arch}.attention.layer_norm_rms_epsilon`, c.rms_eps);
  w.addString('tokenizer.ggml.model', 'gpt2')
    .addString('tokenizer.ggml.pre', 'qwen2')
    .addArray('tokenizer.ggml.tokens', GgufValueType.STRING, vocab.tokens)
    .addArray('tokenizer.ggml.token_type', GgufValueType.INT32, vocab.types)
    .addArray('tokenizer.ggml.merges', GgufValueType.STRING, vocab.merges)
    .addUint32('tokenizer.ggml.eos_token_id', eot)
    .addUint32('tokenizer.ggml.bos_token_id', eot)
    .addUint32('tokenizer.ggml.padding_token_id', vocab.specialIds.get('<|fim_pad|>') ?? eot)
    .addBool('tokenizer.ggml.add_bos_token', false)
    .addBool('tokenizer.ggml.add_eos_token', false);
  for (const [key, token] of FIM_KEYS) {
    const id = vocab.specialIds.get(token);
    if (id !== undefined) w.addUint32(key, id);
  }
  const values = new Float32Array(weights.buffer, weights.byteOffset, weights.byteLength / 4);
  for (const t of manifest.tensors) {
    const n = t.ne.reduce((a, b) => a * b, 1);
    const start = t.offset / 4;
    if (!Number.isInteger(start) || start + n > values.length) throw new Error(`tensor ${t.name} lies outside the weights file`);
    const type = t.quantize && !f32 ? GgmlType.Q8_0 : GgmlType.F32;
    w.addTensor(t.name, t.ne, type, (chunk, at) => chunk.set(values.subarray(start + at, start + at + chunk.length)));
  }
  return w;
}

function main(argv: string[]): number {
  const f32 = argv.includes('--f32');
  const [manifestPath, tokenizerPath, outPath] = argv.filter((a) => a !== '--f32');
  if (!manifestPath || !tokenizerPath || !outPath) {
    console.error('usage: exportGguf WEIGHTS_JSON TOKENIZER_JSON OUT_GGUF [--f32]');
    return 2;
  }
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as WeightsManifest;
  const binPath = manifestPath.replace(/\.json$/, '.bin');
  const raw = fs.readFileSync(binPath);
  const weights = Buffer.alloc(raw.length); // aligned copy for the Float32Array view
  raw.copy(weights);
  const tok = JSON.parse(fs.readFileSync(tokenizerPath, 'utf8')) as TokenizerFile;
  const writer = buildTrainedGguf(manifest, weights, tok, f32);
  fs.mkdirSync(path.dirname(path.resolve(outPath)), { recursive: true });
  const tmp = `${outPath}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    const { fileBytes } = writer.write(tmp);
    fs.renameSync(tmp, outPath);
    console.log(`${outPath}: ${(fileBytes / 1e6).toFixed(2)} MB, ${writer.tensorCount} tensors, ${writer.metadataCount} metadata keys`);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
