// A random-weight model in llama.cpp's "qwen2" architecture (what Qwen2.5-Coder converts
// to): tied input/output embeddings (no output.weight), q/k/v biases, RMS norm, RoPE with
// base 1e6, and a "gpt2" byte-level BPE tokenizer with pre-tokenizer "qwen2". With real
// shapes it costs exactly what the real model costs per token; its output is noise.

import { GgmlType, GgufWriter, type TensorFill } from './ggufWriter';
import { Prng } from './prng';
import { addQwen2Metadata, type Qwen2Metadata } from './qwen2Metadata';
import { BYTE_TO_CHAR } from './byteLevel';
import { TokenType, type Vocabulary } from './vocabulary';

/** The metadata (shape, tokenizer keys) plus how the random weights are drawn. */
export interface Qwen2Spec extends Qwen2Metadata {
  readonly seed: number;
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

/** Count of weights in the matrices (what "0.5B" counts, minus norms and biases). */
export function qwen2MatrixParams(spec: Qwen2Spec, vocabSize: number): number {
  const kv = (spec.hidden / spec.heads) * spec.kvHeads;
  return vocabSize * spec.hidden + spec.layers * (2 * spec.hidden * spec.hidden + 2 * spec.hidden * kv + 3 * spec.hidden * spec.ff);
}

export function buildQwen2Gguf(spec: Qwen2Spec, vocab: Vocabulary): GgufWriter {
  if (spec.hidden % spec.heads !== 0 || spec.heads % spec.kvHeads !== 0) {
    throw new Error(`bad head layout: hidden ${spec.hidden}, heads ${spec.heads}, kv heads ${spec.kvHeads}`);
  }
  const w = new GgufWriter();
  addQwen2Metadata(w, spec, vocab);

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
