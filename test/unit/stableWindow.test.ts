import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { windowPrefix } from '../../context/promptWindows';
import { StableWindows } from '../../completion/stableWindow';

const file = Array.from({ length: 400 }, (_, i) => `const v${i} = compute(${i}, "${'x'.repeat(i % 9)}");`).join('\n') + '\n';

describe('stable prefix windows', () => {
  test('the window start stays put while the user types, then jumps ahead', () => {
    const windows = new StableWindows();
    const budget = 100;
    let prefix = file;
    const starts = new Set<string>();
    const typed = 'const next = someFunction(argument, other);\n'.repeat(8);
    for (const ch of typed) {
      prefix += ch;
      const w = windows.choose('doc', prefix, windowPrefix(prefix, budget), budget);
      assert.ok(prefix.endsWith(w));
      assert.ok(w.length <= budget * 3.5 * 1.35 + 1, `window ${w.length} chars`);
      starts.add(w.slice(0, 40));
    }
    // A plain sliding window would change its start about every line typed (8+ times).
    assert.ok(starts.size <= 3, `${starts.size} different window starts over ${typed.length} keystrokes`);
  });
  test('documents keep their own anchors; an unknown place takes the proposal', () => {
    const windows = new StableWindows();
    const a = windows.choose('a', file, windowPrefix(file, 50), 50);
    const other = 'let x = 1;\n'.repeat(100);
    assert.equal(windows.choose('b', other, windowPrefix(other, 50), 50), windowPrefix(other, 50));
    assert.equal(windows.choose('a', file + 'y', windowPrefix(file + 'y', 50), 50), a + 'y');
  });
});
