"""Byte-level BPE for llama.cpp's "gpt2" tokenizer type with pre-tokenizer "qwen2".

The vocabulary is laid out exactly as the project's TypeScript GGUF writer builds it
(models/gguf/vocabulary.ts buildVocabulary): the 256 byte tokens in GPT-2 vocabulary order
(printable bytes first), then each merge result that is new, in merge order, then the special
tokens. Encoding works on token *strings* with merge ranks, as llama.cpp's llm_tokenizer_bpe does,
so the ids here are the ids llama.cpp produces for the exported GGUF.
"""
import collections
import heapq
import json
import time

import regex

# llama.cpp's LLAMA_VOCAB_PRE_TYPE_QWEN2 expression (Qwen2's tokenizer.json pre-tokenizer).
PRETOKENIZE = regex.compile(
    r"""(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+""")

# Qwen2.5-Coder's special tokens that code completion uses, in Qwen's relative order.
SPECIALS = ['<|endoftext|>', '<|fim_prefix|>', '<|fim_middle|>', '<|fim_suffix|>', '<|fim_pad|>',
            '<|repo_name|>', '<|file_sep|>']


def _byte_chars():
    printable = list(range(0x21, 0x7f)) + list(range(0xa1, 0xad)) + list(range(0xae, 0x100))
    ps = set(printable)
    char, shifted = {}, 0
    for b in range(256):
        if b in ps:
            char[b] = chr(b)
        else:
            char[b] = chr(256 + shifted)
            shifted += 1
    order = printable + [b for b in range(256) if b not in ps]
    return char, [char[b] for b in order]


BYTE_CHAR, BYTE_TOKENS = _byte_chars()          # byte -> vocabulary character; 256 tokens in vocab order
CHAR_BYTE = {c: b for b, c in BYTE_CHAR.items()}


def to_chars(text):
    return ''.join(BYTE_CHAR[b] for b in text.encode('utf-8'))


def count_pretokens(texts):
    counts = collections.Counter()
    for t in texts:
        counts.update(PRETOKENIZE.findall(t))
    return counts


def learn_merges(word_counts, n_tokens, log=print):
    """Greedy BPE: merge the most frequent adjacent pair (ties: smallest pair of symbol ids)
    until the vocabulary has n_tokens regular tokens. Returns [(left, right)] as token strings."""
    t0 = time.time()
    sym_text = list(BYTE_TOKENS)                       # symbol id -> token string
    sym_of = {s: i for i, s in enumerate(sym_text)}
    words, freqs = [], []
    for w, c in word_counts.items():
        syms = [sym_of[ch] for ch in to_chars(w)]
        if len(syms) >= 2:
            words.append(syms)
            freqs.append(c)
    pairs = collections.defaultdict(int)
    where = collections.defaultdict(set)
    for i, w in enumerate(words):
        f = freqs[i]
        for a, b in zip(w, w[1:]):
            pairs[(a, b)] += f
            where[(a, b)].add(i)
    heap = [(-c, p) for p, c in pairs.items()]
    heapq.heapify(heap)
    merges, vocab = [], set(sym_text)
    log(f'bpe: {len(words)} distinct pre-tokens, target {n_tokens} tokens')
    while len(vocab) < n_tokens and heap:
        negc, p = heapq.heappop(heap)
        c = pairs.get(p, 0)
        if c != -negc:
            if c > 0: heapq.heappush(heap, (-c, p))
            continue
        if c < 2: break
        text = sym_text[p[0]] + sym_text[p[1]]
        merges.append((sym_text[p[0]], sym_text[p[1]]))
        vocab.add(text)
        new = len(sym_text)
        sym_text.append(text)
        touched = {}
        for i in where.pop(p, ()):
            w = words[i]; f = freqs[i]
            out, j, hit = [], 0, False
            while j < len(w):
                if j + 1 < len(w) and w[j] == p[0] and w[j + 1] == p[1]:
                    out.append(new); j += 2; hit = True
                else:
                    out.append(w[j]); j += 1
            if not hit: continue
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] -= f; touched[(a, b)] = True
            for a, b in zip(out, out[1:]):
                pairs[(a, b)] += f; touched[(a, b)] = True
                if a == new or b == new: where[(a, b)].add(i)
            words[i] = out
        pairs.pop(p, None)
        for q in touched:
            cq = pairs.get(q, 0)
            if cq > 0: heapq.heappush(heap, (-cq, q))
            else: pairs.pop(q, None)
        if len(merges) % 2000 == 0:
            log(f'bpe: {len(merges)} merges, {len(vocab)} tokens, {time.time() - t0:.0f}s, last {text!r}')
    return merges


