import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DocumentTree, looksMinified, MAX_PARSE_CHARS } from '../../context/documentTree';
import { LANGUAGES } from '../../context/languages';
import { grammars } from './contextHarness';

describe('grammars', () => {
  test('all twelve load lazily, each with a definitions query', async () => {
    assert.equal(grammars.get('ruby'), undefined, 'nothing is loaded before it is asked for');
    for (const id of Object.keys(LANGUAGES)) {
      const g = await grammars.load(id);
      assert.ok(g, `${id}: ${grammars.failures.get(id)}`);
      assert.ok(g.tags.patternCount() > 0, id);
    }
    assert.equal(await grammars.load('cobol'), undefined);
  });
});

describe('document trees follow edits', () => {
  test('incremental edits with UTF-16 offsets (emoji and accents before the edit)', async () => {
    const g = await grammars.load('typescript');
    const doc = new DocumentTree('u', 'typescript', 'const s = "héllo😀";\nfunction f(a) {\n  return a;\n}\n', 1, g);
    const first = doc.tree()!;
    assert.equal(first.rootNode.namedChildren[1].type, 'function_declaration');
    const at = doc.text.indexOf('a;');
    doc.applyChanges([{ offset: at, length: 1, text: 'a + 1' }], 2);
    const tree = doc.tree()!;
    const ret = tree.rootNode.descendantForIndex(at, at + 5);
    assert.equal(ret!.text, 'a + 1');
    assert.equal(ret!.startPosition.row, 2);
    assert.equal(doc.version, 2);
    assert.equal(tree.rootNode.hasError, false);
  });
  test('several changes in one event apply in order (multi-cursor: later offsets first)', async () => {
    const g = await grammars.load('python');
    const doc = new DocumentTree('u', 'python', 'x = 1\ny = 2\n', 1, g);
    doc.tree();
    doc.applyChanges([{ offset: 10, length: 1, text: '20' }, { offset: 4, length: 1, text: '10' }]);
    assert.equal(doc.text, 'x = 10\ny = 20\n');
    assert.equal(doc.tree()!.rootNode.text, 'x = 10\ny = 20\n');
  });
  test('a burst of keystrokes costs one re-parse, done when the tree is asked for', async () => {
    const g = await grammars.load('go');
    const doc = new DocumentTree('u', 'go', 'package m\n\nfunc f() {\n}\n', 1, g);
    const before = doc.tree();
    let at = doc.text.indexOf('}');
    for (const ch of '\tx := 1\n') doc.applyChanges([{ offset: at++, length: 0, text: ch }]);
    const after = doc.tree()!;
    assert.notEqual(after, before);
    assert.match(after.rootNode.text, /x := 1/);
    assert.equal(doc.tree(), after, 'no edits since: the same tree');
  });
  test('the prefix anchor moves with edits before it and is dropped by edits across it', async () => {
    const doc = new DocumentTree('u', 'plaintext', 'aaaa\nbbbb\ncccc\n');
    doc.prefixAnchor = 5;
    doc.applyChanges([{ offset: 0, length: 0, text: 'zz' }]);
    assert.equal(doc.prefixAnchor, 7);
    doc.applyChanges([{ offset: 6, length: 3, text: '' }]);
    assert.equal(doc.prefixAnchor, undefined);
  });
  test('huge and minified files get no tree (and say why); a language without grammar neither', async () => {
    const g = await grammars.load('javascript');
    const big = new DocumentTree('u', 'javascript', 'x;\n'.repeat(MAX_PARSE_CHARS / 3 + 10), 1, g);
    assert.equal(big.tree(), undefined);
    assert.equal(big.plainReason, 'too large');
    const minified = 'var a=1,b=2;'.repeat(2000);
    assert.equal(looksMinified(minified), true);
    assert.equal(new DocumentTree('u', 'javascript', minified, 1, g).plainReason, 'minified');
    assert.equal(new DocumentTree('u', 'lua', 'x = 1').plainReason, 'no grammar');
  });
  test('a parse that runs out of its budget returns nothing and leaves the document usable', async () => {
    const g = await grammars.load('javascript');
    const doc = new DocumentTree('u', 'javascript', `const a = [${'1,\n'.repeat(200_000)}];\n`, 1, g);
    assert.equal(doc.tree(0.01), undefined, 'a first parse of a big file is not done on the keystroke path');
    // A budget no loaded machine runs out of: what is asserted is the behaviour, not the speed.
    assert.ok(doc.tree(60_000), 'the background parse does it');
    doc.applyChanges([{ offset: 0, length: 0, text: '// x\n' }]);
    assert.ok(doc.tree(), 'and then keystrokes re-parse incrementally');
    doc.dispose();
  });
});

describe('background parses in slices', () => {
  test('a big file is parsed without holding the event loop, and edits during it are not lost', async () => {
    const g = (await grammars.load('python'))!;
    const text = Array.from({ length: 6000 }, (_, i) => `def f${i}(a, b):\n    return [a, b, ${i}]\n`).join('');
    const doc = new DocumentTree('u', 'python', text, 1, g);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    const parsing = doc.parseInSlices(g.backgroundParser, 4);
    await new Promise((r) => setImmediate(r));
    doc.applyChanges([{ offset: 0, length: 0, text: 'import os\n' }]);
    const tree = await parsing;
    clearInterval(ticker);
    assert.ok(ticks > 1, 'timers ran while parsing');
    assert.ok(tree);
    assert.equal(tree.rootNode.firstNamedChild!.type, 'import_statement', 'the edit made during the parse is in the tree');
    assert.equal(doc.tree(), tree);
    doc.dispose();
  });
});
