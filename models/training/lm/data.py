"""Training examples in the prompt formats the extension sends (models/engine/fimPrompt.ts):

  repo-level FIM  <|repo_name|>PKG\n [<|file_sep|>OTHER_PATH\nSNIPPET]* <|file_sep|>PATH\n
                  <|fim_prefix|>PREFIX<|fim_suffix|>SUFFIX<|fim_middle|>MIDDLE<|endoftext|>
  plain FIM       <|fim_prefix|>PREFIX<|fim_suffix|>SUFFIX<|fim_middle|>MIDDLE<|endoftext|>
  SPM (suffix first), with or without the header, SPM_RATE of the FIM examples:
                  <|fim_prefix|><|fim_suffix|>SUFFIX<|fim_middle|>PREFIX MIDDLE<|endoftext|>
  plain code      <|repo_name|>PKG\n<|file_sep|>PATH\nCODE... (language-model objective)

SPM is the FIM paper's "SPM" variant (CodeLlama's too): prefix and middle are contiguous after
<|fim_middle|>, so an engine that puts the suffix first only appends the user's keystrokes (the
prefix grows at the end of the prompt) and keeps everything before them in its KV cache. The GGUF
export marks models trained so (models/training/README.md, "FIM orders").

Cut points are chosen in characters and each piece is tokenized on its own, as at inference
(the prefix ends at the cursor, whatever the whole-file tokenization would have been there).
Middles: the rest of a line from a random cursor (the commonest completion), one to four whole
lines from the indentation, or a random character span. Examples are packed to length T.
"""
import gzip, json, random
import numpy as np

FIM_RATE = 0.75          # share of FIM examples (the rest: plain code)
REPO_LEVEL_RATE = 0.7    # share of FIM examples with the repo-level header
CONTEXT_SNIPPET_RATE = 0.35
MAX_SNIPPETS = 3           # other files of the package, as the extension's cross-file snippets
MAX_SUFFIX_TOKENS = 64
MAX_MIDDLE_TOKENS = 128


def read_corpus(path, max_mb=None, seed=0):
    files = []
    with gzip.open(path, 'rt', encoding='utf-8') as f:
        for line in f:
            files.append(json.loads(line))
    if max_mb:
        rng = random.Random(seed)
        total = sum(len(r['text']) for r in files)
        keep = min(1.0, max_mb * 1e6 / total)
        files = [r for r in files if rng.random() < keep]
    return files


class ExampleMaker:
    def __init__(self, tok, files, T, seed=0, spm_rate=0.0):
        self.tok, self.files, self.T, self.spm_rate = tok, files, T, spm_rate
        self.rng = random.Random(seed)
        S = tok.special_ids
        self.EOT, self.PRE, self.SUF, self.MID = S['<|endoftext|>'], S['<|fim_prefix|>'], S['<|fim_suffix|>'], S['<|fim_middle|>']
        self.REPO, self.SEP, self.PAD = S['<|repo_name|>'], S['<|file_sep|>'], S['<|fim_pad|>']
        # sample files by size (capped), so that every character has about the same chance
        w = np.array([min(len(r['text']), 20000) for r in files], dtype=np.float64)
        self.cum = np.cumsum(w / w.sum())
        self.by_pkg = {}
        for i, r in enumerate(files): self.by_pkg.setdefault(r['pkg'], []).append(i)
        # positions whose target is a sentinel/header token are not trained on
        self.no_loss = np.array([self.SUF, self.MID, self.PRE, self.SEP, self.REPO, self.PAD])

    def pick(self):
        return self.files[min(int(np.searchsorted(self.cum, self.rng.random())), len(self.files) - 1)]

    def enc(self, s):
        return self.tok.encode(s)

    def header(self, r, repo_level):
        if not repo_level: return []
        ids = [self.REPO] + self.enc(r['pkg'] + '\n')
        # up to MAX_SNIPPETS snippets of other files (a third of the context at most, 160 tokens each)
        n = 0
        while n < MAX_SNIPPETS and self.rng.random() < CONTEXT_SNIPPET_RATE and len(ids) < self.T // 3:
            n += 1
            others = [i for i in self.by_pkg.get(r['pkg'], []) if self.files[i]['path'] != r['path']]
            if not others: break
            o = self.files[self.rng.choice(others)]
            lines = o['text'].split('\n')
            a = self.rng.randrange(0, max(1, len(lines) - 5))
            snippet = '\n'.join(lines[a:a + self.rng.randint(3, 20)]) + '\n'
            ids += [self.SEP] + self.enc(o['path'] + '\n' + snippet)[:160]
        return ids + [self.SEP] + self.enc(r['path'] + '\n')

    def fim_cut(self, text):
        """(prefix, middle, suffix) in characters."""
        rng = self.rng
        lines = text.split('\n')
        starts = np.cumsum([0] + [len(l) + 1 for l in lines[:-1]])
        cand = [i for i, l in enumerate(lines) if l.strip()]
        if not cand: return None
        i = rng.choice(cand)
        line = lines[i]; ind = len(line) - len(line.lstrip())
        u = rng.random()
        if u < 0.45:        # rest of the line from a cursor inside it
            c = rng.randint(ind, max(ind, len(line.rstrip()) - 1))
            a, b = starts[i] + c, starts[i] + len(line)
        elif u < 0.75:      # whole lines from the indentation
            k = rng.choice([1, 1, 1, 2, 3, 4])
            j = min(len(lines) - 1, i + k - 1)
            a, b = starts[i] + ind, starts[j] + len(lines[j])
        else:               # a random span
            a = rng.randrange(0, len(text)); b = min(len(text), a + rng.randint(1, 300))
        return text[:a], text[a:b], text[b:]

    def fim_example(self, r):
        cut = self.fim_cut(r['text'])
        if cut is None: return None
        prefix, middle, suffix = cut
        header = self.header(r, self.rng.random() < REPO_LEVEL_RATE)
        mid = self.enc(middle)[:MAX_MIDDLE_TOKENS]
        suf = self.enc(suffix[:600])[:self.rng.randint(0, MAX_SUFFIX_TOKENS)]
        room = self.T + 1 - len(header) - len(suf) - len(mid) - 4
        pre = self.enc(prefix[-4 * max(room, 0) - 16:])[-room:] if room > 0 else []
        if self.rng.random() < self.spm_rate:
            return header + [self.PRE, self.SUF] + suf + [self.MID] + pre + mid + [self.EOT]
        return header + [self.PRE] + pre + [self.SUF] + suf + [self.MID] + mid + [self.EOT]

    def code_example(self, r):
        text = r['text']
        a = 0
        if len(text) > 3000:
            a = text.rfind('\n', 0, self.rng.randrange(0, len(text) - 1500)) + 1
        head = self.header(r, self.rng.random() < 0.8) if a == 0 else []
        return head + self.enc(text[a:a + 4 * self.T]) + ([self.EOT] if a + 4 * self.T >= len(text) else [])

    def ids(self):
        """T + 1 token ids: examples packed back to back."""
        ids = []
        while len(ids) < self.T + 1:
            r = self.pick()
            ex = self.fim_example(r) if self.rng.random() < FIM_RATE else self.code_example(r)
            if ex: ids += ex
        return ids[: self.T + 1]

    def sequence(self):
        ids = np.array(self.ids(), dtype=np.int64)
        x, y = ids[:-1], ids[1:]
        return x, y, ~np.isin(y, self.no_loss)

    def batch(self, B):
        xs, ys, ms = zip(*(self.sequence() for _ in range(B)))
        return np.stack(xs), np.stack(ys), np.stack(ms)
