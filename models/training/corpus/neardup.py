"""Near-duplicate files by MinHash over token shingles (locality-sensitive hashing in bands).

Exact duplicates are caught earlier by a whitespace-normalised hash; this catches copies that
differ a little (a vendored copy with a changed header, two versions of one file, generated
variants). Tokens are words and single punctuation characters, shingles are 5 consecutive tokens,
each file gets PERMS min-hashes; files sharing all ROWS hashes of any one of BANDS bands are
candidates, and a candidate is a near-duplicate when the share of equal min-hashes (the MinHash
estimate of the shingle sets' Jaccard similarity) is at least THRESHOLD. The first file seen
wins, so the caller feeds held-out packages first (a training file close to a held-out one is
dropped, not the held-out one).
"""
import re, zlib
import numpy as np

SHINGLE, BANDS, ROWS, THRESHOLD = 5, 4, 8, 0.8
PERMS = BANDS * ROWS
TOKEN = re.compile(r'\w+|[^\w\s]')
_rng = np.random.default_rng(20261204)
_A = _rng.integers(1, 2**63, PERMS, dtype=np.uint64) | np.uint64(1)
_B = _rng.integers(0, 2**63, PERMS, dtype=np.uint64)
_MUL = np.uint64(0x9E3779B97F4A7C15)


_token_hash = {}


def signature(text):
    """PERMS min-hashes of the file's shingles (None when it has fewer than SHINGLE tokens). A pure
    function of the text (tokens hashed with crc32), so worker processes can compute it."""
    toks = TOKEN.findall(text)
    if len(toks) < SHINGLE: return None
    th = _token_hash
    if len(th) > 2_000_000: th.clear()
    ids = np.fromiter((th[t] if t in th else th.setdefault(t, zlib.crc32(t.encode('utf-8')) + 1) for t in toks),
                      dtype=np.uint64, count=len(toks))
    h = np.zeros(len(ids) - SHINGLE + 1, dtype=np.uint64)
    with np.errstate(over='ignore'):
        for k in range(SHINGLE):                      # polynomial hash of each window, wrapping in 64 bits
            h = h * _MUL + ids[k:len(ids) - SHINGLE + 1 + k]
        h = np.unique(h)
        # one universal hash per permutation, min over the file's shingles (in chunks to bound memory)
        sig = np.full(PERMS, np.iinfo(np.uint64).max, dtype=np.uint64)
        for a in range(0, len(h), 65536):
            part = h[a:a + 65536]
            sig = np.minimum(sig, (part[None, :] * _A[:, None] + _B[:, None]).min(axis=1))
    return sig


class NearDuplicates:
    def __init__(self):
        self.bands = [dict() for _ in range(BANDS)]       # band key -> index of the first file
        self.sigs = []

    def seen(self, text, sig=None):
        """True when text is a near-duplicate of a file added before; otherwise remembers it.
        sig: its signature() when computed elsewhere (build.py computes them in worker processes)."""
        if sig is None: sig = signature(text)
        if sig is None: return False
        keys = [sig[b * ROWS:(b + 1) * ROWS].tobytes() for b in range(BANDS)]
        for b, key in enumerate(keys):
            j = self.bands[b].get(key)
            if j is not None and np.mean(self.sigs[j] == sig) >= THRESHOLD: return True
        idx = len(self.sigs); self.sigs.append(sig)
        for b, key in enumerate(keys): self.bands[b].setdefault(key, idx)
        return False
