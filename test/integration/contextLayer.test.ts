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
});
