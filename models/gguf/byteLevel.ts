// Byte-level pieces of a "gpt2"-type tokenizer as llama.cpp expects them.
// Token texts are not raw bytes: every byte is written as one printable Unicode character
// (GPT-2's bytes_to_unicode map, e.g. space -> "Ġ", newline -> "Ċ"), and llama.cpp maps
// them back when detokenizing. Text is first split into pre-tokens by a regex; merges never
// cross pre-token boundaries.

/** BYTE_TO_CHAR[b] is the vocabulary character of byte b. */
export const BYTE_TO_CHAR: readonly string[] = buildByteToChar();

/**
 * The 256 byte characters in GPT-2 vocabulary order (printable bytes first, then the rest),
 * which is the order real GPT-2 / Qwen vocabularies start with.
 */
export const BYTE_TOKENS_IN_VOCAB_ORDER: readonly string[] = buildVocabOrder();

function printableBytes(): number[] {
  const out: number[] = [];
  const ranges: Array<[number, number]> = [[0x21, 0x7e], [0xa1, 0xac], [0xae, 0xff]];
  for (const [lo, hi] of ranges) for (let b = lo; b <= hi; b++) out.push(b);
  return out;
}

function buildByteToChar(): string[] {
  // Printable bytes stand for themselves; the others are shifted to 256, 257, ... in order.
  const map = new Array<string>(256);
  const printable = new Set(printableBytes());
  let shifted = 0;
  for (let b = 0; b < 256; b++) {
    map[b] = String.fromCodePoint(printable.has(b) ? b : 256 + shifted++);
  }
  return map;
}

function buildVocabOrder(): string[] {
  const printable = printableBytes();
  const set = new Set(printable);
  const rest: number[] = [];
  for (let b = 0; b < 256; b++) if (!set.has(b)) rest.push(b);
  return [...printable, ...rest].map((b) => BYTE_TO_CHAR[b]);
}

/** Vocabulary characters of the UTF-8 bytes of `text`. */
export function toByteChars(text: string): string[] {
  return Array.from(Buffer.from(text, 'utf8'), (b) => BYTE_TO_CHAR[b]);
}

/**
 * llama.cpp's pre-tokenizer regex for tokenizer.ggml.pre = "qwen2" (from Qwen2's
 * tokenizer.json). JS `u` regexes support \p{L}/\p{N}, so this is the same expression;
 * only \s differs slightly at the Unicode margins, which is fine for learning merges.
 */
const QWEN2_PRETOKENIZER =
  /(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;

/** Splits text into pre-tokens (each later encoded on its own). */
export function pretokenize(text: string): string[] {
  return text.match(QWEN2_PRETOKENIZER) ?? [];
}

/** Counts pre-tokens in text: the "words" BPE merges are learned over. */
export function countPretokens(text: string, into = new Map<string, number>()): Map<string, number> {
  for (const m of text.matchAll(QWEN2_PRETOKENIZER)) into.set(m[0], (into.get(m[0]) ?? 0) + 1);
  return into;
}

/**
 * Reference BPE encoding of one pre-token with ranked merges (lowest rank first), the way
 * llama.cpp applies them: used by tests to predict token texts.
 */
export function bpeEncodeWord(word: string, ranks: ReadonlyMap<string, number>): string[] {
  let parts = toByteChars(word);
  for (;;) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i + 1 < parts.length; i++) {
      const r = ranks.get(parts[i] + ' ' + parts[i + 1]);
      if (r !== undefined && r < bestRank) {
        bestRank = r;
        best = i;
      }
    }
    if (best < 0) return parts;
    parts = [...parts.slice(0, best), parts[best] + parts[best + 1], ...parts.slice(best + 2)];
  }
}
