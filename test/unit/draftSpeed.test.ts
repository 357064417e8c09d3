// The host keeps the engine's speed verdict on a draft/model pair (extension/draftSpeed.ts): an
// 'info' update that says the draft was slower is remembered once and logged with its figures.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type * as vscode from 'vscode';
import type { EngineClient } from '../../models/engine/engineClient';
import type { ModelInfo } from '../../models/engine/engineProtocol';
import { describeDraftSpeed, watchDraftSpeed } from '../../extension/draftSpeed';
import { loadModelMemory, measuredSlower } from '../../extension/modelMemory';

function memento(store = new Map<string, unknown>()): vscode.Memento {
  return {
    keys: () => [...store.keys()],
    get: <T>(key: string, fallback?: T) => (store.has(key) ? structuredClone(store.get(key)) as T : fallback),
    update: async (key: string, value: unknown) => { store.set(key, structuredClone(value)); },
  } as vscode.Memento;
}

const info = (slower?: boolean): ModelInfo => ({
  path: '/m/target.gguf', name: 'target', architecture: 'qwen2', contextSize: 2048, trainContextSize: 32768, loadMs: 1, threads: 1,
  gpu: false, hasRepoTokens: true, speculation: 'draft', draft: { path: '/m/draft.gguf', name: 'draft' },
  speculationSpeed: slower === undefined ? undefined : { msPerTokenOn: slower ? 31 : 12, msPerTokenOff: 24, slower },
});

test('a slower verdict from the engine is remembered for the pair and logged once; a faster one clears it', async () => {
  loadModelMemory(memento());
  const engine = Object.assign(new EventEmitter(), { modelInfo: info() });
  const lines: string[] = [];
  const log = { warn: (m: string) => lines.push(`warn ${m}`), info: (m: string) => lines.push(`info ${m}`) } as unknown as vscode.LogOutputChannel;
  watchDraftSpeed(engine as unknown as EngineClient, log);
  engine.emit('state');
  assert.equal(lines.length, 0, 'nothing measured yet');
  engine.modelInfo = info(true);
  engine.emit('state');
  engine.emit('state');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(measuredSlower('/m/target.gguf', '/m/draft.gguf'), { msPerTokenOn: 31, msPerTokenOff: 24 });
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^warn draft made this model slower when measured \(31 ms per token with it, 24 without\)/);
  assert.match(describeDraftSpeed(undefined, '/m/target.gguf', '/m/draft.gguf')!, /Draft: none \(draft made this model slower/);
  engine.modelInfo = info(false);
  engine.emit('state');
  await new Promise((r) => setImmediate(r));
  assert.equal(measuredSlower('/m/target.gguf', '/m/draft.gguf'), undefined);
  assert.match(describeDraftSpeed(engine.modelInfo, '/m/target.gguf', '/m/draft.gguf')!, /12 ms per token with it, 24 without$/);
});
