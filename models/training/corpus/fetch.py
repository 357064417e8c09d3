"""Fetch the raw material of the training corpus: Debian binary packages that ship source code
(node-*, python3-*, golang-*-dev, librust-*-dev, ruby-*, php-*, and Architecture: all lib*-dev
packages, which are header-only C/C++ libraries) with `apt-get download`, and npm packages that
ship TypeScript sources with `npm pack`. Nothing is unpacked or filtered here (build.py does it).

Package choice is deterministic: candidates come from the local apt index (`apt-cache
dumpavail`, after `apt-get update`), ordered by a hash of their name, and taken until the
per-language installed-size budget is spent. Same index + same budgets = same packages.

usage: python3 fetch.py OUT_DIR [--scale 1.0]
"""
import argparse, hashlib, json, os, re, subprocess, sys

# Installed-size budgets in MB per language (installed size counts docs and data too; build.py
# keeps only source files and caps each language). --scale multiplies them (a GPU run: 4-8).
BUDGET_MB = {'js': 130, 'py': 150, 'go': 45, 'rs': 45, 'rb': 50, 'php': 50, 'hdr': 35}
PATTERNS = {
    'js': re.compile(r'^node-[a-z0-9.+-]+$'),
    'py': re.compile(r'^python3-[a-z0-9.+-]+$'),
    'go': re.compile(r'^golang-[a-z0-9.+-]+-dev$'),
    'rs': re.compile(r'^librust-[a-z0-9.+-]+-dev$'),
    'rb': re.compile(r'^ruby-[a-z0-9.+-]+$'),
    'php': re.compile(r'^php-[a-z0-9.+-]+$'),
    'hdr': re.compile(r'^lib[a-z0-9.+-]+-dev$'),      # Architecture: all only (header-only C/C++)
}
ARCH_ALL_ONLY = {'rb', 'php', 'hdr'}
# The first corpus's held-out Debian packages: always fetched, so that build.py keeps them held out
# and the old and new bundled models are compared on code neither was trained on.
ALWAYS = {'golang-codesearch-dev': 'go', 'golang-github-cloudflare-sidh-dev': 'go', 'librust-ord-subset-dev': 'rs',
          'librust-vt100-dev': 'rs', 'node-d3-scale-chromatic': 'js', 'node-readable-stream': 'js', 'node-tapable': 'js',
          'node-tough-cookie': 'js', 'node-ua-parser-js': 'js', 'node-unbzip2-stream': 'js', 'python3-aionotify': 'py',
          'python3-flaskext.wtf': 'py', 'python3-icalendar': 'py', 'python3-molotov': 'py', 'python3-pyscss': 'py',
          'python3-tinycss2': 'py'}
# Packages that are not code we want: docs, debug symbols, huge data packages.
SKIP = re.compile(r'(-doc|-dbg|-dbgsym|-data|-examples|-tests?|-fonts?|-icons?)$')
MAX_PKG_KB = 12_000   # one package may not dominate a language
MIN_PKG_KB = 8        # metapackages and empty shells

# npm packages that ship their authored TypeScript (src/) or hand-written declarations
# (@types/*, type-fest). build.py keeps src/ and hand-written .d.ts only, and checks each
# package.json licence; a package that turns out to ship no source simply contributes nothing.
NPM_PACKAGES = [
    'rxjs', 'zod', 'immer', 'mobx', '@tanstack/query-core', '@tanstack/react-query', '@tanstack/table-core',
    '@tanstack/router-core', '@reduxjs/toolkit', 'redux', '@trpc/server', '@trpc/client',
    'prosemirror-model', 'prosemirror-state', 'prosemirror-view', 'prosemirror-transform',
    'prosemirror-commands', 'prosemirror-markdown', '@codemirror/state', '@codemirror/view',
    '@codemirror/language', '@codemirror/autocomplete', '@lezer/common', '@lezer/lr',
    'fp-ts', 'io-ts', 'effect', 'valibot', 'superstruct', 'neverthrow', 'ts-pattern', 'type-fest',
    '@sinclair/typebox', '@preact/signals-core', '@floating-ui/core', '@floating-ui/dom',
    'vscode-languageserver-types', 'vscode-uri', 'hono', 'ky', 'ofetch', 'defu', 'hookable',
    'unstorage', 'h3', 'citty', 'consola', 'pathe', 'ufo', 'magic-string', 'mitt', 'nanostores',
    'yjs', 'lib0', 'three', 'd3-array', 'd3-scale', 'd3-shape', 'd3-selection', 'svelte', 'preact',
    'date-fns', 'remeda', 'radash', 'ts-essentials', 'utility-types', 'xstate', '@xstate/store',
    'jotai', 'zustand', 'valtio', 'solid-js', '@solid-primitives/utils', 'kysely', 'drizzle-orm',
    'class-variance-authority', 'tailwind-merge', 'clsx', 'fast-check', 'msw', 'vitest',
    '@vitest/expect', '@vitest/runner', '@vitest/utils', 'vite', 'rollup', 'esbuild-wasm',
    'typedoc', 'ts-morph', '@ts-morph/common', 'chokidar', 'commander', 'yargs', 'ajv',
    '@types/node', '@types/react', '@types/react-dom', '@types/vscode', '@types/lodash',
    '@types/express', '@types/express-serve-static-core', '@types/jest', '@types/mocha',
    '@types/ws', '@types/yargs', '@types/estree', '@types/three', '@types/d3-selection',
    '@types/chrome', '@types/jquery', '@types/node-fetch', '@types/semver', '@types/eslint',
    # React/Solid packages that ship authored TSX under src/ (TSX is its own grammar in the extension)
    '@tanstack/react-table', '@tanstack/react-virtual', '@tanstack/react-router', '@tanstack/react-form',
    '@tanstack/solid-query', '@tanstack/solid-table', '@tanstack/react-store', '@floating-ui/react',
    '@floating-ui/react-dom', 'react-resizable-panels', 'react-day-picker', '@react-three/fiber',
    '@react-three/drei', 'jotai-devtools', '@solid-primitives/scheduled', '@kobalte/core', 'solid-toast',
    '@headlessui/react', '@tiptap/react', 'react-error-boundary', 'use-debounce', 'swr', 'ink',
    '@mdx-js/react', 'react-hot-toast', 'sonner', 'vaul', 'cmdk', 'recharts', '@visx/shape',
    '@tanstack/react-query-devtools', 'react-markdown', '@uiw/react-codemirror', 'react-aria-components',
]

