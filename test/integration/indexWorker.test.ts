import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { WorkspaceIndex } from '../../context/workspaceIndex';
import { WorkspaceIndexer } from '../../context/workspaceIndexer';

describe('workspace index worker', () => {
  test('indexes a folder in a worker thread, then refreshes changed and deleted files', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lcc-index-'));
    const put = (p: string, text: string) => { fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true }); fs.writeFileSync(path.join(root, p), text); };
    put('src/cart.ts', 'export class Cart {\n  total(): number { return 0; }\n}\n');
    put('lib/geo.py', 'def area(w, h):\n    return w * h\n');
    put('node_modules/dep/index.js', 'function hidden() {}\n');
    const index = new WorkspaceIndex();
    const logs: string[] = [];
    const indexer = new WorkspaceIndexer(index, root, { info: (m) => logs.push(m), warn: (m) => logs.push(m) });
    try {
      // The event loop stays free while the worker parses.
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 1);
      await indexer.start();
      clearInterval(ticker);
      assert.ok(ticks > 0);
      assert.deepEqual([...index.files.keys()].sort(), ['lib/geo.py', 'src/cart.ts']);
      assert.equal(index.definitions('total')[0]?.file.path, 'src/cart.ts');
      assert.match(logs.join('\n'), /workspace index: 2 files/);

      put('lib/geo.py', 'def perimeter(w, h):\n    return 2 * (w + h)\n');
      fs.rmSync(path.join(root, 'src/cart.ts'));
      indexer.fileChanged('lib/geo.py');
      indexer.fileChanged('src/cart.ts');
      const deadline = Date.now() + 15_000;
      while ((index.definitions('perimeter').length === 0 || index.files.has('src/cart.ts')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.equal(index.definitions('area').length, 0);
      assert.equal(index.definitions('perimeter').length, 1);
      assert.ok(!index.files.has('src/cart.ts'));
    } finally {
      indexer.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
