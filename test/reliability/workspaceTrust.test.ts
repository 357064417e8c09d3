/**
 * Workspace trust and virtual workspaces, from the manifest and the sources: the settings that
 * choose files (model, draft, discovery folders) are restricted in untrusted workspaces AND
 * machine-scoped, and the code reads them only from the user's own value (inspect().globalValue),
 * so no workspace can point the engine at a file. No other workspace-settable setting is a free
 * string (a path or a command). The editor-side suite checks the same against a real workspace
 * settings file (test/suite/reliability.ts).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { report, REPO_ROOT } from './support';

interface Setting { type: string; scope?: string; enum?: unknown[]; items?: { type: string } }
const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  capabilities?: {
    untrustedWorkspaces?: { supported: boolean | 'limited'; restrictedConfigurations?: string[]; description?: string };
    virtualWorkspaces?: { supported: boolean | 'limited'; description?: string } | boolean;
  };
  contributes: { configuration: { properties: Record<string, Setting> } };
};
const FILE_SETTINGS = ['localCompletion.modelPath', 'localCompletion.draftModelPath', 'localCompletion.modelFolders'];

test('untrusted workspaces: the file-choosing settings are restricted and machine-scoped', (t) => {
  const untrusted = pkg.capabilities?.untrustedWorkspaces;
  assert.ok(untrusted, 'capabilities.untrustedWorkspaces is declared');
  assert.equal(untrusted.supported, 'limited');
  assert.ok(untrusted.description && untrusted.description.length > 20, 'says what is limited');
  for (const key of FILE_SETTINGS) {
    assert.ok(untrusted.restrictedConfigurations?.includes(key), `${key} is a restricted configuration`);
    assert.equal(pkg.contributes.configuration.properties[key]?.scope, 'machine', `${key} is machine-scoped`);
  }
  const virtual = pkg.capabilities?.virtualWorkspaces;
  assert.ok(virtual !== undefined, 'capabilities.virtualWorkspaces is declared');
  report(t, 'workspace-trust', `untrusted: limited, ${untrusted.restrictedConfigurations!.length} restricted settings (machine scope); ` +
    `virtual workspaces: ${typeof virtual === 'object' ? virtual.supported : virtual}`);
});

test('no workspace-settable free-text setting', () => {
  // Language ids only turn completions off: harmless in a workspace's hands.
  const harmless = new Set(['localCompletion.disabledLanguages']);
  const loose = Object.entries(pkg.contributes.configuration.properties)
    .filter(([k, s]) => s.scope !== 'machine' && s.scope !== 'application' && !harmless.has(k) &&
      ((s.type === 'string' && !s.enum) || (s.type === 'array' && s.items?.type === 'string')))
    .map(([k]) => k);
  assert.deepEqual(loose, []);
});

test('the sources read file settings only from the user value', () => {
  const dir = path.join(REPO_ROOT, 'extension');
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const key of ['modelPath', 'draftModelPath', 'modelFolders']) {
      assert.doesNotMatch(text, new RegExp(`\\.get(<[^>]+>)?\\(\\s*'${key}'`), `${file} reads ${key} with get(), which includes workspace values`);
    }
    if (/\.inspect\b/.test(text)) {
      assert.match(text, /globalValue/, `${file}: inspect() is read through globalValue`);
      assert.doesNotMatch(text, /workspace(Folder|Language)?Value/, `${file} reads a workspace value`);
    }
  }
});
