"""The whole GPU training run in one script: corpus -> tokens (all CPU cores) -> target and draft
trained side by side on one GPU -> weights under OUT, inside a wall-clock budget with a hard stop
that still saves.

usage: python3 models/training/gpu/run.py --data models/training/device --out $OUT [--minutes 8]
  DATA holds what gpu/pack.py wrote: train.jsonl.xz, tokenizer.json, pack.json.
  OUT gets target.q8.pt.NNN / draft.q8.pt.NNN (Q8_0 blocks + float32 norms, split in 15 MiB
  parts: the device returns at most 8 files of 16 MiB), run.log.jsonl and summary.json.
  gpu/unpack.py turns them back into lm/train.py checkpoints here (lossless: Q8_0 is what the
  GGUF stores anyway).

Tokenizing: forked worker processes (one per core but one) build training sequences with
lm/data.py's ExampleMaker (PSM and SPM FIM, repo-level headers, cut points in characters) and
tokenizer/fast.py (Hugging Face `tokenizers` when it matches bpe.py, else bpe.py). The GPU starts
on the first sequences and takes fresh ones as they come; when it outruns the workers it repeats
sequences at random (counted in the log). Runs on CPU too (the rehearsal): same code, smaller shapes. Hard stop: the loop ends when the
fixed reserve or the measured step + save time would overrun the budget; weights are saved after
the first step, every --save-every seconds and at the end; a watchdog exits at the budget.
"""
import argparse, collections, io, json, lzma, math, multiprocessing as mp, os, random, signal, sys, threading, time

T0 = time.time()
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'lm')); sys.path.insert(0, os.path.join(HERE, '..', 'tokenizer'))
os.environ.setdefault('TOKENIZERS_PARALLELISM', 'false')
import numpy as np
import torch
import fast
from data import ExampleMaker
from model import CodeLM

PART_BYTES = 15 * 2**20
G = {}   # what forked workers inherit: files, tokenizer, settings


def make_chunk(job):
    seed, n = job
    maker = G.get('maker')
    if maker is None:
        maker = G['maker'] = ExampleMaker(G['tok'], G['files'], G['ctx'], seed=seed, spm_rate=G['spm'])
    maker.rng = random.Random(seed)
    return np.array([maker.ids() for _ in range(n)], dtype=np.uint16)


class Feed:
    """Sequences from the workers; fresh ones first, random repeats when the GPU is ahead."""

    def __init__(self, pool, workers, chunk, seed, width):
        self.pool, self.chunk, self.inflight = pool, chunk, collections.deque()
        self.buf, self.count = np.empty((4096, width), dtype=np.uint16), 0
        self.next_fresh, self.rng = 0, np.random.default_rng(seed)
        self.seed, self.fresh_used, self.repeated = seed * 1_000_003, 0, 0
        for _ in range(workers * 3): self._submit()

    def _submit(self):
        self.seed += 1
        self.inflight.append(self.pool.apply_async(make_chunk, ((self.seed, self.chunk),)))

    def _collect(self, wait):
        while self.inflight and (self.inflight[0].ready() or wait):
            arr = self.inflight.popleft().get(); wait = False
            if self.count + len(arr) > len(self.buf):      # grow by doubling: amortised O(1) per sequence
                bigger = np.empty((2 * len(self.buf), self.buf.shape[1]), dtype=np.uint16)
                bigger[:self.count] = self.buf[:self.count]; self.buf = bigger
            self.buf[self.count:self.count + len(arr)] = arr; self.count += len(arr)
            self._submit()

    def batch(self, B):
        self._collect(wait=self.count < B)
        while self.count < B: self._collect(wait=True)
        n = min(B, self.count - self.next_fresh)                 # fresh sequences in arrival order
        rows = np.arange(self.next_fresh, self.next_fresh + n)
        self.next_fresh += n; self.fresh_used += n
        if n < B:
            rows = np.concatenate([rows, self.rng.integers(0, self.count, B - n)]); self.repeated += B - n
        return self.buf[rows]


def q8_blocks(t):
    """ggml Q8_0 of a float tensor (lm/q8.py's arithmetic, in torch): int8 values, fp16 scales."""
    a = t.detach().float().cpu().reshape(-1, 32)
    d = a.abs().amax(dim=1, keepdim=True) / 127.0
    inv = torch.where(d != 0, 1.0 / d, torch.zeros_like(d))
    v = a * inv
    q = (torch.sign(v) * torch.floor(v.abs() + 0.5)).to(torch.int8)
    return q.reshape(t.shape), d.half().reshape(-1)