class Tokenizer:
    def __init__(self, merges, specials=SPECIALS):
        self.merges = [tuple(m) for m in merges]
        self.rank = {m: i for i, m in enumerate(self.merges)}
        tokens = list(BYTE_TOKENS)
        seen = set(tokens)
        for l, r in self.merges:
            if l + r not in seen:
                seen.add(l + r); tokens.append(l + r)
        self.n_regular = len(tokens)
        self.specials = list(specials)
        tokens += self.specials
        self.tokens = tokens
        self.id_of = {t: i for i, t in enumerate(tokens)}
        self.special_ids = {s: self.id_of[s] for s in self.specials}
        self.vocab_size = len(tokens)
        self.bytes_of = [bytes(CHAR_BYTE[c] for c in t) for t in tokens[:self.n_regular]] + [s.encode() for s in self.specials]
        self._cache = {}
        self._special_split = regex.compile('(' + '|'.join(regex.escape(s) for s in self.specials) + ')')

    def _bpe(self, piece):
        ids = self._cache.get(piece)
        if ids is not None: return ids
        parts = [BYTE_CHAR[b] for b in piece.encode('utf-8')]
        rank = self.rank
        while len(parts) > 1:
            best, at = None, -1
            for i in range(len(parts) - 1):
                r = rank.get((parts[i], parts[i + 1]))
                if r is not None and (best is None or r < best):
                    best, at = r, i
            if best is None: break
            l, r = self.merges[best]
            out, i = [], 0
            while i < len(parts):   # merge every occurrence of the best pair, left to right
                if i + 1 < len(parts) and parts[i] == l and parts[i + 1] == r:
                    out.append(l + r); i += 2
                else:
                    out.append(parts[i]); i += 1
            parts = out
        ids = [self.id_of[p] for p in parts]
        if len(self._cache) < 1_000_000: self._cache[piece] = ids
        return ids

    def encode(self, text, allow_special=False):
        """Token ids of text. Special-token text stays text unless allow_special."""
        out = []
        chunks = self._special_split.split(text) if allow_special else [text]
        for chunk in chunks:
            if allow_special and chunk in self.special_ids:
                out.append(self.special_ids[chunk]); continue
            for piece in PRETOKENIZE.findall(chunk):
                out.extend(self._bpe(piece))
        return out

    def decode_bytes(self, ids):
        return b''.join(self.bytes_of[i] for i in ids)

    def decode(self, ids):
        return self.decode_bytes(ids).decode('utf-8', errors='replace')

    def to_json(self):
        return dict(format='byte-level-bpe/qwen2-pre', merges=[f'{l} {r}' for l, r in self.merges],
                    specials=self.specials, tokens=self.tokens)

    def save(self, path):
        with open(path, 'w', encoding='utf-8') as f:
            json.dump(self.to_json(), f, ensure_ascii=False)

    @staticmethod
    def load(path):
        with open(path, encoding='utf-8') as f:
            d = json.load(f)
        tok = Tokenizer([tuple(m.split(' ')) for m in d['merges']], d['specials'])
        assert tok.tokens == d['tokens'], 'tokenizer file is inconsistent'
        return tok
