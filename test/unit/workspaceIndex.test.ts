import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { GitIgnore } from '../../context/ignoreRules';
import { extractImports } from '../../context/imports';
import { RecentChunks } from '../../context/recentChunks';
import { indexText, listSourceFiles } from '../../context/workspaceScanner';
import { WorkspaceIndex } from '../../context/workspaceIndex';
import { grammars } from './contextHarness';

async function defs(file: string, text: string) {
  const languageId = { ts: 'typescript', py: 'python', go: 'go', rs: 'rust', java: 'java', c: 'c', cpp: 'cpp', cs: 'csharp', rb: 'ruby', php: 'php' }[file.split('.').pop()!]!;
  const entry = indexText((await grammars.load(languageId))!, file, languageId, text)!;
  return entry.defs;
}
const names = (list: { name: string; kind: string }[]) => list.map((d) => `${d.kind}:${d.name}`);

describe('definitions from tags.scm (plus the kinds the grammars leave out)', () => {
  test('typescript: classes, methods, fields, interfaces, types, enums, functions, constants', async () => {
    const d = await defs('a.ts', 'export const LIMIT = 3;\nexport interface Item { name: string }\ntype Id = string;\nenum Color { Red, Green }\nexport class Cart {\n  items: Item[] = [];\n  add(i: Item): void {}\n}\nexport function total(c: Cart): number { return 0; }\n');
    for (const n of ['constant:LIMIT', 'interface:Item', 'field:name', 'type:Id', 'enum:Color', 'class:Cart', 'field:items', 'method:add', 'function:total']) assert.ok(names(d).includes(n), `${n} in ${names(d)}`);
    const add = d.find((x) => x.name === 'add')!;
    assert.equal(d[add.container!].name, 'Cart', 'members know their class');
  });
  test('python: a class outline lists signatures, not bodies; self.x fields once', async () => {
    const d = await defs('a.py', 'class Cart:\n    TAX = 0.2\n    def __init__(self):\n        self.items = []\n        self.items = list()\n    def total(self, discount=0):\n        s = sum(self.items)\n        s -= discount\n        return s * (1 + self.TAX)\n');
    assert.deepEqual(names(d).filter((n) => n.endsWith(':items')), ['field:items']);
    const cart = d.find((x) => x.name === 'Cart')!;
    assert.match(cart.text, /def total\(self, discount=0\): \.\.\./);
    assert.doesNotMatch(cart.text, /s -= discount/);
  });
  test('go, rust, java, c, c++, c#, ruby, php', async () => {
    const cases: [string, string, string[]][] = [
      ['a.go', 'package m\ntype T struct {\n\tA int\n}\nconst Max = 3\nfunc (t *T) Get() int { return t.A }\nfunc New() *T { return &T{} }\n', ['type:T', 'field:A', 'constant:Max', 'method:Get', 'function:New']],
      ['a.rs', 'struct S { a: i32 }\nenum E { One, Two }\nconst N: usize = 3;\nimpl S {\n    fn get(&self) -> i32 { self.a }\n}\nfn free() {}\n', ['struct:S', 'field:a', 'enum:E', 'constant:One', 'constant:N', 'method:get', 'function:free', 'impl:S']],
      ['A.java', 'class A {\n  static final int N = 3;\n  int x;\n  A() {}\n  int get() { return x; }\n}\nenum E { ONE, TWO }\n', ['class:A', 'field:N', 'field:x', 'method:get', 'enum:E', 'constant:ONE']],
      ['a.c', '#define N 3\nstruct s { int a; };\ntypedef struct s s_t;\nint get(s_t *p) { return p->a; }\nenum e { ONE };\n', ['macro:N', 'struct:s', 'field:a', 'type:s_t', 'function:get', 'constant:ONE']],
      ['a.cpp', 'namespace n {\nclass A {\n public:\n  int get() const { return 1; }\n};\n}\nint n::A::other() { return 2; }\n', ['module:n', 'class:A', 'function:get']],
      ['A.cs', 'namespace N {\nclass A {\n  public int X { get; set; }\n  void Run() {}\n}\n}\n', ['module:N', 'class:A', 'field:X', 'method:Run']],
      ['a.rb', 'module M\n  LIMIT = 3\n  class Cart\n    def total(items)\n      items.sum\n    end\n  end\nend\n', ['module:M', 'constant:LIMIT', 'class:Cart', 'method:total']],
      ['a.php', '<?php\nnamespace App;\nclass Cart {\n  public $items;\n  const MAX = 3;\n  function total() { return 0; }\n}\n', ['module:App', 'class:Cart', 'field:items', 'constant:MAX', 'function:total']],
    ];
    for (const [file, text, want] of cases) {
      const got = names(await defs(file, text));
      for (const n of want) assert.ok(got.includes(n), `${file}: ${n} in ${got}`);
    }
  });
});

