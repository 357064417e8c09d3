"""A randomly initialised checkpoint of a given shape (lm/train.py's format), for measuring what
a shape costs in the engine before training it: export it with export_weights.py + exportGguf.js
and run bench:latency / the speculation bench on the GGUF. Speed only; the text is meaningless.

usage: python3 random_model.py TOKENIZER_JSON OUT.pt --shape hidden,layers,heads,kv_heads,ff [--ctx 1024]
"""
import argparse, os, sys
import torch
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'lm')); sys.path.insert(0, os.path.join(HERE, '..', 'tokenizer'))
import bpe
from model import CodeLM


def main():
    ap = argparse.ArgumentParser(); ap.add_argument('tokenizer'); ap.add_argument('out')
    ap.add_argument('--shape', required=True); ap.add_argument('--ctx', type=int, default=1024); ap.add_argument('--seed', type=int, default=0)
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    h, l, nh, kv, ff = (int(x) for x in a.shape.split(','))
    m = CodeLM(dict(vocab=bpe.Tokenizer.load(a.tokenizer).vocab_size, context=a.ctx, hidden=h, layers=l, heads=nh, kv_heads=kv, ff=ff))
    torch.save(dict(cfg=m.cfg, state=m.state_dict(), steps=0, tokens=0, params=m.param_counts(),
                    args=dict(ctx=a.ctx, spm_rate=0.5, random=True)), a.out)
    print(f'{a.out}: {m.param_counts()}')


if __name__ == '__main__':
    main()
