import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { skipReason } from '../../completion/triggerRules';

describe('trigger rules', () => {
  test('completes at the end of a line and before closing punctuation', () => {
    assert.equal(skipReason('const x = ', ''), undefined);
    assert.equal(skipReason('foo(', ')'), undefined);
    assert.equal(skipReason('call(a', ');'), undefined);
  });
  test('does not complete in the middle of a word', () => {
    assert.equal(skipReason('cons', 'ole.log()'), 'mid-word');
    assert.equal(skipReason('x = ', 'value + 1'), 'mid-word');
  });
  test('does not complete on a line too long to be code someone types', () => {
    assert.equal(skipReason('x'.repeat(3000), ''), 'line-too-long');
  });
});
