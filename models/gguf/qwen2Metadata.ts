// The GGUF metadata of a llama.cpp "qwen2" model with a "gpt2" byte-level BPE tokenizer: written
// the same way for generated (random-weight) models and for models trained by models/training/.
// Keys are written in a fixed order; the order is part of the file's bytes.

import { GgmlType, GgufValueType, type GgufWriter } from './ggufWriter';
import type { Vocabulary } from './vocabulary';

export interface Qwen2Metadata {
  readonly name: string;
  /** Written right after general.name when given. */
  readonly license?: string;
  readonly description?: string;
  /** Type of the big matrices (sets general.file_type); norms and biases stay F32 as in converted models. */
  readonly weightType: GgmlType;
  readonly layers: number;
  readonly contextLength: number;
  readonly hidden: number;
  readonly ff: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly ropeTheta?: number;
  readonly rmsEps?: number;
  /** Write tokenizer.ggml.fim_*_token_id (for the tokens the vocabulary has). */
  readonly fimKeys: boolean;
  /** Special token whose id is the padding id, when the vocabulary has it; else <|endoftext|>. */
  readonly paddingToken?: string;
}

const FILE_TYPE: Record<GgmlType, number> = { [GgmlType.F32]: 0, [GgmlType.F16]: 1, [GgmlType.Q8_0]: 7 };

const FIM_KEYS: ReadonlyArray<[key: string, token: string]> = [
  ['tokenizer.ggml.fim_pre_token_id', '<|fim_prefix|>'],
  ['tokenizer.ggml.fim_suf_token_id', '<|fim_suffix|>'],
  ['tokenizer.ggml.fim_mid_token_id', '<|fim_middle|>'],
  ['tokenizer.ggml.fim_pad_token_id', '<|fim_pad|>'],
  ['tokenizer.ggml.fim_rep_token_id', '<|repo_name|>'],
  ['tokenizer.ggml.fim_sep_token_id', '<|file_sep|>'],
];

export function addQwen2Metadata(w: GgufWriter, meta: Qwen2Metadata, vocab: Vocabulary): void {
  const eot = vocab.specialIds.get('<|endoftext|>');
  if (eot === undefined) throw new Error('the vocabulary needs <|endoftext|>');
  const arch = 'qwen2';
  w.addString('general.architecture', arch)
    .addString('general.type', 'model')
    .addString('general.name', meta.name);
  if (meta.license !== undefined) w.addString('general.license', meta.license);
  if (meta.description !== undefined) w.addString('general.description', meta.description);
  w.addUint32('general.file_type', FILE_TYPE[meta.weightType])
    .addUint32('general.quantization_version', 2)
    .addUint32(`${arch}.block_count`, meta.layers)
    .addUint32(`${arch}.context_length`, meta.contextLength)
    .addUint32(`${arch}.embedding_length`, meta.hidden)
    .addUint32(`${arch}.feed_forward_length`, meta.ff)
    .addUint32(`${arch}.attention.head_count`, meta.heads)
    .addUint32(`${arch}.attention.head_count_kv`, meta.kvHeads)
    .addFloat32(`${arch}.rope.freq_base`, meta.ropeTheta ?? 1e6)
    .addFloat32(`${arch}.attention.layer_norm_rms_epsilon`, meta.rmsEps ?? 1e-6);

  const padding = (meta.paddingToken === undefined ? undefined : vocab.specialIds.get(meta.paddingToken)) ?? eot;
  w.addString('tokenizer.ggml.model', 'gpt2')
    .addString('tokenizer.ggml.pre', 'qwen2')
    .addArray('tokenizer.ggml.tokens', GgufValueType.STRING, vocab.tokens)
    .addArray('tokenizer.ggml.token_type', GgufValueType.INT32, vocab.types)
    .addArray('tokenizer.ggml.merges', GgufValueType.STRING, vocab.merges) // required for "gpt2"
    .addUint32('tokenizer.ggml.eos_token_id', eot)
    .addUint32('tokenizer.ggml.bos_token_id', eot)
    .addUint32('tokenizer.ggml.padding_token_id', padding)
    .addBool('tokenizer.ggml.add_bos_token', false)
    .addBool('tokenizer.ggml.add_eos_token', false);
  if (!meta.fimKeys) return;
  for (const [key, token] of FIM_KEYS) {
    const id = vocab.specialIds.get(token);
    if (id !== undefined) w.addUint32(key, id);
  }
}