NPM_HELDOUT = ['immer', 'redux', 'tailwind-merge', 'prosemirror-commands', '@tanstack/react-virtual']   # build.py HELDOUT_NPM


def sh(cmd, cwd=None):
    return subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, text=True).stdout

def candidates():
    text = sh(['apt-cache', 'dumpavail'])
    best = {}
    for stanza in text.split('\n\n'):
        f = dict(re.findall(r'^([A-Za-z-]+): (.*)$', stanza, re.M))
        name = f.get('Package')
        if not name or SKIP.search(name): continue
        lang = next((k for k, p in PATTERNS.items() if p.match(name) and not (k == 'hdr' and name.startswith('librust-'))), None)
        if not lang: continue
        if lang in ARCH_ALL_ONLY and f.get('Architecture') != 'all': continue
        kb = int(f.get('Installed-Size', '0'))
        if not (MIN_PKG_KB <= kb <= MAX_PKG_KB): continue
        best[name] = (lang, kb)
    return best

def pick(cands, scale):
    chosen = {k: [] for k in BUDGET_MB}; used = {k: 0 for k in BUDGET_MB}
    order = sorted(cands, key=lambda n: hashlib.sha1(n.encode()).hexdigest())
    for name in order:
        lang, kb = cands[name]
        if used[lang] + kb > BUDGET_MB[lang] * 1024 * scale: continue
        chosen[lang].append(name); used[lang] += kb
    return chosen, used

def apt_download(names, dest):
    ok, failed = [], []
    for i in range(0, len(names), 40):
        batch = names[i:i + 40]
        try:
            sh(['apt-get', 'download', '-q'] + batch, cwd=dest); ok += batch
        except subprocess.CalledProcessError:
            for n in batch:
                try: sh(['apt-get', 'download', '-q', n], cwd=dest); ok.append(n)
                except subprocess.CalledProcessError: failed.append(n)
        print(f'  apt {min(i + 40, len(names))}/{len(names)}', flush=True)
    return ok, failed

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('out'); ap.add_argument('--scale', type=float, default=1.0)
    ap.add_argument('--skip-npm', action='store_true'); ap.add_argument('--skip-apt', action='store_true')
    ap.add_argument('--langs', help='comma-separated subset of the Debian kinds (default: all)')
    ap.add_argument('--npm-limit', type=int, default=0, help='only the first N npm packages (and the held-out ones): a rehearsal')
    a = ap.parse_args()
    deb_dir = os.path.join(a.out, 'deb'); npm_dir = os.path.join(a.out, 'npm')
    os.makedirs(deb_dir, exist_ok=True); os.makedirs(npm_dir, exist_ok=True)
    record = {'debian': {}, 'npm': {}}
    if not a.skip_apt:
        chosen, used = pick(candidates(), a.scale)
        for name, lang in ALWAYS.items():
            if name not in chosen[lang]: chosen[lang].append(name)
        for lang, names in chosen.items():
            if a.langs and lang not in a.langs.split(','): continue
            have = {f.split('_')[0] for f in os.listdir(deb_dir) if f.endswith('.deb')}
            todo = [n for n in names if n not in have]
            print(f'{lang}: {len(names)} packages, {used[lang] // 1024} MB installed, {len(todo)} to download', flush=True)
            ok, failed = apt_download(todo, deb_dir)
            record['debian'][lang] = dict(packages=names, failed=failed)
    if not a.skip_npm:
        have = set(os.listdir(npm_dir)); failed = []
        npm = NPM_PACKAGES[:a.npm_limit] + [n for n in NPM_HELDOUT if n not in NPM_PACKAGES[:a.npm_limit]] if a.npm_limit else NPM_PACKAGES
        for name in npm:
            stem = name.replace('@', '').replace('/', '-')
            if any(f.startswith(stem + '-') and f.endswith('.tgz') for f in have): continue
            try: sh(['npm', 'pack', '--silent', name], cwd=npm_dir)
            except subprocess.CalledProcessError as e: failed.append(name); print('  npm pack failed:', name, e.stderr[-200:], flush=True)
        record['npm'] = dict(packages=npm, failed=failed)
        print(f'npm: {len(npm) - len(failed)} tarballs', flush=True)
    json.dump(record, open(os.path.join(a.out, 'fetched.json' if not a.langs else f'fetched-{a.langs}.json'), 'w'), indent=1)

if __name__ == '__main__':
    main()