def save(out, name, model, meta):
    state = {}
    for k, v in model.state_dict().items():
        state[k] = ('q8', *q8_blocks(v)) if v.dim() == 2 and v.shape[-1] % 32 == 0 else ('f32', v.detach().float().cpu())
    buf = io.BytesIO()
    torch.save(dict(cfg=model.cfg, state=state, **meta), buf)
    data = buf.getvalue()
    for old in [f for f in os.listdir(out) if f.startswith(f'{name}.q8.pt.')]: os.remove(os.path.join(out, old))
    for i in range(0, len(data), PART_BYTES):
        p = os.path.join(out, f'{name}.q8.pt.{i // PART_BYTES:03d}')
        with open(p + '.tmp', 'wb') as f: f.write(data[i:i + PART_BYTES])
        os.replace(p + '.tmp', p)
    return len(data)


def shape(s):
    """'hidden,layers,heads,kv_heads,ff' -> config dict."""
    h, l, nh, kv, ff = (int(x) for x in s.split(','))
    return dict(hidden=h, layers=l, heads=nh, kv_heads=kv, ff=ff)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', required=True); ap.add_argument('--out', required=True)
    ap.add_argument('--minutes', type=float, default=8.0, help='wall budget of the whole script')
    ap.add_argument('--reserve', type=float, default=30.0, help='seconds kept at least for the final save')
    ap.add_argument('--target', default='512,8,8,2,1536'); ap.add_argument('--draft', default='256,2,4,2,768')
    ap.add_argument('--ctx', type=int, default=1024); ap.add_argument('--batch', type=int, default=64)
    ap.add_argument('--lr', type=float, default=1.5e-3); ap.add_argument('--draft-lr', type=float, default=3e-3)
    ap.add_argument('--warmup', type=int, default=150); ap.add_argument('--spm-rate', type=float, default=0.5)
    ap.add_argument('--workers', type=int, default=max(1, (os.cpu_count() or 2) - 1))
    ap.add_argument('--chunk', type=int, default=32, help='sequences per worker task')
    ap.add_argument('--corpus-mb', type=float, default=0, help='use a sample of this many MB (0: all)')
    ap.add_argument('--max-steps', type=int, default=0); ap.add_argument('--save-every', type=float, default=120)
    ap.add_argument('--device', default='auto', help='cuda, cpu, or auto (cuda when there is one)')
    ap.add_argument('--threads', type=int, default=0, help='torch threads on CPU (0: default)')
    ap.add_argument('--seed', type=int, default=0)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    end_all = T0 + a.minutes * 60
    stop_at = end_all - a.reserve
    logf = open(os.path.join(a.out, 'run.log.jsonl'), 'a')
    def log(**rec):
        rec['t'] = round(time.time() - T0, 1)
        line = json.dumps(rec); print(line, flush=True); logf.write(line + '\n'); logf.flush()

    # Hard stop: if anything hangs past the budget, leave with the last periodic save.
    def watchdog():
        time.sleep(max(1.0, end_all - time.time()))
        if not saved['any'] and 'save_all' in hooks:   # not one step done (a starved machine): still leave files
            try: hooks['save_all'](False)
            except Exception as e: log(event='watchdog save failed', error=str(e)[:200])
        log(event='watchdog: budget over, exiting with the last saved weights', saved=saved['any']); os._exit(3)
    threading.Thread(target=watchdog, daemon=True).start()
    stop, saved, hooks = {'now': False}, {'any': False}, {}
    def on_signal(sig, _frame): stop['now'] = True
    signal.signal(signal.SIGTERM, on_signal); signal.signal(signal.SIGINT, on_signal)

    if a.device == 'auto':   # asked after the fork below would be safer, but NVML answers without a CUDA context
        os.environ.setdefault('PYTORCH_NVML_BASED_CUDA_CHECK', '1')
        a.device = 'cuda' if torch.cuda.is_available() else 'cpu'
    torch.manual_seed(a.seed); random.seed(a.seed)
    if a.threads: torch.set_num_threads(a.threads)
    cuda = a.device.startswith('cuda')
    if cuda:
        torch.backends.cuda.matmul.allow_tf32 = True; torch.backends.cudnn.allow_tf32 = True
    pack = json.load(open(os.path.join(a.data, 'pack.json')))
    files = []
    with lzma.open(os.path.join(a.data, 'train.jsonl.xz'), 'rt', encoding='utf-8') as f:
        for line in f: files.append(json.loads(line))
    if a.corpus_mb:
        rng = random.Random(a.seed); keep = min(1.0, a.corpus_mb * 1e6 / sum(len(r['text']) for r in files))
        files = [r for r in files if rng.random() < keep]
    chars = sum(len(r['text']) for r in files)
    sample = [r['text'][:4000] for r in random.Random(1).sample(files, min(200, len(files)))]
    tok = fast.FastTokenizer(os.path.join(a.data, 'tokenizer.json'), check_texts=sample)
    # Fork the tokenizing workers before anything touches CUDA (they only use numpy and the tokenizer).
    G.update(files=files, tok=tok, ctx=a.ctx, spm=a.spm_rate)
    pool = mp.get_context('fork').Pool(a.workers)
    feed = Feed(pool, a.workers, a.chunk, a.seed + 1, a.ctx + 1)
    log(event='data', files=len(files), megachars=round(chars / 1e6, 1), tokenizer=tok.backend, why=tok.why,
        pack=pack.get('summary'), device=a.device, gpu=torch.cuda.get_device_name(0) if cuda else None,
        torch=torch.__version__, python=sys.version.split()[0], workers=a.workers)
    no_loss = torch.tensor([tok.special_ids[s] for s in ('<|fim_suffix|>', '<|fim_middle|>', '<|fim_prefix|>',
                                                         '<|file_sep|>', '<|repo_name|>', '<|fim_pad|>')], device=a.device)

    models, opts = {}, {}
    for name, spec, lr in (('target', a.target, a.lr), ('draft', a.draft, a.draft_lr)):
        m = CodeLM(dict(vocab=tok.vocab_size, context=a.ctx, **shape(spec))).to(a.device)
        decay = [p for p in m.parameters() if p.dim() >= 2]; other = [p for p in m.parameters() if p.dim() < 2]
        kw = dict(fused=True) if cuda else {}
        opts[name] = (torch.optim.AdamW([{'params': decay, 'weight_decay': 0.1}, {'params': other, 'weight_decay': 0.0}],
                                        lr=lr, betas=(0.9, 0.95), eps=1e-8, **kw), lr)
        models[name] = m
        log(event='model', name=name, config=m.cfg, params=m.param_counts())

    step, tokens, losses = 0, 0, {n: None for n in models}
    t_train = time.time()
    last_save = t_train
    args = dict(vars(a))

    def save_all(final):
        sizes = {}
        for n, m in models.items():
            meta = dict(steps=step, tokens=tokens, seconds=round(time.time() - t_train), loss=losses[n],
                        params=m.param_counts(), args=dict(args, lr=opts[n][1], name=n, spm_rate=a.spm_rate), final=final)
            sizes[n] = save(a.out, n, m, meta)
        saved['any'] = True
        return sizes
    hooks['save_all'] = save_all

    step_s, save_s = 0.0, 0.0
    while not stop['now']:
        now = time.time()
        # Stop early enough that the step in flight and the final save both fit in the budget
        # (a slow machine: measured step and save times, not only the fixed reserve).
        if now >= stop_at or now + 1.5 * step_s + 1.5 * save_s + 3 >= end_all or (a.max_steps and step >= a.max_steps): break
        frac = min(1.0, (now - t_train) / max(1.0, stop_at - t_train))
        ids = torch.from_numpy(feed.batch(a.batch).astype(np.int64))
        ids = (ids.pin_memory().to(a.device, non_blocking=True) if cuda else ids)
        x, y = ids[:, :-1], ids[:, 1:]
        mask = ~torch.isin(y, no_loss)
        for n, m in models.items():
            opt, base = opts[n]
            lr = base * min(1.0, (step + 1) / a.warmup) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
            for g in opt.param_groups: g['lr'] = lr
            with torch.autocast('cuda' if cuda else 'cpu', dtype=torch.bfloat16):
                loss = m.loss(x, y, mask)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0)
            opt.step()
            if step % 25 == 0: losses[n] = round(loss.item(), 4)
        step += 1; tokens += x.numel()
        step_s = time.time() - now
        if step == 1:   # something to return from the first step on; measures the save
            t = time.time(); save_all(False); save_s = time.time() - t; last_save = time.time()
        if step % 25 == 0:
            el = time.time() - t_train
            log(step=step, tokens=tokens, tok_s=round(tokens / el), loss=losses, lr=round(lr, 6), frac=round(frac, 3),
                fresh_seqs=feed.fresh_used, repeated_seqs=feed.repeated, produced_seqs=feed.count)
        if time.time() - last_save > a.save_every:
            save_all(False); last_save = time.time(); log(event='checkpoint', step=step)
    sizes = save_all(True)
    pool.terminate()
    summary = dict(steps=step, tokens=tokens, train_seconds=round(time.time() - t_train), wall_seconds=round(time.time() - T0),
                   loss=losses, tok_s=round(tokens / max(1e-9, time.time() - t_train)), fresh_seqs=feed.fresh_used,
                   repeated_seqs=feed.repeated, produced_seqs=feed.count, ctx=a.ctx, tokenizer=tok.backend,
                   saved_bytes=sizes, stopped_by_signal=stop['now'])
    json.dump(summary, open(os.path.join(a.out, 'summary.json'), 'w'), indent=1)
    log(event='done', **summary)
    logf.close()
    os._exit(0)   # do not wait for pool teardown or the watchdog


if __name__ == '__main__':
    main()
