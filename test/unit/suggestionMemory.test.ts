import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SuggestionMemory, typedThrough } from '../../completion/suggestionMemory';

describe('suggestion memory', () => {
  test('exact place, typing through, and a different suffix', () => {
    const m = new SuggestionMemory();
    m.remember('a\nconst x = ', ';\n', 'foo(bar)');
    assert.deepEqual(m.recall('a\nconst x = ', ';\n'), { text: 'foo(bar)', typed: 0 });
    assert.deepEqual(m.recall('a\nconst x = foo(', ';\n'), { text: 'bar)', typed: 4 });
    assert.equal(m.recall('a\nconst x = foo(', ')\n'), undefined, 'other text after the cursor');
    assert.equal(m.recall('a\nconst x = fox', ';\n'), undefined, 'typed something else');
    assert.equal(m.recall('a\nconst x = foo(bar)', ';\n'), undefined, 'typed all of it: nothing left');
  });
  test('a new scope (model or settings) forgets', () => {
    const m = new SuggestionMemory('m1');
    m.remember('p', 's', 't');
    m.setScope('m2');
    assert.equal(m.recall('p', 's'), undefined);
  });
  test('typedThrough needs the remembered prefix right before the typed text', () => {
    assert.equal(typedThrough('xx abc', { prefixTail: 'xx ', text: 'abcdef' }), 3);
    assert.equal(typedThrough('yy abc', { prefixTail: 'xx ', text: 'abcdef' }), 0);
  });
});

describe('suggestion memory is keyed by document', () => {
  test('the same text in two files does not share a suggestion', () => {
    const m = new SuggestionMemory();
    m.remember('import { a } from "./a";\nconst x = ', ';\n', 'a(1)', 'file:///one.ts');
    assert.deepEqual(m.recall('import { a } from "./a";\nconst x = ', ';\n', 'file:///one.ts'), { text: 'a(1)', typed: 0 });
    assert.equal(m.recall('import { a } from "./a";\nconst x = ', ';\n', 'file:///two.ts'), undefined, 'exact place, other file');
    assert.equal(m.recall('import { a } from "./a";\nconst x = a(', ';\n', 'file:///two.ts'), undefined, 'typing through, other file');
    assert.deepEqual(m.recall('import { a } from "./a";\nconst x = a(', ';\n', 'file:///one.ts'), { text: '1)', typed: 2 });
  });
  test('each file keeps its own suggestion for the same place', () => {
    const m = new SuggestionMemory();
    m.remember('p', 's', 'one', 'file:///one.ts');
    m.remember('p', 's', 'two', 'file:///two.ts');
    assert.equal(m.recall('p', 's', 'file:///one.ts')?.text, 'one');
    assert.equal(m.recall('p', 's', 'file:///two.ts')?.text, 'two');
  });
});
