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
