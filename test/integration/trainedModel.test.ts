/**
 * The trained model pair bundled in models/bundled/ (built by models/training/run-all.sh):
 * the extension's own lookup finds the target and pairs the draft beside it; llama.cpp tokenizes
 * exactly as training did; its logits match PyTorch's for the same weights; and the engine the
 * extension runs completes a held-out snippet with the draft speculating.
 * Reference values: models/training/fixtures/parity.json (written by export/make_fixture.py).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Llama, LlamaModel, Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };
import { bundledDraftBeside, findBundledModel } from '../../models/library/modelLocations';
import { FimEngine } from '../../models/engine/fimEngine';
import { repoRoot } from '../../models/gguf/paths';

interface Fixture {
  vocabSize: number;
  tokenizer: Array<{ name: string; text: string; ids: number[] }>;
  prompts: Array<{ name: string; ids: number[] }>;
  logits: Record<'target' | 'draft', Array<{ top_ids: number[]; top_logits: number[] }>>;
  completion: { name: string; repoName: string; filePath: string; prefix: string; suffix: string };
}

const root = repoRoot(__dirname);
// Overrides let the training recipe check a fresh build before it replaces the bundled files.
const extensionRoot = process.env.TRAINED_MODEL_ROOT ?? root;
const fixturePath = process.env.TRAINED_MODEL_FIXTURE ?? path.join(root, 'models', 'training', 'fixtures', 'parity.json');
const fixture = JSON.parse(fs.readFileSync(fixturePath, 'utf8')) as Fixture;
/**
 * Largest allowed |llama.cpp - PyTorch| on a logit. Both run the same Q8_0-rounded weights, but
 * llama.cpp's CPU kernels also round the activations to 8 bits before each Q8_0 matrix product;
 * measured differences are 0.01-0.04 (logits span about 20). Compared relative to the top token
 * (node-llama-cpp 3.21 reports probabilities), so two roundings add up.
 */
const LOGIT_TOLERANCE = 0.25;

describe('bundled trained models', () => {
  let llama: Llama;
  const models: Partial<Record<'target' | 'draft', LlamaModel>> = {};
  let targetPath = '';
  let draftPath: string | undefined;

  before(async () => {
    const bundled = await findBundledModel(extensionRoot);
    assert.ok(bundled, 'models/bundled/ holds no .gguf: run models/training/run-all.sh (or restore the committed files)');
    targetPath = bundled.path;
    draftPath = bundledDraftBeside(targetPath);
    assert.ok(draftPath, 'no *draft*.gguf beside the bundled target');
    const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
    llama = await getLlama({ gpu: false, build: 'never', maxThreads: 2, logLevel: LlamaLogLevel.error });
    models.target = await llama.loadModel({ modelPath: targetPath });
    models.draft = await llama.loadModel({ modelPath: draftPath });
  });
  after(async () => {
    await models.draft?.dispose();
    await models.target?.dispose();
  });

  test('the extension picks the target as the bundled model and pairs the draft beside it', () => {
    assert.doesNotMatch(path.basename(targetPath), /draft/i);
    assert.match(path.basename(draftPath!), /draft/i);
    for (const m of [models.target!, models.draft!]) {
      assert.equal(m.tokens.infill.prefix !== null && m.tokens.infill.middle !== null && m.tokens.infill.suffix !== null, true, 'FIM tokens');
    }
  });

  for (const which of ['target', 'draft'] as const) {
    test(`${which}: llama.cpp tokenizes the samples exactly as the training tokenizer did`, () => {
      const m = models[which]!;
      for (const s of fixture.tokenizer) {
        assert.deepEqual(Array.from(m.tokenize(s.text, false)), s.ids, `token ids of ${s.name}`);
        assert.equal(m.detokenize(s.ids as Token[]), s.text, `round trip of ${s.name}`);
      }
    });

    test(`${which}: next-token logits match PyTorch's for the same prompts`, async () => {
      const m = models[which]!;
      const context = await m.createContext({ contextSize: 512, threads: 2, sequences: 1 });
      try {
        let worst = 0;
        const seq = context.getSequence();
        for (const [i, p] of fixture.prompts.entries()) {
          await seq.clearHistory();
          const ids = p.ids as Token[];
          // node-llama-cpp 3.21 gives probabilities, not logits: compare log-probabilities relative to
          // PyTorch's top token, which equal the logit differences (softmax is shift-invariant).
          const input = [...ids.slice(0, -1), [ids[ids.length - 1], { generateNext: { probabilities: true } }] as const];
          const res = await seq.controlledEvaluate(input as Parameters<typeof seq.controlledEvaluate>[0]);
          const probabilities = res[res.length - 1]?.next.probabilities;
          assert.ok(probabilities, `probabilities for ${p.name}`);
          const ref = fixture.logits[which][i];
          const relLogit = (id: number): number | undefined => {
            const pr = probabilities.get(id as Token);
            const top = probabilities.get(ref.top_ids[0] as Token);
            return pr === undefined || top === undefined || pr <= 0 || top <= 0 ? undefined : Math.log(pr) - Math.log(top);
          };
          // Top-1 must agree, unless PyTorch itself has a near tie there (logits closer than the
          // tolerance: the 8-bit activations may order them either way).
          const topToken = [...probabilities.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
          const refLogit = ref.top_ids.indexOf(topToken) >= 0 ? ref.top_logits[ref.top_ids.indexOf(topToken)] : -Infinity;
          assert.ok(topToken === ref.top_ids[0] || ref.top_logits[0] - refLogit <= LOGIT_TOLERANCE,
            `top-1 token for ${p.name}: llama.cpp ${topToken}, PyTorch ${ref.top_ids[0]} (${ref.top_logits[0] - refLogit} apart)`);
          for (const [k, id] of ref.top_ids.entries()) {
            const got = relLogit(id);
            assert.ok(got !== undefined, `probability of token ${id}`);
            worst = Math.max(worst, Math.abs(got - (ref.top_logits[k] - ref.top_logits[0])));
          }
        }
        seq.dispose();
        console.log(`${which}: largest |llama.cpp - PyTorch| logit difference ${worst.toFixed(4)}`);
        assert.ok(worst <= LOGIT_TOLERANCE, `largest logit difference ${worst.toFixed(4)} > ${LOGIT_TOLERANCE}`);
      } finally {
        await context.dispose();
      }
    });
  }

  test('the engine the extension runs completes a held-out snippet, with the draft speculating', async () => {
    const engine = new FimEngine(() => undefined);
    try {
      const info = await engine.load({ modelPath: targetPath, draftModelPath: draftPath, contextSize: 2048, threads: 2, gpu: 'off', speculation: 'auto' });
      assert.equal(info.speculation, 'draft', `draft refused: ${info.draftRefused ?? ''}`);
      assert.equal(info.hasRepoTokens, true);
      const c = fixture.completion;
      const r = await engine.complete({
        prefix: c.prefix, suffix: c.suffix, filePath: c.filePath, repoName: c.repoName,
        maxPrefixTokens: 768, maxSuffixTokens: 32, maxTokens: 32, singleLine: true,
      }, new AbortController().signal);
      assert.ok(r.stats.generatedTokens > 0, 'generated something');
      assert.ok(r.text.trim().length > 0, `non-blank completion, got ${JSON.stringify(r.text)}`);
      // The draft proposes only tokens it is confident about (node-llama-cpp's default 0.6), so a
      // short completion may pass without a proposal; that it ran at all is checked above.
      assert.equal(typeof r.stats.speculativeProposed, 'number');
    } finally {
      await engine.unload();
    }
  });
});
