import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { agrees, keyOutcomes, summarizeKeys } from '../../bench/editor/editorStats';

describe('bench:editor key outcomes', () => {
  test('ghost text agrees with what is typed next when one is a prefix of the other', () => {
    assert.ok(agrees('index;', 'index;'));
    assert.ok(agrees('ind', 'index;'));
    assert.ok(agrees('index);\u00a0\nnext', 'index'), 'a longer suggestion, no-break spaces and later lines');
    assert.ok(!agrees('state;', 'index;'));
    assert.ok(!agrees('x', ''), 'nothing is left to type on the line');
    assert.ok(!agrees(' \u00a0', 'x'), 'blank ghost text');
  });

  test('each key knows the rest of its line, also after Enter', () => {
    const log = {
      marks: [{ t: 0, label: 'seg:0' }, { t: 1000, label: 'end:0' }],
      keys: [{ t: 10, key: 'a' }, { t: 100, key: 'b' }, { t: 200, key: 'Enter' }, { t: 300, key: 'c' }],
      // after 'a': "bX" (agrees with "b"), after 'b': nothing, after Enter: "c" (agrees), after 'c': "zz" (nothing left to type)
      events: [{ t: 60, text: 'b' }, { t: 250, text: 'c' }, { t: 310, text: 'zz' }],
      now: 1000,
    };
    const { keys, places } = keyOutcomes(log, [['ab', 'c']]);
    assert.deepEqual(keys.map((k) => [k.key, k.ms, k.useful]), [['a', 50, true], ['b', null, false], ['Enter', 50, true], ['c', 10, false]]);
    assert.equal(places[0].firstKeyToGhostMs, 50);
    const s = summarizeKeys(keys);
    assert.equal(s.usefulShare, 0.5);
    assert.equal(s.usefulUnder100Share, 0.5);
    assert.equal(summarizeKeys(keyOutcomes(log).keys).usefulShare, undefined, 'without the script no key is judged');
  });
});
