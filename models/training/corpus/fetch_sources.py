"""Fetch Debian *source* packages for the languages that binary packages do not ship as source
(Java, C#, C and C++): `apt-get source --download-only` (the .dsc, the upstream tarball and the
debian/ tarball, whose debian/copyright build.py checks). Nothing is unpacked here.

apt needs deb-src lines for this. The system's apt configuration is left alone: a private one is
made under OUT_DIR/apt from /etc/apt/sources.list.d/*.sources (and sources.list) with the same
mirrors, `Types: deb-src`, and its own lists directory, then `apt-get update` on that alone.

Package choice is deterministic, as in fetch.py: candidates from the Sources index by kind
(Java: builds a lib*-java with javahelper/maven/ant; C#: builds with mono/cli tooling; C/C++:
builds a lib*-dev and none of the other languages' toolchains), ordered by a hash of the name,
taken until the per-kind download budget (MB, x --scale) is spent.

usage: python3 fetch_sources.py OUT_DIR [--scale 1.0]   (writes OUT_DIR/src/* and OUT_DIR/fetched-sources.json)
"""
import argparse, glob, hashlib, json, os, re, subprocess

BUDGET_MB = {'java': 50, 'cs': 15, 'c': 60}      # compressed download size per kind
MAX_PKG_MB, MIN_PKG_KB = 4, 20
KINDS = [
    ('java', lambda b, bd: re.search(r'\blib\S*-java\b', b) and re.search(r'javahelper|maven-debian-helper|default-jdk|\bant\b|gradle', bd)),
    ('cs', lambda b, bd: re.search(r'mono-devel|cli-common-dev|mono-mcs|mono-xbuild|dotnet', bd)),
    ('c', lambda b, bd: re.search(r'\blib\S*-dev\b', b) and not re.search(r'java|mono|python3|ruby|php|golang|rustc|cargo|nodejs', bd)),
]
SKIP = re.compile(r'^(linux|gcc|llvm|firefox|thunderbird|chromium|libreoffice|openjdk|mono|qt|kde|gnome|texlive)')


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def private_apt(root):
    """apt options for a deb-src-only configuration with its own lists (system config untouched)."""
    os.makedirs(os.path.join(root, 'lists', 'partial'), exist_ok=True)
    text = ''
    for f in sorted(glob.glob('/etc/apt/sources.list.d/*.sources')):
        text += re.sub(r'^Types:.*$', 'Types: deb-src', open(f).read(), flags=re.M) + '\n'
    lines = []
    if os.path.exists('/etc/apt/sources.list'):
        lines = [re.sub(r'^deb\s', 'deb-src ', l) for l in open('/etc/apt/sources.list') if l.startswith('deb ')]
    open(os.path.join(root, 'src.sources'), 'w').write(text)
    open(os.path.join(root, 'src.list'), 'w').write(''.join(lines))
    return ['-o', f'Dir::Etc::SourceList={root}/src.list', '-o', f'Dir::Etc::SourceParts={root}/parts',
            '-o', f'Dir::State::Lists={root}/lists']


def sources_index(root, opts):
    os.makedirs(os.path.join(root, 'parts'), exist_ok=True)
    os.replace(os.path.join(root, 'src.sources'), os.path.join(root, 'parts', 'src.sources'))
    sh(['apt-get', *opts, 'update', '-q'])
    text = ''
    for f in sorted(glob.glob(os.path.join(root, 'lists', '*_source_Sources*'))):
        text += sh(['/usr/lib/apt/apt-helper', 'cat-file', f]) + '\n\n'
    return text


def candidates(text):
    best = {}
    for st in text.split('\n\n'):
        f = dict(re.findall(r'^([A-Za-z-]+): (.*)$', st, re.M))
        name = f.get('Package')
        if not name or SKIP.match(name): continue
        m = re.search(r'^Files:\n((?: .*\n?)*)', st, re.M)
        if not m: continue
        size = sum(int(l.split()[1]) for l in m.group(1).strip().split('\n'))
        if not (MIN_PKG_KB * 1024 <= size <= MAX_PKG_MB * 2**20): continue
        b = f.get('Binary', ''); bd = f.get('Build-Depends', '') + ' ' + f.get('Build-Depends-Indep', '')
        kind = next((k for k, test in KINDS if test(b, bd)), None)
        if kind: best[name] = (kind, size)
    return best


def main():
    ap = argparse.ArgumentParser(); ap.add_argument('out'); ap.add_argument('--scale', type=float, default=1.0)
    a = ap.parse_args()
    root = os.path.abspath(os.path.join(a.out, 'apt')); dest = os.path.join(a.out, 'src')
    os.makedirs(dest, exist_ok=True)
    opts = private_apt(root)
    cands = candidates(sources_index(root, opts))
    chosen = {k: [] for k in BUDGET_MB}; used = {k: 0 for k in BUDGET_MB}
    for name in sorted(cands, key=lambda n: hashlib.sha1(n.encode()).hexdigest()):
        kind, size = cands[name]
        if used[kind] + size > BUDGET_MB[kind] * 2**20 * a.scale: continue
        chosen[kind].append(name); used[kind] += size
    record = {}
    for kind, names in chosen.items():
        print(f'{kind}: {len(names)} source packages, {used[kind] // 2**20} MB', flush=True)
        failed = []
        for i, n in enumerate(names):
            if glob.glob(os.path.join(dest, f'{n}_*.dsc')): continue
            try: sh(['apt-get', *opts, 'source', '--download-only', '-q', n], cwd=dest)
            except subprocess.CalledProcessError: failed.append(n)
            if (i + 1) % 20 == 0: print(f'  {kind} {i + 1}/{len(names)}', flush=True)
        record[kind] = dict(packages=names, failed=failed)
        json.dump(record, open(os.path.join(a.out, 'fetched-sources.json'), 'w'), indent=1)


if __name__ == '__main__':
    main()
