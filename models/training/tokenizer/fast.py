"""The training tokenizer (bpe.Tokenizer) with encoding done by Hugging Face `tokenizers` when
that package is installed (the GPU machine has it; Debian's Python here does not), after checking
that it gives bpe.py's ids (= llama.cpp's) on real text. Otherwise bpe.py encodes.

The Rust BPE gets the same pieces: the qwen2 pre-tokenizer expression (Split, isolated), then the
GPT-2 byte-to-character map without its own regex (ByteLevel, use_regex=False), and the same merge
ranks. Special-token text stays text (no added tokens), as in bpe.Tokenizer.encode.
"""
import os
import bpe


def hf_encoder(tok):
    os.environ.setdefault('TOKENIZERS_PARALLELISM', 'false')   # workers are forked processes
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers
    vocab = {t: i for i, t in enumerate(tok.tokens[:tok.n_regular])}
    model = models.BPE(vocab=vocab, merges=[tuple(m) for m in tok.merges], fuse_unk=False)
    hf = Tokenizer(model)
    hf.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(bpe.PRETOKENIZE.pattern), behavior='isolated', invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    hf.decoder = decoders.ByteLevel()
    return hf


class FastTokenizer:
    """encode()/special_ids/vocab_size like bpe.Tokenizer; `backend` says which one encodes."""

    def __init__(self, path, check_texts=(), prefer_hf=True):
        self.slow = bpe.Tokenizer.load(path)
        self.special_ids, self.vocab_size = self.slow.special_ids, self.slow.vocab_size
        self.backend, self.why, self._hf = 'bpe.py', 'tokenizers not tried', None
        if not prefer_hf: return
        try:
            hf = hf_encoder(self.slow)
        except Exception as e:    # not installed, or an API difference: bpe.py is correct, only slower
            self.why = f'tokenizers unavailable: {type(e).__name__}: {e}'[:300]; return
        checked = 0
        for text in check_texts:
            a, b = self.slow.encode(text), hf.encode(text, add_special_tokens=False).ids
            if a != b:
                at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
                self.why = f'tokenizers differs from bpe.py at token {at} of a {len(text)}-character text'; return
            checked += len(text)
        if checked == 0:
            self.why = 'no text to check tokenizers against'; return
        self._hf, self.backend, self.why = hf, 'tokenizers', f'identical to bpe.py on {checked} characters'

    def encode(self, text):
        if self._hf is None: return self.slow.encode(text)
        return self._hf.encode(text, add_special_tokens=False).ids

    def decode(self, ids):
        return self.slow.decode(ids)