describe('imports', () => {
  test('extraction per language', () => {
    assert.deepEqual(extractImports('typescript', "import { a } from './a';\nimport b from \"../b.js\";\nconst c = require('./c');\n"), ['./a', '../b.js', './c']);
    assert.deepEqual(extractImports('python', 'from .geometry import area, UNIT\nimport os.path\n'), ['.geometry:area,UNIT', 'os.path']);
    assert.deepEqual(extractImports('go', 'package m\n\nimport (\n\t"fmt"\n\tx "github.com/o/r/pkg/util"\n)\n\nfunc f() { println("not an import") }\n'), ['fmt', 'github.com/o/r/pkg/util']);
    assert.deepEqual(extractImports('rust', 'use crate::money::Money;\nmod parser;\n'), ['crate::money::Money', 'parser']);
    assert.deepEqual(extractImports('java', 'import shop.Price;\nimport static shop.Util.*;\n'), ['shop.Price', 'shop.Util.*']);
    assert.deepEqual(extractImports('cpp', '#include "ring.h"\n#include <vector>\n'), ['ring.h']);
    assert.deepEqual(extractImports('ruby', "require_relative 'cart'\nrequire 'json'\n"), ['./cart', 'json']);
    assert.deepEqual(extractImports('php', "<?php\nuse App\\Models\\User;\nrequire_once 'lib.php';\n"), ['App\\Models\\User', 'lib.php']);
  });
  test('resolution to workspace files', () => {
    const index = new WorkspaceIndex();
    for (const p of ['src/cart.ts', 'src/util/index.ts', 'pkg/geometry.py', 'lib/r/pkg/util/u.go', 'src/money.rs', 'src/main/java/shop/Price.java', 'include/ring.h', 'lib/cart.rb', 'app/Models/User.php']) {
      index.set({ path: p, languageId: 'x', defs: [], imports: [] });
    }
    assert.deepEqual(index.resolveImports('src/app.ts', 'typescript', ['./cart', './util', 'react']), ['src/cart.ts', 'src/util/index.ts']);
    assert.deepEqual(index.resolveImports('src/app.ts', 'typescript', ['./cart.js']), ['src/cart.ts'], 'node16 .js specifiers map to .ts');
    assert.deepEqual(index.resolveImports('pkg/main.py', 'python', ['.geometry:area']), ['pkg/geometry.py']);
    assert.deepEqual(index.resolveImports('cmd/main.go', 'go', ['github.com/o/r/pkg/util']), ['lib/r/pkg/util/u.go']);
    assert.deepEqual(index.resolveImports('src/main.rs', 'rust', ['crate::money::Money']), ['src/money.rs']);
    assert.deepEqual(index.resolveImports('src/main/java/shop/Cart.java', 'java', ['shop.Price']), ['src/main/java/shop/Price.java']);
    assert.deepEqual(index.resolveImports('src/ring.c', 'c', ['ring.h']), ['include/ring.h']);
    assert.deepEqual(index.resolveImports('lib/shop.rb', 'ruby', ['./cart']), ['lib/cart.rb']);
    assert.deepEqual(index.resolveImports('app/Http/C.php', 'php', ['App\\Models\\User']), ['app/Models/User.php']);
  });
});

describe('workspace files', () => {
  test('skips dependency, build and ignored folders, minified and non-source files', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lcc-scan-'));
    const put = (p: string, text = 'x = 1\n') => { fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true }); fs.writeFileSync(path.join(root, p), text); };
    put('.gitignore', 'generated/\n*.tmp.py\n/secret.py\n');
    for (const p of ['src/a.py', 'src/deep/b.ts', 'node_modules/x/index.js', 'dist/out.js', '.git/hooks/h.py', 'generated/g.py', 'src/c.tmp.py', 'secret.py', 'src/secret.py', 'app.min.js', 'README.md']) put(p);
    try {
      assert.deepEqual((await listSourceFiles(root)).sort(), ['src/a.py', 'src/deep/b.ts', 'src/secret.py']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
  test('.gitignore patterns', () => {
    const g = new GitIgnore('', 'build/\n**/tmp\n*.log\n/root-only.txt\ndocs/**/*.png\n');
    assert.ok(g.ignores('build', true) && !g.ignores('build', false));
    assert.ok(g.ignores('a/b/tmp', true) && g.ignores('x.log', false) && g.ignores('a/x.log', false));
    assert.ok(g.ignores('root-only.txt', false) && !g.ignores('a/root-only.txt', false));
    assert.ok(g.ignores('docs/a/b/c.png', false) && !g.ignores('img/c.png', false));
  });
});

describe('recent chunks ring buffer', () => {
  test('edits in one place merge into one chunk; the buffer keeps the newest 16; visible ones are left out', () => {
    const ring = new RecentChunks();
    const text = Array.from({ length: 100 }, (_, i) => `line ${i};`).join('\n');
    for (let i = 0; i < 5; i++) ring.recordEdit('a', 'a.ts', text, 50, text.indexOf('line 50;'));
    assert.equal(ring.size, 1);
    for (let i = 0; i < 20; i++) ring.recordView(`v${i}`, `v${i}.ts`, `view ${i} a;\nview ${i} b;\nview ${i} c;`, 0);
    assert.equal(ring.size, 16);
    const picked = ring.forPrompt('view 19 a;\nview 19 b;\nview 19 c;\n', 10_000);
    assert.ok(!picked.some((c) => c.uri === 'v19'));
    assert.equal(picked[picked.length - 1].uri, 'v18', 'newest last (nearest the cursor)');
  });
});
