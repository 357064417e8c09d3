import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BOUNDS, boundSettings, existingFolders } from '../../extension/settingsBounds';

test('settings: defaults when unset, untouched when sane', () => {
  const { values, problems } = boundSettings({});
  assert.deepEqual(problems, []);
  for (const [k, [d]] of Object.entries(BOUNDS)) assert.equal(values[k as keyof typeof values], d, k);
  assert.deepEqual(boundSettings({ threads: 4, contextSize: 4096, suffixTokens: 64 }).problems, []);
});

test('settings: nonsense is clamped, each with a sentence', () => {
  const { values, problems } = boundSettings({ threads: -3, contextSize: 10_000_000, debounceMs: 'soon', idleUnloadMinutes: -1, engineTimeoutSeconds: 1e9 });
  assert.equal(values.threads, 0);
  assert.equal(values.contextSize, 32768);
  assert.equal(values.debounceMs, 40);
  assert.equal(values.idleUnloadMinutes, 0);
  assert.equal(values.engineTimeoutSeconds, 600);
  assert.ok(problems.some((p) => /localCompletion\.threads is -3; using 0/.test(p)));
  assert.ok(problems.some((p) => /contextSize is 10000000; using 32768 \(allowed: 256 to 32768\)/.test(p)));
  assert.ok(problems.some((p) => /debounceMs is "soon", not a number/.test(p)));
  assert.equal(problems.length, 5);
  assert.equal(boundSettings({ contextSize: NaN }).values.contextSize, 2048);
});

test('settings: a suffix budget larger than the context, and a prefix that leaves no room, give way', () => {
  const { values, problems } = boundSettings({ contextSize: 512, suffixTokens: 4000, prefixTokens: 8000, maxTokens: 500 });
  assert.equal(values.maxTokens, 128);
  assert.equal(values.suffixTokens, 128);
  assert.equal(values.prefixTokens, 256);
  assert.ok(values.prefixTokens + values.suffixTokens + values.maxTokens <= values.contextSize);
  assert.ok(problems.some((p) => /suffixTokens 4000 is more than a quarter of the 512-token context; using 128/.test(p)));
  assert.ok(problems.some((p) => /prefixTokens 8000 does not fit/.test(p)));
});

test('settings: folders that do not exist or are relative are skipped with a message', () => {
  const { values, problems } = existingFolders(['/models', '/nowhere', 'relative/dir', '', 42], (p) => p === '/models');
  assert.deepEqual(values, ['/models']);
  assert.equal(problems.length, 2);
  assert.match(problems[0], /\/nowhere is not an existing folder; skipped/);
  assert.match(problems[1], /"relative\/dir" is not an absolute path/);
});
