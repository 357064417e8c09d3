"""Train the byte-level BPE tokenizer on a sample of the training corpus.

usage: python3 train_tokenizer.py CORPUS_DIR OUT_JSON [--vocab 16384] [--sample-mb 12]
The sample takes every k-th training file so that each language keeps its share.
"""
import argparse, gzip, json, os, random, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bpe


def read_jsonl(path):
    with gzip.open(path, 'rt', encoding='utf-8') as f:
        for line in f:
            yield json.loads(line)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('corpus'); ap.add_argument('out')
    ap.add_argument('--vocab', type=int, default=16384); ap.add_argument('--sample-mb', type=float, default=12)
    a = ap.parse_args()
    t0 = time.time()
    files = list(read_jsonl(os.path.join(a.corpus, 'train.jsonl.gz')))
    total = sum(len(r['text']) for r in files)
    keep = min(1.0, a.sample_mb * 1e6 / total)
    rng = random.Random(0)
    sample = [r['text'] for r in files if rng.random() < keep]
    print(f'tokenizer sample: {len(sample)} of {len(files)} files, {sum(map(len, sample)) / 1e6:.1f} MB', flush=True)
    counts = bpe.count_pretokens(sample)
    print(f'pre-tokens counted in {time.time() - t0:.0f}s', flush=True)
    merges = bpe.learn_merges(counts, a.vocab - len(bpe.SPECIALS), log=lambda m: print(m, flush=True))
    tok = bpe.Tokenizer(merges)
    assert tok.vocab_size == a.vocab, (tok.vocab_size, a.vocab)
    tok.save(a.out)
    held = [r['text'] for r in read_jsonl(os.path.join(a.corpus, 'heldout.jsonl.gz'))]
    text = '\n'.join(held)
    ids = tok.encode(text)
    assert tok.decode(ids) == text, 'round trip failed'
    print(json.dumps(dict(vocab=tok.vocab_size, merges=len(merges), heldout_bytes_per_token=round(len(text.encode()) / len(ids), 3),
                          seconds=round(time.time() - t0))), flush=True)


if __name__ == '__main__':
    main()
