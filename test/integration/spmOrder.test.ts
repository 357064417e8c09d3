/**
 * SPM order on the real engine: a generated model whose GGUF says it was trained suffix first
 * (lcc.fim.orders + lcc.fim.spm_layout, as models/training/exportGguf.ts writes them) is prompted
 * suffix first, and a keystroke on the line evaluates only a few tokens, as in anchored PSM.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FimEngine } from '../../models/engine/fimEngine';
import type { FimRequest } from '../../models/engine/engineProtocol';
import { FIM_ORDERS_KEY, FIM_SPM_LAYOUT_KEY, SPM_LAYOUT } from '../../models/engine/fimOrder';
import { buildPreset } from '../../models/gguf/generatedModels';

const request = (prefix: string, suffix: string, anchor: number): FimRequest =>
  ({ prefix, suffix, anchor, maxPrefixTokens: 1024, maxSuffixTokens: 128, maxTokens: 4, singleLine: true });

describe('SPM order with a generated model trained (by its metadata) suffix first', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lcc-spm-'));
  const engine = new FimEngine(() => undefined);
  let ids: { prefix: number; suffix: number; middle: number };

  before(async () => {
    const { writer } = buildPreset('tiny');
    writer.addString(FIM_ORDERS_KEY, 'psm,spm');
    writer.addString(FIM_SPM_LAYOUT_KEY, SPM_LAYOUT);
    const file = path.join(dir, 'tiny-spm.gguf');
    writer.write(file);
    const info = await engine.load({ modelPath: file, contextSize: 2048, threads: 1, gpu: 'off', speculation: 'off' });
    assert.equal(info.fimOrder, 'spm');
    const { readGgufFileInfo } = await import('node-llama-cpp');
    const meta = (await readGgufFileInfo(file, { sourceType: 'filesystem', logWarnings: false })).metadata.tokenizer.ggml as unknown as Record<string, number>;
    ids = { prefix: meta.fim_pre_token_id, suffix: meta.fim_suf_token_id, middle: meta.fim_mid_token_id };
  });
  after(async () => {
    await engine.unload();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('suffix first, the prefix and what was typed last; a keystroke evaluates <= 4 tokens', async (t) => {
    const beforeText = Array.from({ length: 30 }, (_, i) => `const value${i} = compute(${i});`).join('\n') + '\n';
    const suffix = '\n' + Array.from({ length: 6 }, (_, i) => `use(value${i});`).join('\n');
    const line = 'const nextValue = comp';
    const costs: number[] = [];
    for (let n = 8; n <= line.length; n++) {
      costs.push((await engine.complete(request(beforeText + line.slice(0, n), suffix, n), new AbortController().signal)).stats.evaluatedTokens);
    }
    t.diagnostic(`tokens evaluated per keystroke (SPM): ${costs.join(',')}`);
    const prompt = engine.lastPrompt as readonly number[];
    assert.deepEqual(prompt.slice(0, 2), [ids.prefix, ids.suffix], '<fim_prefix><fim_suffix> open the prompt');
    assert.ok(prompt.indexOf(ids.middle) > 2 && prompt.indexOf(ids.middle) < prompt.length - 20, 'the middle token comes after the suffix, before the prefix');
    // Each keystroke: its own token(s), a re-tokenized last token, and the token fed with the first decode step.
    assert.ok(Math.max(...costs.slice(1)) <= 4, `tokens evaluated per keystroke: ${costs.join(',')}`);
  });
});
