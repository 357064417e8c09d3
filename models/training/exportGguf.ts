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

import { FIM_ORDERS_KEY, FIM_SPM_LAYOUT_KEY, SPM_LAYOUT } from '../engine/fimOrder';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GgmlType, GgufValueType, GgufWriter } from '../gguf/ggufWriter';
import type { Merge } from '../gguf/bpeMerges';
import { addQwen2Metadata } from '../gguf/qwen2Metadata';
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
  training?: { args?: { spm_rate?: number } };
}

/**
 * Metadata keys that say which FIM orders the model was trained on (README "FIM orders"); they and
 * the layout have one owner, the engine that reads them (models/engine/fimOrder.ts).
 */
export { FIM_ORDERS_KEY, FIM_SPM_LAYOUT_KEY, SPM_LAYOUT };

/** 'psm', or 'psm,spm' for a model trained with suffix-first examples too. */
export function fimOrders(manifest: WeightsManifest): string {
  return (manifest.training?.args?.spm_rate ?? 0) > 0 ? 'psm,spm' : 'psm';
}

export interface TokenizerFile {
  merges: string[];
  specials: string[];
  tokens: string[];
}

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
  if (!vocab.specialIds.has('<|endoftext|>')) throw new Error('the tokenizer needs <|endoftext|>');
  const w = new GgufWriter();
  addQwen2Metadata(w, {
    name: manifest.name,
    license: 'MIT',
    description: manifest.description ?? 'Code completion model trained by models/training/',
    weightType: f32 ? GgmlType.F32 : GgmlType.Q8_0,
    layers: c.layers, contextLength: c.context, hidden: c.hidden, ff: c.ff, heads: c.heads, kvHeads: c.kv_heads,
    ropeTheta: c.rope_base, rmsEps: c.rms_eps,
    fimKeys: true,
    paddingToken: '<|fim_pad|>',
  }, vocab);
  // Which FIM orders the engine may use: a custom key (exact) and general.tags (for tools that show tags).
  const orders = fimOrders(manifest);
  w.addString(FIM_ORDERS_KEY, orders);
  w.addArray('general.tags', GgufValueType.STRING, ['code', 'fim', ...(orders.includes('spm') ? ['fim-spm'] : [])]);
  if (orders.includes('spm')) w.addString(FIM_SPM_LAYOUT_KEY, SPM_LAYOUT);
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
