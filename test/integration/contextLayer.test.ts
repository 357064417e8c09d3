import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { ContextLayer } from '../../completion/contextLayer';

const settings = { maxTokens: 64, multiline: true, prefixTokens: 768, suffixTokens: 128 };

describe('context layer, as the extension wires it', () => {
  test('workspace indexed by the worker; documents fed by events; plans use both', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lcc-layer-'));
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src/money.ts'), 'export function formatMoney(cents: number, currency: string): string {\n  return `${(cents / 100).toFixed(2)} ${currency}`;\n}\n');
    const errors: unknown[] = [];
    const layer = new ContextLayer({ onError: (e) => errors.push(e) });
    try {
      layer.setWorkspace(root, 'shop');
      const deadline = Date.now() + 15_000;
      while (!layer.index.files.has('src/money.ts') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const uri = `file://${root}/src/cart.ts`;
      const text = "import { formatMoney } from './money';\n\nexport function label(total: number) {\n  \n}\n";
      layer.open({ uri, languageId: 'typescript', text, version: 1, path: 'src/cart.ts' });
      await layer.grammars.load('typescript');
      // The user types `return ` on the empty line.
      const at = text.indexOf('  \n}') + 2;
      layer.change(uri, [{ offset: at, length: 0, text: 'return ' }], 2);
      const now = text.slice(0, at) + 'return ' + text.slice(at);
      const offset = at + 'return '.length;
      const plan = layer.source.plan({ prefix: now.slice(0, offset), suffix: now.slice(offset), languageId: 'typescript', uri, offset }, settings);
      assert.ok(!('skip' in plan));
      assert.equal(plan.request.repoName, 'shop');
      assert.equal(plan.request.filePath, 'src/cart.ts');
      assert.ok((plan.request.context ?? []).some((s) => s.path === 'src/money.ts' && s.text.includes('formatMoney(cents: number, currency: string)')));
      assert.equal(plan.finish('formatMoney(total, "EUR");\n}\n'), 'formatMoney(total, "EUR");');
      layer.close(uri);
      assert.equal(layer.store.get(uri), undefined);
      assert.deepEqual(errors, []);
    } finally {
      layer.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('multi-root: every folder is indexed, paths relative to their common parent, context crosses folders', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'lcc-roots-'));
    const [app, lib] = [path.join(parent, 'app'), path.join(parent, 'lib')];
    fs.mkdirSync(path.join(app, 'src'), { recursive: true });
    fs.mkdirSync(path.join(lib, 'src'), { recursive: true });
    fs.writeFileSync(path.join(lib, 'src/money.ts'), 'export function formatMoney(cents: number, currency: string): string {\n  return `${(cents / 100).toFixed(2)} ${currency}`;\n}\n');
    fs.writeFileSync(path.join(app, 'src/index.ts'), 'export const app = 1;\n');
    const layer = new ContextLayer();
    try {
      layer.setWorkspaceFolders([{ root: app, name: 'app' }, { root: lib, name: 'lib' }]);
      const deadline = Date.now() + 15_000;
      while (!(layer.index.files.has('lib/src/money.ts') && layer.index.files.has('app/src/index.ts')) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(layer.index.files.has('lib/src/money.ts'), 'the second folder is indexed');
      assert.ok(layer.index.files.has('app/src/index.ts'), 'the first folder is indexed');
      const file = path.join(app, 'src/cart.ts');
      const relPath = layer.workspacePath(file)!;
      assert.equal(relPath, 'app/src/cart.ts');
      const uri = `file://${file}`;
      const text = "import { formatMoney } from '../../lib/src/money';\n\nexport function label(total: number) {\n  return \n}\n";
      layer.open({ uri, languageId: 'typescript', text, version: 1, path: relPath });
      await layer.grammars.load('typescript');
      const offset = text.indexOf('return ') + 'return '.length;
      const plan = layer.source.plan({ prefix: text.slice(0, offset), suffix: text.slice(offset), languageId: 'typescript', uri, offset }, settings);
      assert.ok(!('skip' in plan));
      assert.equal(plan.request.repoName, 'app');
      assert.ok((plan.request.context ?? []).some((s) => s.path === 'lib/src/money.ts' && s.text.includes('formatMoney(cents: number')),
        `context from the other folder: ${JSON.stringify((plan.request.context ?? []).map((s) => s.path))}`);
    } finally {
      layer.dispose();
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });
});
