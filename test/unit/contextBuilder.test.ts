import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CURSOR as C, SETTINGS, Workspace } from './contextHarness';

const small = { ...SETTINGS, prefixTokens: 120, suffixTokens: 40 };

/** A long python module: functions whose calls span several lines. */
function pythonModule(n: number): string {
  let out = 'import os\n\n';
  for (let i = 0; i < n; i++) {
    out += `def step_${i}(path, mode):\n    result = os.path.join(\n        path,\n        "part_${i}",\n        mode,\n    )\n    return result\n\n`;
  }
  return out;
}

describe('prompt windows', () => {
  test('python: the prefix window starts at a statement, not inside a multi-line call', async () => {
    const ws = new Workspace();
    const doc = await ws.open('mod.py', `${pythonModule(12)}def last():\n    ${C}\n`, small);
    const prefix = doc.request().request.prefix;
    assert.ok(prefix.length < doc.prefix.length);
    const firstLine = prefix.split('\n')[0];
    assert.match(firstLine, /^(def |    result = |    return |import )/, `window starts with ${JSON.stringify(firstLine)}`);
    assert.ok(doc.prefix.endsWith(prefix), 'no header needed at top level: the window is a plain tail');
  });
  test('the suffix window ends after a whole statement and keeps the cursor line whole', async () => {
    const ws = new Workspace();
    const doc = await ws.open('mod.py', `def first():\n    x = ${C} + 1\n${pythonModule(6)}`, small);
    const suffix = doc.request().request.suffix;
    assert.ok(suffix.startsWith(' + 1\n'));
    assert.ok(suffix.endsWith('\n'));
    const lastLine = suffix.trimEnd().split('\n').pop()!;
    assert.doesNotMatch(lastLine, /^\s+(path|mode|"part)/, `suffix ends inside a call: ${JSON.stringify(lastLine)}`);
  });
  test('typescript: headers of the enclosing class and method come first when they fall outside', async () => {
    const body = Array.from({ length: 60 }, (_, i) => `    const v${i} = compute(${i}, options);`).join('\n');
    const ws = new Workspace();
    const doc = await ws.open('a.ts', `export class Report extends Base {\n  private rows: Row[] = [];\n\n  render(options: Options): string {\n${body}\n    ${C}\n  }\n}\n`, small);
    const prefix = doc.request().request.prefix;
    assert.ok(prefix.startsWith('export class Report extends Base {\n  render(options: Options): string {\n'), prefix.slice(0, 120));
  });
  test('the prefix window start stays put while the user types (the KV cache stays valid)', async () => {
    const ws = new Workspace();
    const text = `${pythonModule(12)}def last():\n    value = ${C}\n`;
    const first = await ws.open('mod.py', text, small);
    const uri = first.uri;
    const start = first.request().request.prefix.slice(0, 40);
    let offset = first.offset;
    for (const ch of 'compute(') {
      ws.store.change(uri, [{ offset, length: 0, text: ch }]);
      offset++;
      const doc = ws.store.get(uri)!;
      const plan = ws.source.plan({ prefix: doc.text.slice(0, offset), suffix: doc.text.slice(offset), languageId: 'python', uri, offset }, small);
      assert.ok(!('skip' in plan) && plan.request.prefix.startsWith(start));
    }
  });
});

describe('definitions from other files', () => {
  test('typescript: an imported class outline, members of the type the code uses', async () => {
    const ws = new Workspace();
    await ws.add({
      'src/cart.ts': 'export class Cart {\n  items: Item[] = [];\n  add(item: Item): void {\n    this.items.push(item);\n  }\n  total(): number {\n    return this.items.reduce((s, i) => s + i.price, 0);\n  }\n}\nexport interface Item {\n  name: string;\n  price: number;\n}\n',
      'src/unrelated.ts': 'export function noise(): void {}\n',
    });
    const doc = await ws.open('src/app.ts', `import { Cart } from './cart';\n\nexport function checkout(cart: Cart) {\n  const sum = ${C}\n}\n`);
    const context = doc.request().request.context ?? [];
    const cart = context.find((s) => s.path === 'src/cart.ts');
    assert.ok(cart, JSON.stringify(context));
    assert.match(cart.text, /total\(\): number/);
    assert.match(cart.text, /add\(item: Item\): void/);
    assert.ok(!context.some((s) => s.path === 'src/unrelated.ts'));
    assert.equal(doc.request().request.filePath, 'src/app.ts');
    assert.equal(doc.request().request.repoName, 'demo');
  });
  test('python: from-import resolved to the module; the function signature is shown', async () => {
    const ws = new Workspace();
    await ws.add({ 'pkg/geometry.py': 'def area(width: float, height: float) -> float:\n    """Area of a rectangle."""\n    return width * height\n\nUNIT = "cm"\n' });
    const doc = await ws.open('pkg/main.py', `from .geometry import area\n\ndef report(w, h):\n    return ${C}\n`);
    const text = (doc.request().request.context ?? []).map((s) => `${s.path}\n${s.text}`).join('\n');
    assert.match(text, /pkg\/geometry\.py\ndef area\(width: float, height: float\) -> float:/);
    assert.match(text, /UNIT = "cm"/, 'the rest of the imported module\'s top level too');
  });
  test('go: a type from another file of the package, with its fields', async () => {
    const ws = new Workspace();
    await ws.add({ 'cart/item.go': 'package cart\n\ntype Item struct {\n\tName  string\n\tPrice int\n}\n\nfunc NewItem(name string, price int) Item {\n\treturn Item{Name: name, Price: price}\n}\n' });
    const doc = await ws.open('cart/total.go', `package cart\n\nfunc Total(items []Item) int {\n\tsum := 0\n\t${C}\n}\n`);
    const item = (doc.request().request.context ?? []).find((s) => s.path === 'cart/item.go');
    assert.ok(item);
    assert.match(item.text, /Price int/);
  });
  test('rust and java and c: definitions found through use / import / #include', async () => {
    const ws = new Workspace();
    await ws.add({
      'src/money.rs': 'pub struct Money {\n    pub cents: i64,\n}\n\npub fn format_money(m: &Money) -> String {\n    format!("{}", m.cents)\n}\n',
      'src/main/java/shop/Price.java': 'package shop;\n\npublic class Price {\n  public long cents;\n  public static Price of(long cents) {\n    Price p = new Price();\n    p.cents = cents;\n    return p;\n  }\n}\n',
      'include/ring.h': '#define RING_SIZE 64\ntypedef struct ring {\n    int head;\n    int tail;\n} ring_t;\nint ring_push(ring_t *r, int v);\n',
    });
    const rs = await ws.open('src/main.rs', `use crate::money::Money;\n\nfn main() {\n    let m = Money { cents: 5 };\n    ${C}\n}\n`);
    assert.ok((rs.request().request.context ?? []).some((s) => s.path === 'src/money.rs' && /fn format_money/.test(s.text)));
    const java = await ws.open('src/main/java/shop/Cart.java', `package shop;\n\nimport shop.Price;\n\nclass Cart {\n  Price total() {\n    ${C}\n  }\n}\n`);
    assert.ok((java.request().request.context ?? []).some((s) => s.path.endsWith('Price.java') && /static Price of\(long cents\)/.test(s.text)));
    const c = await ws.open('src/ring.c', `#include "../include/ring.h"\n\nint ring_push(ring_t *r, int v) {\n    ${C}\n}\n`);
    assert.ok((c.request().request.context ?? []).some((s) => s.path === 'include/ring.h' && /RING_SIZE/.test(s.text)));
  });
  test('the same file\'s definitions outside the windows are shown as an outline', async () => {
    const ws = new Workspace();
    const far = pythonModule(30);
    const text = `def helper_alpha(x, y):\n    return x + y\n\n${far}def main():\n    ${C}\n`;
    await ws.add({ 'mod.py': text.replace(C, '') });
    const doc = await ws.open('mod.py', text, small);
    const own = (doc.request().request.context ?? []).find((s) => s.path === 'mod.py');
    assert.ok(own && /def helper_alpha\(x, y\):/.test(own.text));
  });
});

describe('recent chunks', () => {
  test('code edited in another file comes along; code already in the window does not', async () => {
    const ws = new Workspace();
    const other = await ws.open('lib/format.ts', `export function money(cents: number): string {\n  return (cents / 100).toFixed(2);${C}\n}\n`);
    ws.store.change(other.uri, [{ offset: other.offset, length: 0, text: ' // two decimals' }]);
    const doc = await ws.open('app.ts', `const label = ${C}\n`);
    const recent = (doc.request().request.context ?? []).find((s) => s.path === 'lib/format.ts');
    assert.ok(recent && /two decimals/.test(recent.text));
    ws.store.change(doc.uri, [{ offset: doc.offset, length: 0, text: 'x' }]);
    const again = ws.source.plan({ prefix: 'const label = x', suffix: '\n', languageId: 'typescript', uri: doc.uri, offset: doc.offset + 1 }, SETTINGS);
    assert.ok(!('skip' in again) && !(again.request.context ?? []).some((s) => s.path === 'app.ts'), 'its own edit is in the window already');
  });
  test('a language without a grammar still gets recent chunks and its comment marker', async () => {
    const ws = new Workspace();
    const other = await ws.open('util.lua', `local function add(a, b)\n  return a + b${C}\nend\n`, SETTINGS, 'lua');
    ws.store.change(other.uri, [{ offset: other.offset, length: 0, text: ' -- sum' }]);
    const doc = await ws.open('main.lua', `local x = ${C}\n`, SETTINGS, 'lua');
    const r = doc.request().request;
    assert.equal(r.lineComment, '--');
    assert.ok((r.context ?? []).some((s) => s.path === 'util.lua'));
  });
  test('snippet order is stable between keystrokes (files shown before keep their place)', async () => {
    const ws = new Workspace();
    await ws.add({ 'a.ts': 'export function alpha(): number { return 1; }\n', 'b.ts': 'export function beta(): number { return 2; }\n' });
    const doc = await ws.open('main.ts', `import { alpha } from './a';\nimport { beta } from './b';\nconst x = alpha() + ${C}\n`);
    const order = (doc.request().request.context ?? []).map((s) => s.path);
    ws.store.change(doc.uri, [{ offset: doc.offset, length: 0, text: 'b' }]);
    const text = ws.store.get(doc.uri)!.text;
    const again = ws.source.plan({ prefix: text.slice(0, doc.offset + 1), suffix: text.slice(doc.offset + 1), languageId: 'typescript', uri: doc.uri, offset: doc.offset + 1 }, SETTINGS);
    assert.ok(!('skip' in again));
    assert.deepEqual((again.request.context ?? []).map((s) => s.path).filter((p) => order.includes(p)), order);
  });
});

describe('failures of the syntax path', () => {
  test('cost the context, not the completion: the plain plan and post-processing take over', async () => {
    const ws = new Workspace();
    const errors: unknown[] = [];
    ws.source.options.onError = (e) => errors.push(e);
    ws.builder.build = () => { throw new Error('boom'); };
    const doc = await ws.open('a.ts', `const total = sum(${C});\n`);
    assert.equal(doc.request().mode, 'plain');
    assert.equal(doc.request().finish('a, b)'), 'a, b');
    assert.equal(errors.length, 1);
  });
});
