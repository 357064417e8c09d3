"""Token ids of whole files as the training tokenizer produces them, for checkTokenizer.ts:
every held-out file plus a random sample of training files.

usage: python3 token_ids.py TOKENIZER CORPUS_DIR OUT_JSON [--train-files 300]
"""
import argparse, json, os, random, sys
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'lm')); sys.path.insert(0, os.path.join(HERE, '..', 'tokenizer'))
import bpe
from data import read_corpus

ap = argparse.ArgumentParser()
ap.add_argument('tokenizer'); ap.add_argument('corpus'); ap.add_argument('out'); ap.add_argument('--train-files', type=int, default=300)
a = ap.parse_args()
tok = bpe.Tokenizer.load(a.tokenizer)
files = read_corpus(os.path.join(a.corpus, 'heldout.jsonl.gz'))
train = read_corpus(os.path.join(a.corpus, 'train.jsonl.gz'))
files += random.Random(5).sample(train, min(a.train_files, len(train)))
out = [dict(name=f"{r['pkg']}/{r['path']}", text=r['text'], ids=tok.encode(r['text'])) for r in files]
with open(a.out, 'w', encoding='utf-8') as f:
    json.dump(out, f, ensure_ascii=False)
print(f'{a.out}: {len(out)} files, {sum(len(r["ids"]) for r in out):,} tokens')
