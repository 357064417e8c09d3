import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { getMerges, learnMerges, loadCorpus, type Merge } from '../../models/gguf/bpeMerges';
import {
  BYTE_TO_CHAR, BYTE_TOKENS_IN_VOCAB_ORDER, bpeEncodeWord, countPretokens, pretokenize, toByteChars,
} from '../../models/gguf/byteLevel';
import { buildVocabulary, TokenType } from '../../models/gguf/vocabulary';

test('GPT-2 byte map: 256 distinct printable characters, in vocabulary order', () => {
  assert.equal(new Set(BYTE_TO_CHAR).size, 256);
  assert.equal(BYTE_TO_CHAR[0x20], 'Ġ');
  assert.equal(BYTE_TO_CHAR[0x0a], 'Ċ');
  assert.equal(BYTE_TO_CHAR[0x09], 'ĉ');
  assert.equal(BYTE_TO_CHAR[0x41], 'A');
  assert.equal(BYTE_TOKENS_IN_VOCAB_ORDER[0], '!');
  assert.equal(BYTE_TOKENS_IN_VOCAB_ORDER.length, 256);
  assert.deepEqual(new Set(BYTE_TOKENS_IN_VOCAB_ORDER), new Set(BYTE_TO_CHAR));
  assert.deepEqual(toByteChars('é '), ['Ã', '©', 'Ġ']);
});

test('qwen2 pre-tokenizer splits like llama.cpp', () => {
  assert.deepEqual(pretokenize("hello world  foo\n\tbar's 123 x_y=é世界;\r\n  }"), [
    'hello', ' world', ' ', ' foo', '\n', '\tbar', "'s", ' ', '1', '2', '3', ' x', '_y', '=é世界', ';\r\n', ' ', ' }',
  ]);
  assert.deepEqual([...countPretokens('a a a b')], [['a', 1], [' a', 2], [' b', 1]]);
});

/** Plain BPE that recounts every pair each step: the reference the incremental version must match. */
function naiveMerges(wordCounts: Map<string, number>, count: number): Merge[] {
  const LIMIT = 1 << 20;
  const symbols = [...BYTE_TO_CHAR];
  const words = [...wordCounts].map(([w, f]) => ({ syms: Array.from(Buffer.from(w, 'utf8')), f }));
  const merges: Merge[] = [];
  while (merges.length < count) {
    const counts = new Map<number, number>();
    for (const { syms, f } of words) {
      for (let i = 0; i + 1 < syms.length; i++) {
        const k = syms[i] * LIMIT + syms[i + 1];
        counts.set(k, (counts.get(k) ?? 0) + f);
      }
    }
    let best = -1;
    let bestCount = 0;
    for (const [k, c] of counts) if (c > bestCount || (c === bestCount && k < best)) [best, bestCount] = [k, c];
    if (bestCount < 2) break;
    const a = Math.floor(best / LIMIT);
    const b = best % LIMIT;
    merges.push([symbols[a], symbols[b]]);
    symbols.push(symbols[a] + symbols[b]);
    for (const w of words) {
      const next: number[] = [];
      for (let i = 0; i < w.syms.length; i++) {
        if (i + 1 < w.syms.length && w.syms[i] === a && w.syms[i + 1] === b) {
          next.push(symbols.length - 1);
          i++;
        } else next.push(w.syms[i]);
      }
      w.syms = next;
    }
  }
  return merges;
}

test('learnMerges: classic example, ties broken by symbol ids', () => {
  const words = new Map([['low', 5], ['lower', 2], ['newest', 6], ['widest', 3]]);
  const merges = learnMerges(words, 4);
  assert.deepEqual(merges.slice(0, 2), [['e', 's'], ['es', 't']]);
  assert.deepEqual(merges, naiveMerges(words, 4));
  assert.deepEqual(learnMerges(new Map([['ab', 1]]), 5), [], 'a pair seen once is never merged');
  assert.deepEqual(learnMerges(new Map([['aaaa', 3]]), 5), [['a', 'a'], ['aa', 'aa']]);
});

test('learnMerges: incremental counts match a full recount on real code; prefix property', () => {
  const words = countPretokens(loadCorpus().text.slice(0, 60_000));
  const fast = learnMerges(words, 150);
  assert.equal(fast.length, 150);
  assert.deepEqual(fast, naiveMerges(words, 150));
  assert.deepEqual(learnMerges(words, 40), fast.slice(0, 40));
});

test('bpeEncodeWord applies merges by rank', () => {
  const ranks = new Map([['e s', 0], ['es t', 1], ['Ġ w', 2]]);
  assert.deepEqual(bpeEncodeWord(' west', ranks), ['Ġw', 'est']);
});

test('buildVocabulary lays out bytes, merges, filler, specials and padding', () => {
  const merges: Merge[] = [['a', 'b'], ['ab', 'c'], ['a', 'b']];
  const v = buildVocabulary(merges, { specials: ['<|endoftext|>', '<|fim_prefix|>'], firstSpecialId: 260, size: 264 });
  assert.equal(v.tokens.length, 264);
  assert.deepEqual(v.tokens.slice(256, 262), ['ab', 'abc', 'Ġ_d0', 'Ġ_d1', '<|endoftext|>', '<|fim_prefix|>']);
  assert.deepEqual(v.tokens.slice(262), ['[PAD262]', '[PAD263]']);
  assert.equal(v.specialIds.get('<|fim_prefix|>'), 261);
  assert.equal(v.types[0], TokenType.NORMAL);
  assert.equal(v.types[260], TokenType.CONTROL);
  assert.equal(v.types[263], TokenType.UNUSED);
  assert.deepEqual(v.merges, ['a b', 'ab c', 'a b']);
  const compact = buildVocabulary(merges, { specials: ['<|endoftext|>'] });
  assert.equal(compact.specialIds.get('<|endoftext|>'), 258);
  assert.throws(() => buildVocabulary(merges, { specials: ['x'], firstSpecialId: 257 }), /do not fit/);
  assert.throws(() => buildVocabulary(merges, { specials: ['ab'] }), /also a regular token/);
});

test('getMerges caches per corpus and cuts longer cached lists', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gguf-merges-'));
  try {
    const m60 = getMerges(60, dir);
    const file = path.join(dir, 'merges-60.txt');
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.match(lines[0], /^#corpus node-llama-cpp@\S+\/dist \d+ files sha256:[0-9a-f]{16}$/);
    assert.equal(lines.length, 61);
    assert.deepEqual(getMerges(60, dir), m60);
    // Smaller counts come from the cached longer list (marked to prove it was read).
    fs.writeFileSync(file, [lines[0], 'Ġ MARK', ...lines.slice(2)].join('\n') + '\n');
    assert.deepEqual(getMerges(10, dir)[0], ['Ġ', 'MARK']);
    // A cache from another corpus is ignored.
    fs.writeFileSync(file, ['#corpus other', ...lines.slice(1)].join('\n') + '\n');
    assert.deepEqual(getMerges(10, dir), m60.slice(0, 10));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
