"""Make the folder the GPU run needs (models/training/device/, git-ignored, carried by the device
tool): the training split as xz-compressed JSON lines, the tokenizer, and pack.json (sizes,
checksums, the corpus manifest's summary). It must stay under the device's 64 MiB carry limit
together with the tracked tree; --max-mb trims the corpus (whole files, in a fixed random order,
each language keeping its share) until the xz file fits.

usage: python3 pack.py CORPUS_DIR TOKENIZER_JSON OUT_DIR [--max-mb 56] [--manifest corpus-manifest.json]
       [--sample-mb N]   (a small corpus for the CPU rehearsal)
"""
import argparse, gzip, hashlib, json, lzma, os, random, shutil


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('corpus'); ap.add_argument('tokenizer'); ap.add_argument('out')
    ap.add_argument('--max-mb', type=float, default=56.0, help='xz size limit (MiB)')
    ap.add_argument('--sample-mb', type=float, default=0, help='keep about this many MB of text (0: all)')
    ap.add_argument('--ratio', type=float, default=7.0, help='expected xz ratio, to size the first try')
    ap.add_argument('--manifest')
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    with gzip.open(os.path.join(a.corpus, 'train.jsonl.gz'), 'rt', encoding='utf-8') as f:
        lines = f.readlines()
    order = list(range(len(lines))); random.Random(0).shuffle(order)
    total = sum(len(l) for l in lines)
    budget = a.sample_mb * 1e6 if a.sample_mb else min(total, a.max_mb * 2**20 * a.ratio)
    dest = os.path.join(a.out, 'train.jsonl.xz')
    while True:
        keep, size = [], 0
        for i in order:
            if size + len(lines[i]) > budget: continue
            keep.append(i); size += len(lines[i])
        keep.sort()                                   # files of a package stay together, as built
        with lzma.open(dest + '.tmp', 'wt', encoding='utf-8', preset=9 | lzma.PRESET_EXTREME if a.sample_mb == 0 else 6) as f:
            for i in keep: f.write(lines[i])
        xz = os.path.getsize(dest + '.tmp')
        print(f'{len(keep)} of {len(lines)} files, {size / 1e6:.1f} MB of JSON -> {xz / 2**20:.1f} MiB xz', flush=True)
        if xz <= a.max_mb * 2**20 or a.sample_mb: break
        budget = size * (a.max_mb * 2**20 / xz) * 0.98
    os.replace(dest + '.tmp', dest)
    shutil.copy(a.tokenizer, os.path.join(a.out, 'tokenizer.json'))
    langs = {}
    for i in keep:
        r = json.loads(lines[i]); langs[r['lang']] = langs.get(r['lang'], 0) + len(r['text'].encode())
    summary = dict(files=len(keep), files_in_corpus=len(lines), text_mb={k: round(v / 1e6, 2) for k, v in sorted(langs.items())},
                   text_mb_total=round(sum(langs.values()) / 1e6, 1), xz_mib=round(os.path.getsize(dest) / 2**20, 2))
    sha = {fn: hashlib.sha256(open(os.path.join(a.out, fn), 'rb').read()).hexdigest() for fn in ('train.jsonl.xz', 'tokenizer.json')}
    pack = dict(summary=summary, sha256=sha)
    if a.manifest: pack['corpus'] = json.load(open(a.manifest))['summary']
    json.dump(pack, open(os.path.join(a.out, 'pack.json'), 'w'), indent=1)
    print(json.dumps(summary))


if __name__ == '__main__':
    main()
