// A random-weight model in llama.cpp's "qwen2" architecture (what Qwen2.5-Coder converts
// to): tied input/output embeddings (no output.weight), q/k/v biases, RMS norm, RoPE with
// base 1e6, and a "gpt2" byte-level BPE tokenizer with pre-tokenizer "qwen2". With real
// shapes it costs exactly what the real model costs per token; its output is noise.

import { GgmlType, GgufValueType, GgufWriter, type TensorFill } from './ggufWriter';
import { Prng } from './prng';
import { BYTE_TO_CHAR } from './byteLevel';
import { TokenType, type Vocabulary } from './vocabulary';

export interface Qwen2Spec {
  readonly name: string;
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly ff: number;
  readonly contextLength: number;
  /** Type of the big matrices; norms and biases stay F32 as in converted models. */
  readonly weightType: GgmlType;
  readonly seed: number;
  /** Write tokenizer.ggml.fim_*_token_id (when the vocabulary has the tokens). */
  readonly fimKeys: boolean;
  readonly ropeTheta?: number;
  readonly rmsEps?: number;
  /** Standard deviation of the random weights. */
  readonly std?: number;
  /**
   * Write a separate LM head (output.weight) whose rows are zero except for tokens of printable
   * ASCII text. With tied embeddings a shallow random model just repeats its last input token
   * (for a FIM prompt: the <|fim_middle|> control token, i.e. no text at all); this head makes a
   * tiny model write visible, varied code-like text, which tests of the editor path need.
   */
  readonly printableHead?: boolean;
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

/** Count of weights in the matrices (what "0.5B" counts, minus norms and biases). */
export function qwen2MatrixParams(spec: Qwen2Spec, vocabSize: number): number {
  const kv = (spec.hidden / spec.heads) * spec.kvHeads;
  return vocabSize * spec.hidden + spec.layers * (2 * spec.hidden * spec.hidden + 2 * spec.hidden * kv + 3 * spec.hidden * spec.ff);
}

export function buildQwen2Gguf(spec: Qwen2Spec, vocab: Vocabulary): GgufWriter {
  if (spec.hidden % spec.heads !== 0 || spec.heads % spec.kvHeads !== 0) {
    throw new Error(`bad head layout: hidden ${spec.hidden}, heads ${spec.heads}, kv heads ${spec.kvHeads}`);
  }
  const eot = vocab.specialIds.get('<|endoftext|>');
  if (eot === undefined) throw new Error('the vocabulary needs <|endoftext|>');
  const w = new GgufWriter();
  const arch = 'qwen2';
  w.addString('general.architecture', arch)
    .addString('general.type', 'model')
    .addString('general.name', spec.name)
    .addUint32('general.file_type', FILE_TYPE[spec.weightType])
    .addUint32('general.quantization_version', 2)
    .addUint32(`${arch}.block_count`, spec.layers)
    .addUint32(`${arch}.context_length`, spec.contextLength)
    .addUint32(`${arch}.embedding_length`, spec.hidden)
    .addUint32(`${arch}.feed_forward_length`, spec.ff)
    .addUint32(`${arch}.attention.head_count`, spec.heads)
    .addUint32(`${arch}.attention.head_count_kv`, spec.kvHeads)
    .addFloat32(`${arch}.rope.freq_base`, spec.ropeTheta ?? 1e6)
    .addFloat32(`${arch}.attention.layer_norm_rms_epsilon`, spec.rmsEps ?? 1e-6);

  w.addString('tokenizer.ggml.model', 'gpt2')
    .addString('tokenizer.ggml.pre', 'qwen2')
    .addArray('tokenizer.ggml.tokens', GgufValueType.STRING, vocab.tokens)
    .addArray('tokenizer.ggml.token_type', GgufValueType.INT32, vocab.types)
    .addArray('tokenizer.ggml.merges', GgufValueType.STRING, vocab.merges) // required for "gpt2"
    .addUint32('tokenizer.ggml.eos_token_id', eot)
    .addUint32('tokenizer.ggml.bos_token_id', eot)
    .addUint32('tokenizer.ggml.padding_token_id', eot)
    .addBool('tokenizer.ggml.add_bos_token', false)
    .addBool('tokenizer.ggml.add_eos_token', false);
  if (spec.fimKeys) {
    for (const [key, token] of FIM_KEYS) {
      const id = vocab.specialIds.get(token);
      if (id !== undefined) w.addUint32(key, id);
    }
  }

  const std = spec.std ?? 0.02;
  // Each tensor has its own stream (seed + name): its values do not depend on tensor order.
  const random = (name: string): TensorFill => {
    let rng = new Prng(`${spec.seed}:${name}`);
    return (chunk, start) => {
      if (start === 0) rng = new Prng(`${spec.seed}:${name}`); // a second write() repeats the values
      rng.fillNormal(chunk, std);
    };
  };
  const ones: TensorFill = (chunk) => chunk.fill(1);
  const { hidden: n, ff, weightType: wt } = spec;
  const kv = (n / spec.heads) * spec.kvHeads;
  const nVocab = vocab.tokens.length;
  const matrix = (name: string, cols: number, rows: number): void => {
    w.addTensor(name, [cols, rows], wt, random(name));
  };
  const vector = (name: string, len: number, fill?: TensorFill): void => {
    w.addTensor(name, [len], GgmlType.F32, fill ?? random(name));
  };

  matrix('token_embd.weight', n, nVocab); // also the LM head (tied)
  for (let i = 0; i < spec.layers; i++) {
    const p = `blk.${i}.`;
    vector(`${p}attn_norm.weight`, n, ones);
    matrix(`${p}attn_q.weight`, n, n);
    vector(`${p}attn_q.bias`, n);
    matrix(`${p}attn_k.weight`, n, kv);
    vector(`${p}attn_k.bias`, kv);
    matrix(`${p}attn_v.weight`, n, kv);
    vector(`${p}attn_v.bias`, kv);
    matrix(`${p}attn_output.weight`, n, n);
    vector(`${p}ffn_norm.weight`, n, ones);
    matrix(`${p}ffn_gate.weight`, n, ff);
    matrix(`${p}ffn_up.weight`, n, ff);
    matrix(`${p}ffn_down.weight`, ff, n);
  }
  vector('output_norm.weight', n, ones);
  if (spec.printableHead) {
    const keep = printableRows(vocab);
    const head = random('output.weight');
    w.addTensor('output.weight', [n, nVocab], wt, (chunk, start) => {
      head(chunk, start);
      for (let i = 0; i < chunk.length; i++) if (!keep[Math.floor((start + i) / n)]) chunk[i] = 0;
    });
  }
  return w;
}

/** Per token: true when it is a normal token that decodes to printable ASCII (or a newline). */
function printableRows(vocab: Vocabulary): boolean[] {
  const printable = new Set<string>();
  for (let b = 0x20; b < 0x7f; b++) printable.add(BYTE_TO_CHAR[b]);
  printable.add(BYTE_TO_CHAR[0x0a]);
  return vocab.tokens.map((t, i) => vocab.types[i] === TokenType.NORMAL && [...t].every((c) => printable.has(c)));
}
