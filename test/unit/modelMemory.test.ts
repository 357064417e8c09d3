// What the extension remembers about models: paired drafts and display names survive a restart
// (a new load from the same global state), and the bundled draft is found beside the bundled model.

import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { loadModelMemory, measuredSlower, pairedDraftFor, rememberDisplayName, rememberDraftSpeed, rememberPairedDraft, slowerDrafts } from '../../extension/modelMemory';
import { bundledDraftBeside } from '../../models/library/modelLocations';
import { modelLabel } from '../../models/engine/modelFileFacts';

/** The part of vscode.Memento the module uses, over a plain map (what VS Code persists as JSON). */
function memento(store = new Map<string, unknown>()): vscode.Memento {
  return {
    keys: () => [...store.keys()],
    get: <T>(key: string, fallback?: T) => (store.has(key) ? structuredClone(store.get(key)) as T : fallback),
    update: async (key: string, value: unknown) => { store.set(key, structuredClone(value)); },
  } as vscode.Memento;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lcc-memory-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('paired drafts and Ollama display names are remembered across a restart', async () => {
  const store = new Map<string, unknown>();
  loadModelMemory(memento(store));
  await rememberPairedDraft('/m/qwen-7b.gguf', '/m/qwen-0.5b.gguf');
  await rememberPairedDraft('/m/other.gguf', '/m/x.gguf');
  await rememberPairedDraft('/m/other.gguf', undefined);
  const blob = `/home/u/.ollama/models/blobs/sha256-${'ab'.repeat(32)}`;
  assert.equal(modelLabel(blob), 'ollama-abababababab');
  await rememberDisplayName(blob, 'qwen2.5-coder:1.5b-base');
  assert.equal(modelLabel(blob), 'qwen2.5-coder:1.5b-base');

  loadModelMemory(memento(store)); // the next session
  assert.equal(pairedDraftFor('/m/qwen-7b.gguf'), '/m/qwen-0.5b.gguf');
  assert.equal(pairedDraftFor('/m/other.gguf'), undefined);
  assert.equal(modelLabel(blob), 'qwen2.5-coder:1.5b-base');
});

test('a draft packaged beside the bundled model pairs with it; none when there is none', () => {
  const withDraft = path.join(dir, 'a', 'models', 'bundled');
  fs.mkdirSync(withDraft, { recursive: true });
  fs.writeFileSync(path.join(withDraft, 'qwen2.5-coder-1.5b-q8_0.gguf'), 'x');
  fs.writeFileSync(path.join(withDraft, 'qwen2.5-coder-0.5b-draft.gguf'), 'x');
  assert.equal(bundledDraftBeside(path.join(withDraft, 'qwen2.5-coder-1.5b-q8_0.gguf')), path.join(withDraft, 'qwen2.5-coder-0.5b-draft.gguf'));
  const alone = path.join(dir, 'b', 'models', 'bundled');
  fs.mkdirSync(alone, { recursive: true });
  fs.writeFileSync(path.join(alone, 'model.gguf'), 'x');
  assert.equal(bundledDraftBeside(path.join(alone, 'model.gguf')), undefined);
});

test('a draft measured slower with a model is remembered across a restart, and forgotten when measured faster', async () => {
  const store = new Map<string, unknown>();
  loadModelMemory(memento(store));
  await rememberDraftSpeed('/m/qwen-7b.gguf', '/m/draft.gguf', { msPerTokenOn: 31, msPerTokenOff: 24, slower: true });
  await rememberDraftSpeed('/m/qwen-7b.gguf', '/m/good.gguf', { msPerTokenOn: 12, msPerTokenOff: 24, slower: false });
  loadModelMemory(memento(store)); // the next session
  assert.deepEqual(measuredSlower('/m/qwen-7b.gguf', '/m/draft.gguf'), { msPerTokenOn: 31, msPerTokenOff: 24 });
  assert.equal(measuredSlower('/m/qwen-7b.gguf', '/m/good.gguf'), undefined);
  assert.equal(measuredSlower('/m/other.gguf', '/m/draft.gguf'), undefined, 'only with the model it was measured with');
  assert.match(slowerDrafts('/m/qwen-7b.gguf').get('/m/draft.gguf')!, /draft made this model slower when measured \(31 ms per token with it, 24 without\)/);
  await rememberDraftSpeed('/m/qwen-7b.gguf', '/m/draft.gguf', { msPerTokenOn: 20, msPerTokenOff: 24, slower: false });
  assert.equal(measuredSlower('/m/qwen-7b.gguf', '/m/draft.gguf'), undefined);
  assert.equal(slowerDrafts('/m/qwen-7b.gguf').size, 0);
});
