"""Source files of one fetched package: a Debian binary package (.deb), a Debian source package
(.dsc with its tarballs) or an npm tarball. Returns the licence text/field and [(path, lang, text)];
build.py checks licences and filters files.

Languages are the 12 the extension has grammars for: ts, tsx, js, py, go, rs, java, c, cpp, cs,
rb, php. A `.h` header is C++ when it looks like C++ (class/namespace/template/`::`), else C.
"""
import json, os, re, shutil, subprocess, tarfile, tempfile

LANG_OF_EXT = {'.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js',
               '.jsx': 'js', '.py': 'py', '.go': 'go', '.rs': 'rs', '.java': 'java', '.cs': 'cs', '.c': 'c',
               '.h': 'h', '.cc': 'cpp', '.cpp': 'cpp', '.cxx': 'cpp', '.hpp': 'cpp', '.hh': 'cpp', '.hxx': 'cpp',
               '.ipp': 'cpp', '.rb': 'rb', '.php': 'php'}
CPP_HINT = re.compile(r'^\s*(class|namespace|template\s*<|using\s+namespace|public:|private:)|\w::\w', re.M)
# Where each kind of Debian binary package keeps its sources, and which languages it may give.
DEB_ROOTS = {
    'js': (['usr/share/nodejs', 'usr/lib/nodejs'], None),            # None: any language (JS packages ship .d.ts/.ts too)
    'py': (['usr/lib/python3/dist-packages'], {'py'}),
    'go': (['usr/share/gocode/src'], {'go'}),
    'rs': (['usr/share/cargo/registry'], {'rs'}),
    'rb': (['usr/lib/ruby/vendor_ruby', 'usr/share/rubygems-integration', 'usr/lib/ruby'], {'rb'}),
    'php': (['usr/share/php'], {'php'}),
    'hdr': (['usr/include'], {'c', 'cpp'}),
}
SOURCE_SKIP_DIRS = {'debian', '.git', '.pc', 'test-data', 'testdata', 'fixtures', 'examples-data'}


def lang_of(fn, text_head=''):
    lang = LANG_OF_EXT.get(os.path.splitext(fn)[1])
    if lang == 'h': lang = 'cpp' if CPP_HINT.search(text_head) else 'c'
    return lang


def read_text(full):
    try:
        with open(full, encoding='utf-8') as f: return f.read()
    except (UnicodeDecodeError, OSError):
        return None


def walk(base, accept, allowed_langs, skip_dirs=()):
    files = []
    for dp, dns, fns in os.walk(base):
        dns[:] = sorted(d for d in dns if d not in skip_dirs)
        for fn in sorted(fns):
            full = os.path.join(dp, fn)
            if os.path.islink(full) or not os.path.isfile(full) or os.path.splitext(fn)[1] not in LANG_OF_EXT: continue
            rel = os.path.relpath(full, base)
            if fn.endswith('.d.ts') and not accept(rel): continue
            text = read_text(full)
            if text is None: continue
            lang = lang_of(fn, text[:20000])
            if allowed_langs is not None and lang not in allowed_langs: continue
            files.append((rel, lang, text))
    return files


def deb_files(deb, kind):
    """(package name, version, copyright text, files) of one .deb."""
    name, version = os.path.basename(deb).split('_')[:2]
    tmp = tempfile.mkdtemp(prefix='corpus-')
    try:
        subprocess.run(['dpkg-deb', '-x', deb, tmp], check=True, capture_output=True)
        cp = os.path.join(tmp, 'usr/share/doc', name, 'copyright')
        copyright_text = open(cp, encoding='utf-8', errors='replace').read() if os.path.isfile(cp) else ''
        roots, langs = DEB_ROOTS[kind]
        files, seen = [], set()
        for r in roots:
            for rel, lang, text in walk(os.path.join(tmp, r), lambda rel: '@types/' in rel, langs):
                if rel in seen: continue      # usr/lib/ruby contains vendor_ruby
                seen.add(rel); files.append((rel, lang, text))
        return name, version, copyright_text, files
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def src_files(dsc):
    """(source package name, version, copyright text, files) of one Debian source package."""
    name, version = os.path.basename(dsc)[:-4].split('_')[:2]
    tmp = tempfile.mkdtemp(prefix='corpus-src-')
    try:
        out = os.path.join(tmp, 'x')
        r = subprocess.run(['dpkg-source', '--no-check', '-x', dsc, out], capture_output=True)
        if r.returncode != 0 or not os.path.isdir(out): return name, version, '', []
        cp = os.path.join(out, 'debian', 'copyright')
        copyright_text = open(cp, encoding='utf-8', errors='replace').read() if os.path.isfile(cp) else ''
        return name, version, copyright_text, walk(out, lambda rel: False, None, SOURCE_SKIP_DIRS)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def npm_files(tgz):
    tf = tarfile.open(tgz)
    members = {m.name: m for m in tf.getmembers() if m.isfile()}
    pj_m = next((m for n, m in members.items() if n.count('/') == 1 and n.endswith('/package.json')), None)
    if pj_m is None: return None
    pj = json.load(tf.extractfile(pj_m))
    lic = pj.get('license', pj.get('licenses', ''))
    if isinstance(lic, dict): lic = lic.get('type', '')
    if isinstance(lic, list): lic = ' or '.join(l.get('type', '') if isinstance(l, dict) else str(l) for l in lic)
    name = pj.get('name', ''); handwritten_dts = name.startswith('@types/') or name == 'type-fest'
    files = []
    for n in sorted(members):
        rel = n.split('/', 1)[1]
        if n.endswith('.d.ts') or n.endswith('.d.mts') or n.endswith('.d.cts'):
            if not (handwritten_dts or rel.startswith('src/')): continue
            flang = 'ts'
        else:
            if not rel.startswith('src/'): continue
            flang = LANG_OF_EXT.get(os.path.splitext(n)[1])
            if flang is None or flang == 'h': continue
        try:
            text = tf.extractfile(members[n]).read().decode('utf-8')
        except UnicodeDecodeError:
            continue
        files.append((rel, flang, text))
    return name, pj.get('version', ''), str(lic), files
