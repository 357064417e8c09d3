import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PromptAnchors } from '../../completion/promptAnchor';

const head = Array.from({ length: 8 }, (_, i) => `const v${i} = ${i};`).join('\n') + '\n';

describe('prompt anchor (anchored FIM layout)', () => {
  test('anchors after the indentation of the line and keeps it while the user types there', () => {
    const anchors = new PromptAnchors();
    assert.equal(anchors.choose('d', head + '  ret'), 3);
    assert.equal(anchors.choose('d', head + '  retu'), 4);
    assert.equal(anchors.choose('d', head + '  return x;\n  '), 12, 'a new line keeps the anchor while short');
    assert.equal(anchors.choose('d', head + '  re'), 2, 'backspace shortens the typed part');
  });
  test('moves when the text before it changed or the cursor went before it', () => {
    const anchors = new PromptAnchors();
    anchors.choose('d', head + '  ret');
    assert.equal(anchors.choose('d', head.replace('v7', 'w7') + '  ret'), 3, 'a fresh anchor on the line');
    assert.equal(anchors.choose('d', head.slice(0, -4)), head.slice(0, -4).length - head.slice(0, -4).lastIndexOf('\n') - 1);
  });
  test('moves when the typed part grows past the bound', () => {
    const anchors = new PromptAnchors(40);
    anchors.choose('d', head + 'a');
    assert.equal(anchors.choose('d', head + 'a'.repeat(40)), 40);
    assert.equal(anchors.choose('d', head + 'a'.repeat(39) + '\nb'), 1, 'past the bound: the start of the current line');
    assert.equal(anchors.choose('d', head + 'b'.repeat(30)), 0, 'a line longer than half the bound keeps the classic layout');
  });
  test('documents are anchored separately; the first line of a window has no anchor', () => {
    const anchors = new PromptAnchors();
    assert.equal(anchors.choose('a', 'let x'), 0);
    assert.equal(anchors.choose('b', 'x\nlet y'), 5);
    assert.equal(anchors.choose('b', 'x\nlet y ='), 7);
  });
});
