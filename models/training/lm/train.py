"""Train one model (target or draft) with the FIM objective for a fixed wall-clock budget.

usage: python3 train.py --name target --hidden 256 --layers 6 --heads 4 --minutes 40 \
         --tokenizer tok.json --corpus CORPUS_DIR --out OUT_DIR [--threads 1] [--lr 2e-3]
Writes OUT_DIR/NAME.pt (config, weights, counters) and OUT_DIR/NAME.log.jsonl.
On a GPU (--device cuda) the same recipe runs in bf16 autocast with larger batches.
"""
import argparse, json, math, os, random, sys, time
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE); sys.path.insert(0, os.path.join(HERE, '..', 'tokenizer'))
import bpe
from data import ExampleMaker, read_corpus
from model import CodeLM


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--name', required=True)
    ap.add_argument('--hidden', type=int, required=True); ap.add_argument('--layers', type=int, required=True)
    ap.add_argument('--heads', type=int, required=True); ap.add_argument('--kv-heads', type=int)
    ap.add_argument('--ff', type=int)
    ap.add_argument('--ctx', type=int, default=512); ap.add_argument('--batch', type=int, default=8)
    ap.add_argument('--minutes', type=float, required=True); ap.add_argument('--max-steps', type=int, default=0)
    ap.add_argument('--lr', type=float, default=2e-3); ap.add_argument('--warmup', type=int, default=60)
    ap.add_argument('--threads', type=int, default=1); ap.add_argument('--device', default='cpu')
    ap.add_argument('--corpus-mb', type=float, default=60)
    ap.add_argument('--tokenizer', required=True); ap.add_argument('--corpus', required=True); ap.add_argument('--out', required=True)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--spm-rate', type=float, default=0.0, help='share of FIM examples in SPM order (suffix first)')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed); random.seed(a.seed); np.random.seed(a.seed)
    os.makedirs(a.out, exist_ok=True)
    tok = bpe.Tokenizer.load(a.tokenizer)
    files = read_corpus(os.path.join(a.corpus, 'train.jsonl.gz'), a.corpus_mb, seed=a.seed)
    maker = ExampleMaker(tok, files, a.ctx, seed=a.seed + 1, spm_rate=a.spm_rate)
    cfg = dict(vocab=tok.vocab_size, hidden=a.hidden, layers=a.layers, heads=a.heads, context=a.ctx)
    if a.kv_heads: cfg['kv_heads'] = a.kv_heads
    if a.ff: cfg['ff'] = a.ff
    model = CodeLM(cfg).to(a.device)
    counts = model.param_counts()
    print(json.dumps(dict(name=a.name, config=model.cfg, params=counts, files=len(files),
                          corpus_mb=round(sum(len(r['text']) for r in files) / 1e6, 1))), flush=True)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    other = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{'params': decay, 'weight_decay': 0.1}, {'params': other, 'weight_decay': 0.0}],
                            lr=a.lr, betas=(0.9, 0.95), eps=1e-8)
    budget = a.minutes * 60
    log = open(os.path.join(a.out, f'{a.name}.log.jsonl'), 'w')
    t0 = time.time(); c0 = time.process_time(); step = 0; tokens = 0; ema = None
    ckpt = os.path.join(a.out, f'{a.name}.pt')

    def save(final):
        torch.save(dict(cfg=model.cfg, state={k: v.detach().cpu() for k, v in model.state_dict().items()},
                        steps=step, tokens=tokens, seconds=round(time.time() - t0), cpu_seconds=round(time.process_time() - c0),
                        loss=ema, params=counts, args=vars(a), final=final), ckpt + '.tmp')
        os.replace(ckpt + '.tmp', ckpt)

    last_save = t0
    while True:
        elapsed = time.time() - t0
        if elapsed >= budget or (a.max_steps and step >= a.max_steps): break
        frac = elapsed / budget
        lr = a.lr * min(1.0, (step + 1) / a.warmup) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups: g['lr'] = lr
        x, y, m = (torch.from_numpy(v).to(a.device) for v in maker.batch(a.batch))
        with torch.autocast(a.device, dtype=torch.bfloat16):
            loss = model.loss(x, y, m)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1; tokens += x.numel()
        lv = loss.item(); ema = lv if ema is None else 0.97 * ema + 0.03 * lv
        if step % 20 == 0:
            rec = dict(step=step, tokens=tokens, loss=round(ema, 4), lr=round(lr, 6), elapsed=round(time.time() - t0),
                       tok_s=round(tokens / (time.time() - t0)), cpu_share=round((time.process_time() - c0) / (time.time() - t0) / a.threads, 2))
            print(json.dumps(rec), flush=True); log.write(json.dumps(rec) + '\n'); log.flush()
        if time.time() - last_save > 300:
            save(False); last_save = time.time()
    save(True)
    print(json.dumps(dict(done=a.name, steps=step, tokens=tokens, seconds=round(time.time() - t0), loss=round(ema, 4))), flush=True)


if __name__ == '__main__':
    main()
