// Token list of a byte-level BPE vocabulary laid out like Qwen2.5's:
//   [256 byte tokens][merge results][filler up to firstSpecialId][specials][[PADn] up to size]
// Filler tokens are never produced by tokenization (no merge builds them); they only exist
// so that special tokens sit at their real Qwen ids. PAD tokens mirror how llama.cpp's
// converter pads the 151665-token Qwen tokenizer to the 151936-row embedding.

import { BYTE_TOKENS_IN_VOCAB_ORDER } from './byteLevel';
import type { Merge } from './bpeMerges';

/** llama.cpp token types (tokenizer.ggml.token_type). */
export const TokenType = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, USER_DEFINED: 4, UNUSED: 5, BYTE: 6 } as const;

/** Qwen2.5(-Coder) special tokens, in id order from 151643. */
export const QWEN_SPECIAL_TOKENS: readonly string[] = [
  '<|endoftext|>', '<|im_start|>', '<|im_end|>', '<|object_ref_start|>', '<|object_ref_end|>',
  '<|box_start|>', '<|box_end|>', '<|quad_start|>', '<|quad_end|>', '<|vision_start|>',
  '<|vision_end|>', '<|vision_pad|>', '<|image_pad|>', '<|video_pad|>', '<tool_call>',
  '</tool_call>', '<|fim_prefix|>', '<|fim_middle|>', '<|fim_suffix|>', '<|fim_pad|>',
  '<|repo_name|>', '<|file_sep|>',
];
export const QWEN_FIRST_SPECIAL_ID = 151643;
export const QWEN_VOCAB_SIZE = 151936;

/** Tokens whose text makes llama.cpp treat a model as FIM-capable (it detects them by text). */
export const FIM_TOKENS: readonly string[] = [
  '<|fim_prefix|>', '<|fim_middle|>', '<|fim_suffix|>', '<|fim_pad|>', '<|repo_name|>', '<|file_sep|>',
];

export interface Vocabulary {
  readonly tokens: readonly string[];
  readonly types: readonly number[];
  /** "left right" strings, rank order. */
  readonly merges: readonly string[];
  readonly specialIds: ReadonlyMap<string, number>;
}

export interface VocabularyLayout {
  readonly specials: readonly string[];
  /** Id of the first special token; default: right after the merge results. */
  readonly firstSpecialId?: number;
  /** Total size (padded with [PADn]); default: no padding. */
  readonly size?: number;
}

export function buildVocabulary(merges: readonly Merge[], layout: VocabularyLayout): Vocabulary {
  const tokens: string[] = [...BYTE_TOKENS_IN_VOCAB_ORDER];
  const seen = new Set(tokens);
  for (const [left, right] of merges) {
    const t = left + right;
    if (!seen.has(t)) {
      seen.add(t);
      tokens.push(t);
    }
  }
  const firstSpecial = layout.firstSpecialId ?? tokens.length;
  if (tokens.length > firstSpecial) {
    throw new Error(`${tokens.length} regular tokens do not fit below special id ${firstSpecial}`);
  }
  // "Ġ_d<n>" reads as " _d<n>": harmless text if a random model ever samples one.
  for (let i = 0; tokens.length < firstSpecial; i++) {
    const t = `Ġ_d${i}`;
    if (!seen.has(t)) {
      seen.add(t);
      tokens.push(t);
    }
  }
  const types: number[] = new Array<number>(tokens.length).fill(TokenType.NORMAL);
  const specialIds = new Map<string, number>();
  for (const s of layout.specials) {
    if (seen.has(s)) throw new Error(`special token ${s} is also a regular token`);
    seen.add(s);
    specialIds.set(s, tokens.length);
    tokens.push(s);
    types.push(TokenType.CONTROL);
  }
  const size = layout.size ?? tokens.length;
  if (tokens.length > size) throw new Error(`${tokens.length} tokens exceed vocabulary size ${size}`);
  while (tokens.length < size) {
    tokens.push(`[PAD${tokens.length}]`);
    types.push(TokenType.UNUSED);
  }
  return { tokens, types, merges: merges.map(([l, r]) => `${l} ${r}`), specialIds };
}
