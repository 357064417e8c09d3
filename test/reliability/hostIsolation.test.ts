/**
 * The extension host never loads llama.cpp's native code. Statically: of the bundles in dist/,
 * only the child-process entry points (engine, hardware probe, validator) import node-llama-cpp;
 * the host bundle has no import of it at all. At run time: this process, doing what the host does
 * with model files (validating, listing, loading through the engine client, completing), has no
 * llama.cpp library mapped and node-llama-cpp in no module cache.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { validateModelFile } from '../../models/engine/validatorClient';
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';
import { nativeLlamaMapped } from './hostIsolation';
import { fimRequest, loadOptions, newClient, report, REPO_ROOT } from './support';

const CHILD_ENTRIES = ['engine.js', 'hardwareProbe.js', 'validator.js'];
const IMPORTS_LLAMA = /(?:require|import)\s*\(\s*["']node-llama-cpp["']\s*\)|from\s*["']node-llama-cpp["']/;

test('only the child-process bundles import node-llama-cpp', (t) => {
  const dist = path.join(REPO_ROOT, 'dist');
  const bundles = fs.readdirSync(dist).filter((f) => f.endsWith('.js'));
  assert.ok(bundles.includes('extension.js') && bundles.includes('validator.js'), `bundles built: ${bundles.join(', ')}`);
  const importing = bundles.filter((b) => IMPORTS_LLAMA.test(fs.readFileSync(path.join(dist, b), 'utf8')));
  assert.ok(!importing.includes('extension.js'), 'dist/extension.js imports node-llama-cpp');
  assert.deepEqual(importing.filter((b) => !CHILD_ENTRIES.includes(b)), []);
  assert.ok(importing.includes('validator.js') && importing.includes('engine.js'), `the children do: ${importing.join(', ')}`);
  t.diagnostic(`node-llama-cpp imported by: ${importing.join(', ')}`);
});

test('at run time the host side maps no llama.cpp code', async (t) => {
  const tiny = await ensureGeneratedModel('tiny');
  const facts = await validateModelFile(tiny);
  assert.equal(facts.hasFim, true);
  const client = newClient();
  try {
    await client.load(loadOptions(tiny));
    assert.ok(await client.complete(fimRequest('let x = '), new AbortController().signal));
  } finally {
    await client.stop();
  }
  assert.deepEqual(nativeLlamaMapped(), []);
  report(t, 'host-isolation', 'host bundle imports no node-llama-cpp; validated, loaded and completed with no llama.cpp library mapped in the host');
});
