"""Write models/bundled/PROVENANCE.md (to stdout) from what the recipe produced: the corpus
manifest, the tokenizer, the exported weights' training record, logs and evaluation results.

usage: python3 write_provenance.py --work WORK --target NAME --draft NAME > models/bundled/PROVENANCE.md
"""
import argparse, datetime, hashlib, json, os, platform, subprocess

T = 'models/training'


def sha256(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for b in iter(lambda: f.read(1 << 20), b''): h.update(b)
    return h.hexdigest()


def cpu_model():
    try:
        for line in open('/proc/cpuinfo'):
            if line.startswith('model name'): return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or 'unknown'


def worth(comp, work):
    """One paragraph that says, from the figures, whether the pair beats the trivial baseline."""
    if not comp:
        return '**What they are worth:** not evaluated yet (run the `eval` stage).'
    r = comp['results']
    t, b = r.get('target', {}), r.get('baseline: repeat previous line', {})
    em, es, bem, bes = t.get('exactMatch', 0), t.get('editSimilarity', 0), b.get('exactMatch', 0), b.get('editSimilarity', 0)
    if em > bem and es > bes:
        verdict = 'beats the trivial baseline "repeat the previous line" on held-out code'
    elif em < bem and es < bes:
        verdict = 'loses to the trivial baseline "repeat the previous line" on held-out code'
    else:
        better, worse = ('exact match', 'edit similarity') if em > bem else ('edit similarity', 'exact match')
        verdict = (f'beats the trivial baseline "repeat the previous line" on {better} and loses on {worse} '
                   '(held-out code)')
    sp = comp.get('speculativeSpeedup', {})
    return (f'**What they are worth:** trained from scratch on a 2-core CPU in under an hour, the target {verdict}: '
            f'next-line exact match {em:.1%} vs {bem:.1%}, edit similarity {es:.3f} vs {bes:.3f}. It is a weak '
            'completer that lets the extension complete out of the box, offline, with no download; a real code model '
            '(Qwen2.5-Coder via Switch Model) is far better, and the same recipe on a GPU (`models/training/README.md`, '
            '"On a GPU") is what would make the bundled one good. The draft does not pay for a target this small '
            f'(decode speed with it {sp.get("singleLine")}x single line, before the engine\'s governor switches it off; '
            f'prompt lookup {sp.get("singleLineLookup")}x / {sp.get("multilineLookup")}x multi-line).')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--work', required=True); ap.add_argument('--target', required=True); ap.add_argument('--draft', required=True)
    a = ap.parse_args()
    manifest = os.environ.get('CORPUS_MANIFEST', 'corpus-manifest.json')   # corpus-manifest-gpu.json after a GPU run
    man = json.load(open(f'{T}/{manifest}'))
    s = man['summary']
    tok = json.load(open(os.environ.get('TOK') or os.path.join(a.work, 'tok', 'tokenizer.json'), encoding='utf-8'))
    ppl = json.load(open(f'{T}/results/perplexity.json')) if os.path.exists(f'{T}/results/perplexity.json') else None
    comp = json.load(open(f'{T}/results/completion.json')) if os.path.exists(f'{T}/results/completion.json') else None
    try:
        import torch; torch_version = torch.__version__
    except ImportError:
        torch_version = '?'
    try:
        commit = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = '?'
    out = []
    w = out.append
    w('# Bundled models: provenance\n')
    w('Two GGUF files trained from scratch by this repository\'s recipe (`models/training/run-all.sh`), '
      'on permissively licensed source code only. They share one tokenizer; the draft is paired with the '
      'target automatically for speculative decoding (`extension/settings.ts` `readModelChoice`, '
      '`models/library/modelLocations.ts` `bundledDraftBeside`), and `npm run package` puts both in the VSIX: the extension '
      'completes out of the box with no setting.\n')
    w(f'Built {datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC")} from commit {commit}. Licence of the weights: MIT (as the project).\n')
    w(worth(comp, a.work) + '\n')
    w('| file | role | bytes | sha256 |\n| --- | --- | --- | --- |')
    records = {}
    for role, name in (('target', a.target), ('draft', a.draft)):
        path = f'models/bundled/{name}.gguf'
        records[role] = json.load(open(os.path.join(a.work, 'export', f'{role}.weights.json')))
        w(f'| `{name}.gguf` | {role} | {os.path.getsize(path):,} | `{sha256(path)[:16]}…` |')
    w('')
    w('## Models\n')
    w('| | target | draft |\n| --- | --- | --- |')
    rows = [('architecture', lambda r: 'llama.cpp `qwen2` (RMSNorm, q/k/v bias, NEOX RoPE, SwiGLU, tied embeddings)'),
            ('parameters (total)', lambda r: f"{r['training']['params']['total']:,}"),
            ('parameters (non-embedding)', lambda r: f"{r['training']['params']['non_embedding']:,}"),
            ('hidden / layers / heads / kv heads / ffn', lambda r: '{hidden} / {layers} / {heads} / {kv_heads} / {ff}'.format(**r['config'])),
            ('context (trained = GGUF context_length)', lambda r: str(r['config']['context'])),
            ('RoPE base / RMS eps', lambda r: f"{r['config']['rope_base']:g} / {r['config']['rms_eps']:g}"),
            ('weights in the file', lambda r: 'Q8_0 matrices (incl. embedding), F32 norms and biases'),
            ('optimizer steps', lambda r: f"{r['training']['steps']:,}"),
            ('training tokens seen', lambda r: f"{r['training']['tokens']:,}"),
            ('training wall time', lambda r: f"{r['training']['seconds'] / 60:.1f} min"),
            ('CPU time received', lambda r: f"{r['training']['cpu_seconds'] / 60:.1f} min"),
            ('final training loss (EMA, nats/token)', lambda r: f"{r['training']['loss']:.3f}")]
    for label, fn in rows:
        w(f'| {label} | {fn(records["target"])} | {fn(records["draft"])} |')
    w('')
    ta, da = records['target']['training'].get('args', {}), records['draft']['training'].get('args', {})
    w('Hyper-parameters: AdamW (β 0.9/0.95, weight decay 0.1 on matrices), gradient clip 1.0, '
      f'linear warm-up {ta.get("warmup", "?")} steps then cosine to 10 % over the wall-clock budget, bf16 autocast, '
      f'batch {ta.get("batch", "?")} × {ta.get("ctx", "?")} tokens, peak learning rate {ta.get("lr", "?")} (target) / '
      f'{da.get("lr", "?")} (draft). Objective: 75 % fill-in-the-middle (PSM, 70 % of them in '
      'the repo-level layout `<|repo_name|>` … `<|file_sep|>path` the extension sends, some with a snippet of another '
      'file of the package), 25 % plain next-token prediction; see `models/training/lm/data.py`.\n')
    w('## Tokenizer\n')
    sp = ', '.join(f'`{t}` {tok["tokens"].index(t)}' for t in tok['specials'])
    w(f'Byte-level BPE with llama.cpp\'s `qwen2` pre-tokenizer, {len(tok["tokens"]):,} tokens '
      f'(256 bytes + {len(tok["merges"]):,} merges + {len(tok["specials"])} specials), trained on a 40 MB sample of the '
      f'training split. Special tokens and ids: {sp}. Exported as a `gpt2` tokenizer with merges and the '
      '`tokenizer.ggml.fim_*` keys; llama.cpp produces the same ids as training (checked on every held-out file '
      'and in `test/integration/trainedModel.test.ts`).\n')
    for role, name in (('target', a.target), ('draft', a.draft)):
        pp = f'{T}/results/tokenizer-parity-{name}.json'
        if os.path.exists(pp):
            r = json.load(open(pp))
            w(f'- `{name}.gguf`: {r["identical"]}/{r["files"]} files tokenized identically by llama.cpp and the training tokenizer ({r["tokens"]:,} tokens).')
    w('')
    w('## Corpus\n')
    w(f'{s["packages"]} packages ({s["files"]["train"]:,} training files, {s["files"]["heldout"]} held-out files); '
      f'{s["rejected"]} packages rejected (licence, no machine-readable copyright, nothing left after filtering). '
      f'Every package, its version, licence, file count and bytes: `models/training/{manifest}`.\n')
    w('| split/language | MB |\n| --- | --- |')
    for k, v in s['megabytes'].items(): w(f'| {k} | {v} |')
    w(f'\nPacked (gzip): train {s["packed_megabytes"]["train"]} MB, held-out {s["packed_megabytes"]["heldout"]} MB. Licence families (packages): ' +
      ', '.join(f'{k} {v}' for k, v in s['licence_families'].items()) + '.')
    w(f'Files dropped: ' + ', '.join(f'{k} {v}' for k, v in s['dropped_files'].items()) + '.\n')
    w('Held-out packages (never trained on, used for every figure below): ' + ', '.join(f'`{p}`' for p in s['heldout_packages']) + '.\n')
    w('## Hardware\n')
    w(f'{cpu_model()}, {os.cpu_count()} cores, shared with other jobs (training ran at `nice 19`; the CPU time '
      f'row above is what it actually got). PyTorch {torch_version} (Debian `python3-torch`), OpenBLAS (pthread), '
      'no GPU.\n')
    if ppl:
        w('## Evaluation: perplexity (PyTorch, held-out files)\n')
        w(f'{ppl["heldout_files"]} files, {ppl["scored_tokens"]:,} tokens ({ppl["scored_bytes"]:,} bytes).\n')
        w('| model | perplexity | bits/byte | top-1 token accuracy |\n| --- | --- | --- | --- |')
        for k, v in ppl['models'].items(): w(f'| {k} | {v["perplexity"]} | {v["bits_per_byte"]} | {v["top1_accuracy"]} |')
        w('')
    if comp:
        w('## Evaluation: next-line completion (node-llama-cpp, the GGUF files above)\n')
        w(f'{comp["samples"]} lines from the held-out files, cursor after the indentation, prompt as the extension builds it, '
          f'greedy, single line; {comp["threads"]} thread(s), context {comp["contextSize"]}.\n')
        w('| way | exact match | edit similarity | decode tok/s | draft tokens accepted / proposed |\n| --- | --- | --- | --- | --- |')
        for k in ('target', 'target+draft', 'target+draft (always 4)', 'target+lookup', 'draft', 'baseline: repeat previous line',
                  'multiline: target', 'multiline: target+draft', 'multiline: target+draft (always 4)', 'multiline: target+lookup'):
            v = comp['results'].get(k)
            if not v: continue
            acc = ''
            if 'draftProposed' in v:
                acc = f'{v["draftAccepted"]} / {v["draftProposed"]}' + (f' ({v["draftAcceptance"]:.1%})' if v['draftAcceptance'] is not None else '')
            w(f'| {k} | {v["exactMatch"]} | {v["editSimilarity"]} | {v.get("decodeTokensPerSecond", "")} | {acc} |')
        sp = comp['speculativeSpeedup']
        w(f'\nDecode speed relative to the target alone (>1 is a speed-up), through the engine\'s own decode loop '
          f'(`models/engine/speculativeDecoder.ts`): with the draft as the extension runs it (guesses while it is at least 50 % '
          f'sure, stops asking after 2 useless steps) single line {sp["singleLine"]}×, multi-line {sp["multiline"]}×; '
          f'the draft always guessing 4: {sp.get("singleLineAlways4")}× / {sp.get("multilineAlways4")}×; prompt lookup: '
          f'{sp.get("singleLineLookup")}× / {sp.get("multilineLookup")}×. Completions that differ with speculation: '
          f'{comp["outputsDifferWithDraft"]} of {comp["samples"]} (verification keeps the target\'s greedy choices; a difference is a numerical near-tie). '
          'Per-language figures and examples: `models/training/results/completion.json`.\n')
    print('\n'.join(out))


if __name__ == '__main__':
    main()
