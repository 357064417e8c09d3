"""Read a GGUF file's metadata (no tensors) and write its BPE tokenizer as the training
tokenizer.json (bpe.Tokenizer format). Lets a new run reuse the bundled model's tokenizer, and
lets a test or a shape measurement build GGUFs with the exact vocabulary of a shipped model.

usage: python3 gguf_tokenizer.py MODEL.gguf OUT_TOKENIZER_JSON   (or import read_metadata)
"""
import os, struct, sys

_SCALAR = {0: '<B', 1: '<b', 2: '<H', 3: '<h', 4: '<I', 5: '<i', 6: '<f', 7: '<?', 10: '<Q', 11: '<q', 12: '<d'}


def read_metadata(path):
    with open(path, 'rb') as f:
        data = f.read(64 << 20)           # metadata sits at the start; 64 MB covers any vocabulary
    if data[:4] != b'GGUF': raise ValueError(f'{path} is not a GGUF file')
    pos = 4
    def take(fmt):
        nonlocal pos
        v = struct.unpack_from(fmt, data, pos)[0]; pos += struct.calcsize(fmt); return v
    def string():
        nonlocal pos
        n = take('<Q'); s = data[pos:pos + n].decode('utf-8'); pos += n; return s
    def value(t):
        if t == 8: return string()
        if t == 9:
            et, n = take('<I'), take('<Q')
            return [value(et) for _ in range(n)]
        return take(_SCALAR[t])
    version, _tensors, kvs = take('<I'), take('<Q'), take('<Q')
    meta = {'gguf.version': version}
    for _ in range(kvs):
        key = string(); meta[key] = value(take('<I'))
    return meta


def main():
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tokenizer'))
    import bpe
    meta = read_metadata(sys.argv[1])
    tokens = meta['tokenizer.ggml.tokens']
    specials = [t for t in tokens if t.startswith('<|') and t.endswith('|>')]
    tok = bpe.Tokenizer([tuple(m.split(' ')) for m in meta['tokenizer.ggml.merges']], specials)
    assert tok.tokens == tokens, 'the GGUF vocabulary is not laid out as bpe.Tokenizer lays it out'
    tok.save(sys.argv[2])
    print(f'{sys.argv[2]}: {len(tokens)} tokens, {len(tok.merges)} merges, specials {specials}')


if __name__ == '__main__':
    main()
