// The generated models the project tests with. Weights are random: these files test
// loading, tokenization, FIM plumbing and speed, never completion quality.

import { GgmlType } from './ggufWriter';
import type { Qwen2Spec } from './qwen2Model';
import {
  FIM_TOKENS, QWEN_FIRST_SPECIAL_ID, QWEN_SPECIAL_TOKENS, QWEN_VOCAB_SIZE, type VocabularyLayout,
} from './vocabulary';

export interface Preset {
  readonly description: string;
  /** BPE merges learned from the pinned corpus (a prefix of the same list for every preset). */
  readonly merges: number;
  readonly vocab: VocabularyLayout;
  readonly model: Qwen2Spec;
}

const TINY_SPECIALS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>', ...FIM_TOKENS];
const tinyShape = { layers: 2, hidden: 64, heads: 4, kvHeads: 2, ff: 128, contextLength: 32768 } as const;
const qwenVocab: VocabularyLayout = {
  specials: QWEN_SPECIAL_TOKENS, firstSpecialId: QWEN_FIRST_SPECIAL_ID, size: QWEN_VOCAB_SIZE,
};

export const PRESETS = {
  tiny: {
    description: 'FIM model for tests: 2 layers, hidden 64, 300 merges, specials after the regular tokens, Q8_0',
    merges: 300,
    vocab: { specials: TINY_SPECIALS },
    model: { name: 'generated-tiny-fim-qwen2', ...tinyShape, weightType: GgmlType.Q8_0, seed: 1, fimKeys: true, printableHead: true },
  },
  'tiny-nofim': {
    description: 'like tiny, but no FIM/repo/file-sep tokens and no fim keys (a model that cannot infill)',
    merges: 300,
    vocab: { specials: ['<|endoftext|>', '<|im_start|>', '<|im_end|>'] },
    model: { name: 'generated-tiny-nofim-qwen2', ...tinyShape, weightType: GgmlType.Q8_0, seed: 1, fimKeys: false },
  },
  'tiny-othervocab': {
    description: 'tiny FIM model with a different vocabulary (200 merges): not a valid draft for tiny',
    merges: 200,
    vocab: { specials: TINY_SPECIALS },
    model: { name: 'generated-tiny-othervocab-qwen2', ...tinyShape, weightType: GgmlType.Q8_0, seed: 4, fimKeys: true, printableHead: true },
  },
  'qwen05b-shape': {
    description: 'Qwen2.5-Coder-0.5B exact shapes and special-token ids, 151936 vocabulary, Q8_0 (~500 MB)',
    merges: 4000,
    vocab: qwenVocab,
    model: {
      name: 'generated-qwen2.5-coder-0.5b-shape', layers: 24, hidden: 896, heads: 14, kvHeads: 2, ff: 4864,
      contextLength: 32768, weightType: GgmlType.Q8_0, seed: 2, fimKeys: true,
    },
  },
  draft: {
    description: 'draft for qwen05b-shape: same vocabulary and merges, 4 layers, hidden 256, Q8_0',
    merges: 4000,
    vocab: qwenVocab,
    model: {
      name: 'generated-draft-4l-256', layers: 4, hidden: 256, heads: 4, kvHeads: 2, ff: 1024,
      contextLength: 32768, weightType: GgmlType.Q8_0, seed: 3, fimKeys: true,
    },
  },
} as const satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function isPresetName(name: string): name is PresetName {
  return Object.prototype.hasOwnProperty.call(PRESETS, name);
}
