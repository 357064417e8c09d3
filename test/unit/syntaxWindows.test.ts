import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chooseWindows } from '../../context/syntaxWindows';

describe('syntax windows', () => {
  test('a short suffix budget keeps the whole lines that fit when no line ends near its edge', () => {
    // The chi case: the cursor line is done, the next line (76 chars) fits a 112-char budget, the one
    // after it does not, and no line end falls in the last quarter of the budget.
    const before = 'func basicAuthFailed(';
    const after = '\n\tw.Header().Add("WWW-Authenticate", fmt.Sprintf(`Basic realm="%s"`, realm))\n\tw.WriteHeader(http.StatusUnauthorized)\n}\n';
    const text = before + after;
    const { end } = chooseWindows(text, before.length, { prefixChars: 1000, suffixChars: 112 });
    const suffix = text.slice(before.length, end);
    assert.match(suffix, /^\n\tw\.Header\(\)\.Add/, 'the next line is in the suffix, not only the cursor line');
    assert.ok(suffix.endsWith('\n') && suffix.length <= 112);
  });
  test('a suffix budget smaller than the next line keeps the cursor line only', () => {
    const before = 'x = f(';
    const text = `${before}a)\n${'y'.repeat(300)}\n`;
    const { end } = chooseWindows(text, before.length, { prefixChars: 1000, suffixChars: 40 });
    assert.equal(text.slice(before.length, end), 'a)\n');
  });
});
