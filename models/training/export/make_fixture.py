"""Reference values for test/integration/trainedModel.test.ts, from the training framework:
  - tokenizer: ids of held-out snippets as the training tokenizer encodes them;
  - logits: for a few FIM prompts (exact token ids), the next-token logits of each model computed
    by PyTorch with the Q8_0-rounded weights the GGUF holds (top 20 ids and values, plus the
    logits of the top 20 of token ids, so either side's top list can be checked);
  - a held-out snippet to complete.

usage: python3 make_fixture.py TOKENIZER CORPUS_DIR OUT_JSON --model target=T.pt --model draft=D.pt
"""
import argparse, json, os, random, sys
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'lm')); sys.path.insert(0, os.path.join(HERE, '..', 'tokenizer'))
import bpe
from data import read_corpus
from model import CodeLM
from q8 import quantize_like_gguf

TOP = 20


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('tokenizer'); ap.add_argument('corpus'); ap.add_argument('out')
    ap.add_argument('--model', action='append', required=True, help='NAME=CKPT.pt')
    a = ap.parse_args()
    tok = bpe.Tokenizer.load(a.tokenizer); S = tok.special_ids
    held = read_corpus(os.path.join(a.corpus, 'heldout.jsonl.gz'))
    rng = random.Random(42)
    # tokenizer samples: one file per held-out package (first 1500 characters), plus edge cases
    texts, seen = [], set()
    for r in sorted(held, key=lambda r: (r['pkg'], r['path'])):
        if r['pkg'] in seen: continue
        seen.add(r['pkg'])
        texts.append(dict(name=f"{r['pkg']}/{r['path']}", text=r['text'][:1500]))
    texts.append(dict(name='edge cases', text="x = 'a'; y = \"it's\"\r\n\tz = 1234567 + 3.14e-10  # ünïcödé → ✓ 日本語 🙂\n\n\n   \t  end  "))
    texts.append(dict(name='special-token text stays text', text='// <|fim_middle|> <|endoftext|>\nlet x = 1;\n'))
    for t in texts: t['ids'] = tok.encode(t['text'])
    # FIM prompts in the extension's repo-level layout
    prompts = []
    for r in rng.sample(held, 4):
        lines = r['text'].split('\n')
        i = rng.randrange(1, max(2, len(lines) - 1))
        ind = len(lines[i]) - len(lines[i].lstrip())
        prefix = '\n'.join(lines[:i]) + '\n' + lines[i][:ind]
        suffix = '\n' + '\n'.join(lines[i + 1:])
        ids = ([S['<|repo_name|>']] + tok.encode(r['pkg'] + '\n') + [S['<|file_sep|>']] + tok.encode(r['path'] + '\n') +
               [S['<|fim_prefix|>']] + tok.encode(prefix)[-300:] + [S['<|fim_suffix|>']] + tok.encode(suffix)[:32] + [S['<|fim_middle|>']])
        prompts.append(dict(name=f"{r['pkg']}/{r['path']}:{i + 1}", ids=ids))
    prompts.append(dict(name='plain PSM', ids=[S['<|fim_prefix|>']] + tok.encode('def add(a, b):\n    return ') + [S['<|fim_suffix|>']] + tok.encode('\n') + [S['<|fim_middle|>']]))
    models = {}
    for spec in a.model:
        name, path = spec.split('=', 1)
        ck = torch.load(path, map_location='cpu')
        m = CodeLM(ck['cfg']); m.load_state_dict(quantize_like_gguf(ck['state'])); m.eval()
        out = []
        for p in prompts:
            with torch.no_grad():
                logits = m(torch.tensor([p['ids']]))[0, -1].double()
            top = torch.topk(logits, TOP)
            out.append(dict(top_ids=top.indices.tolist(), top_logits=[round(v, 5) for v in top.values.tolist()]))
        models[name] = out
    # a held-out snippet to complete: a function start from a held-out TypeScript package
    ts = [r for r in held if r['lang'] == 'ts' and r['path'].endswith('.ts') and not r['path'].endswith('.d.ts')]
    r = sorted(ts, key=lambda r: r['path'])[0]
    lines = r['text'].split('\n'); i = min(len(lines) - 1, 12)
    completion = dict(name=f"{r['pkg']}/{r['path']}", repoName=r['pkg'], filePath=r['path'],
                      prefix='\n'.join(lines[:i]) + '\n', suffix='\n' + '\n'.join(lines[i + 1:i + 6]))
    fixture = dict(generatedBy='models/training/export/make_fixture.py', vocabSize=tok.vocab_size,
                   tokenizer=texts, prompts=prompts, logits=models, completion=completion)
    with open(a.out, 'w', encoding='utf-8') as f:
        json.dump(fixture, f, ensure_ascii=False)
        f.write('\n')
    print(f'{a.out}: {len(texts)} tokenizer samples, {len(prompts)} prompts x {len(models)} models')


if __name__ == '__main__':
    main()
