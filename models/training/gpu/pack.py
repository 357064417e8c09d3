"""Make the folder the GPU run needs (models/training/device/, git-ignored, carried by the device
tool): the training split as xz-compressed JSON lines, the tokenizer, and pack.json (sizes,
checksums, the corpus manifest's summary). It must stay under the device's 64 MiB carry limit
together with the tracked tree; --max-mb trims the corpus (whole files, in a fixed random order,
each language keeping its share) until the xz file fits.

usage: python3 pack.py CORPUS_DIR TOKENIZER_JSON OUT_DIR [--max-mb 46] [--manifest corpus-manifest.json]
       [--sample-mb N]   (a small corpus for the CPU rehearsal) [--preset 6]
"""
import argparse, gzip, hashlib, json, os, random, shutil, subprocess, sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('corpus'); ap.add_argument('tokenizer'); ap.add_argument('out')
    ap.add_argument('--max-mb', type=float, default=46.0, help='xz size limit (MiB); the tracked tree shares the 64 MiB carry limit')
    ap.add_argument('--sample-mb', type=float, default=0, help='keep about this many MB of text (0: all)')
    ap.add_argument('--preset', type=int, default=6, help='xz preset (9 packs ~5%% smaller, several times slower)')
    ap.add_argument('--manifest')
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    with gzip.open(os.path.join(a.corpus, 'train.jsonl.gz'), 'rt', encoding='utf-8') as f:
        lines = f.readlines()
    order = list(range(len(lines))); random.Random(0).shuffle(order)
    total = sum(len(l) for l in lines)
    def compress(idx, path):
        """xz (all cores) of the chosen lines; returns the compressed size."""
        with open(path, 'wb') as out:
            p = subprocess.Popen(['xz', f'-{a.preset}', '-T0', '-c'], stdin=subprocess.PIPE, stdout=out)
            for i in idx: p.stdin.write(lines[i].encode('utf-8'))
            p.stdin.close()
            if p.wait() != 0: sys.exit('xz failed')
        return os.path.getsize(path)

    def choose(budget):
        keep, size = [], 0
        for i in order:
            if size + len(lines[i]) > budget: continue
            keep.append(i); size += len(lines[i])
        return sorted(keep), size                      # files of a package stay together, as built

    dest = os.path.join(a.out, 'train.jsonl.xz')
    if a.sample_mb:
        budget = a.sample_mb * 1e6
    else:   # the xz ratio measured on a 2% sample sizes the first (and usually only) try
        probe, _ = choose(total * 0.02)
        ratio = sum(len(lines[i]) for i in probe) / max(1, compress(probe, dest + '.probe'))
        os.remove(dest + '.probe')
        budget = min(total, a.max_mb * 2**20 * ratio * 0.97)
    dest_tmp = dest + '.tmp'
    while True:
        keep, size = choose(budget)
        xz = compress(keep, dest_tmp)
        print(f'{len(keep)} of {len(lines)} files, {size / 1e6:.1f} MB of JSON -> {xz / 2**20:.1f} MiB xz -{a.preset}', flush=True)
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
