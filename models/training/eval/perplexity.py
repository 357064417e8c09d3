"""Perplexity of the trained models on the held-out files (PyTorch), and of a trivial baseline.

Each held-out file (a fixed sample of 150, first 1024 tokens of each) is scored as plain code after the repo-level header the extension sends
(<|repo_name|>PKG\\n<|file_sep|>PATH\\n), with a sliding window of the model's context (stride =
half the context; each token is scored once, with at least half a window of left context).
Reported: token perplexity, bits per byte (comparable across tokenizers), top-1 accuracy.
Baseline: a unigram model of training-set token frequencies (add-one smoothed) on the same tokens.

usage: python3 perplexity.py TOKENIZER CORPUS_DIR OUT_JSON CKPT.pt [CKPT.pt ...] [--max-tokens-per-file 1024] [--max-files 150]
"""
import argparse, collections, json, math, os, random, sys, time
import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'lm')); sys.path.insert(0, os.path.join(HERE, '..', 'tokenizer'))
import bpe
from data import read_corpus
from model import CodeLM


def file_tokens(tok, r, cap):
    S = tok.special_ids
    head = [S['<|repo_name|>']] + tok.encode(r['pkg'] + '\n') + [S['<|file_sep|>']] + tok.encode(r['path'] + '\n')
    body = tok.encode(r['text'])[:cap]
    nbytes = len(tok.decode_bytes(body))
    return head, body + [S['<|endoftext|>']], nbytes


@torch.no_grad()
def score(model, head, body, ctx):
    """Sum of -log p and count of correct top-1 over the body tokens."""
    ids = head + body
    first = len(head)                      # index of the first scored target
    nll, correct, n = 0.0, 0, 0
    pos = first
    while pos < len(ids):
        start = max(0, pos - ctx // 2) if pos > first else max(0, pos - ctx + 1)
        end = min(len(ids), start + ctx + 1)
        window = torch.tensor([ids[start:end]])
        logits = model(window[:, :-1])[0].float()
        tgt = window[0, 1:]
        lo = pos - start - 1               # logits index predicting ids[pos]
        lp = F.log_softmax(logits[lo:], -1)
        t = tgt[lo:]
        nll -= lp.gather(1, t[:, None]).sum().item()
        correct += (lp.argmax(-1) == t).sum().item(); n += len(t)
        pos = end
    return nll, correct, n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('tokenizer'); ap.add_argument('corpus'); ap.add_argument('out'); ap.add_argument('ckpts', nargs='+')
    ap.add_argument('--max-tokens-per-file', type=int, default=1024); ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--max-files', type=int, default=150)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    tok = bpe.Tokenizer.load(a.tokenizer)
    held = read_corpus(os.path.join(a.corpus, 'heldout.jsonl.gz'))
    if len(held) > a.max_files:      # a fixed sample of files (CPU time), every package keeps its chance
        held = sorted(random.Random(11).sample(held, a.max_files), key=lambda r: (r['pkg'], r['path']))
    data = [file_tokens(tok, r, a.max_tokens_per_file) for r in held]
    n_tok = sum(len(b) for _, b, _ in data); n_bytes = sum(nb for _, _, nb in data)
    results = dict(heldout_files=len(held), scored_tokens=n_tok, scored_bytes=n_bytes,
                   heldout_packages=sorted({r['pkg'] for r in held}), models={})
    # unigram baseline from a training sample
    counts = collections.Counter()
    for r in read_corpus(os.path.join(a.corpus, 'train.jsonl.gz'), 10, seed=3):
        counts.update(tok.encode(r['text']))
    total = sum(counts.values()) + tok.vocab_size
    nll = 0.0
    for _, body, _ in data:
        for t in body: nll -= math.log((counts.get(t, 0) + 1) / total)
    top = counts.most_common(1)[0][0]
    acc = sum(sum(1 for t in body if t == top) for _, body, _ in data) / n_tok
    results['models']['baseline-unigram'] = dict(perplexity=round(math.exp(nll / n_tok), 2),
                                                 bits_per_byte=round(nll / math.log(2) / n_bytes, 4), top1_accuracy=round(acc, 4))
    print('baseline-unigram', results['models']['baseline-unigram'], flush=True)
    for path in a.ckpts:
        t0 = time.time()
        ck = torch.load(path, map_location='cpu')
        model = CodeLM(ck['cfg']); model.load_state_dict(ck['state']); model.eval()
        nll = 0.0; correct = 0; n = 0
        for head, body, _ in data:
            a_, c_, n_ = score(model, head, body, ck['cfg']['context'])
            nll += a_; correct += c_; n += n_
        name = os.path.basename(path).replace('.pt', '')
        results['models'][name] = dict(perplexity=round(math.exp(nll / n), 2), bits_per_byte=round(nll / math.log(2) / n_bytes, 4),
                                       top1_accuracy=round(correct / n, 4), params=ck.get('params'), seconds=round(time.time() - t0))
        print(name, results['models'][name], flush=True)
    with open(a.out, 'w') as f:
        json.dump(results, f, indent=1)


if __name__ == '__main__':
    main()
