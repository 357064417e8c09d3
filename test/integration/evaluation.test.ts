/**
 * "Benchmark on your data" end to end on a small fixture repository with generated models: seeded
 * task sampling (deterministic, four kinds, vendored/generated/minified files skipped), a real
 * evaluation of two models through the engine process, the reports, and a prompt cancel.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Grammars } from '../../context/grammars';
import { renderHtml } from '../../completion/evaluation/reportHtml';
import { renderMarkdown } from '../../completion/evaluation/reportMarkdown';
import { evaluateModels, indexWorkspace } from '../../completion/evaluation/runner';
import { sampleTaskSet, type FimTask } from '../../completion/evaluation/taskSet';
import { EngineClient } from '../../models/engine/engineClient';
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';

const fixture = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'eval-repo');
const enginePath = path.join(__dirname, '..', '..', 'models', 'engine', 'engineProcess.js');
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const settings = { maxTokens: 16, multiline: true, prefixTokens: 512, suffixTokens: 32, deadlineMs: 0 };
const load = { contextSize: 1024, threads: 1, gpu: 'off' as const };

describe('evaluation on a fixture repository', () => {
  let root: string;
  let tiny: string;
  let other: string;
  const grammars = new Grammars();
  const engine = new EngineClient({ enginePath, log: quiet });

  before(async () => {
    // A copy with what must never be sampled (dependency, build output, minified, generated, .gitignore'd).
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'eval-repo-'));
    fs.cpSync(fixture, root, { recursive: true });
    const add = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };
    const fn = 'export function vendored(a: number): number {\n  const b = a + 1;\n  return b * 2;\n}\n';
    add('node_modules/dep/index.ts', fn);
    add('dist/bundle.ts', fn);
    add('web/app.min.js', 'function x(a){return a+1}\n'.repeat(3) + 'var y=' + '1+'.repeat(3000) + '1;\n');
    add('web/wide.js', `var s=${JSON.stringify('x'.repeat(8000))};function f(a){return a}\n`);
    [tiny, other] = await Promise.all([ensureGeneratedModel('tiny'), ensureGeneratedModel('tiny-othervocab')]);
  });
  after(async () => {
    await engine.stop();
    grammars.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const key = (t: FimTask) => `${t.kind} ${t.path} ${t.start}-${t.end}`;

  test('sampling is deterministic per seed, covers the four kinds and every language, and skips vendored files', async () => {
    const a = await sampleTaskSet(root, grammars, { tasks: 18, seed: 7 });
    const b = await sampleTaskSet(root, grammars, { tasks: 18, seed: 7 });
    const c = await sampleTaskSet(root, grammars, { tasks: 18, seed: 8 });
    assert.equal(a.tasks.length, 18);
    assert.deepEqual(a.tasks.map(key), b.tasks.map(key));
    assert.notDeepEqual(a.tasks.map(key), c.tasks.map(key));
    assert.deepEqual([...new Set(a.tasks.map((t) => t.kind))].sort(), ['block', 'line', 'lines', 'span']);
    assert.deepEqual([...new Set(a.tasks.map((t) => t.languageId))].sort(), ['go', 'python', 'typescript']);
    for (const t of a.tasks) {
      assert.ok(!/node_modules|dist\/|ignored\/|gen\/|web\//.test(t.path), `sampled from a skipped file: ${t.path}`);
      const text = fs.readFileSync(path.join(root, t.path), 'utf8');
      assert.equal(t.prefix + t.middle + t.suffix, text);
      assert.ok(t.middle.trim());
    }
    assert.ok(!a.files.some((f) => /node_modules|dist\/|ignored\//.test(f)));
  });

  test('two generated models, with context and the baseline: figures per language, reports with a row per model', async () => {
    const set = await sampleTaskSet(root, grammars, { tasks: 6, seed: 1 });
    const progress: number[] = [];
    const report = await evaluateModels({
      root, tasks: set.tasks, seed: 1, models: [{ path: tiny }, { path: other }], engine, grammars, load, settings,
      onProgress: (p) => progress.push(p.done),
    });
    assert.equal(report.cancelled, false);
    assert.equal(report.models.length, 2);
    assert.equal(progress.at(-1), 2 * 2 * 6);
    for (const m of report.models) {
      assert.equal(m.error, undefined);
      assert.equal(m.outcomes.context.length, 6);
      assert.equal(m.outcomes.baseline.length, 6);
      const f = m.context!.overall;
      assert.equal(f.tasks, 6);
      for (const share of [f.exactMatch, f.firstLineCorrect, f.noOutput, f.editSimilarity]) assert.ok(share >= 0 && share <= 1);
      assert.ok(f.totalP50Ms > 0 && f.totalP95Ms >= f.totalP50Ms);
      assert.ok(f.firstLineP50Ms <= f.totalP50Ms + 1e-9 || f.firstLineP50Ms > 0);
      assert.ok(f.tokensPerSecond > 0);
      assert.ok(Object.keys(m.context!.byLanguage).length >= 2);
      if (process.platform === 'linux') assert.ok((m.peakMemoryBytes ?? 0) > 10e6, `peak memory ${m.peakMemoryBytes}`);
    }
    assert.ok(report.best && [tiny, other].includes(report.best.path));
    const md = renderMarkdown(report);
    const html = renderHtml(report, { nonce: 'n0nce', interactive: true });
    for (const label of ['tiny', 'tiny-othervocab']) {
      assert.match(md, new RegExp(`\\| ${label} \\| with context \\|`));
      assert.match(md, new RegExp(`\\| ${label} \\| prefix/suffix only \\|`));
      assert.ok(html.includes(`data-model="${label}"`));
    }
    assert.equal(engine.pid, undefined, 'the engine stops after the run');
  });

  test('cancel stops the run promptly and returns what it has', async () => {
    const set = await sampleTaskSet(root, grammars, { tasks: 30, seed: 3 });
    const index = await indexWorkspace(root, grammars);
    const controller = new AbortController();
    let abortedAt = 0;
    const report = await evaluateModels({
      root, tasks: set.tasks, seed: 3, models: [{ path: tiny }, { path: other }], engine, grammars, index, load,
      settings: { ...settings, maxTokens: 64 }, signal: controller.signal,
      onProgress: (p) => {
        if (p.done === 3 && !abortedAt) {
          abortedAt = performance.now();
          controller.abort();
        }
      },
    });
    const stoppedMs = performance.now() - abortedAt;
    assert.ok(abortedAt > 0);
    assert.equal(report.cancelled, true);
    assert.equal(report.best, undefined);
    assert.equal(report.models.length, 1, 'the second model never starts');
    assert.equal(report.models[0].outcomes.context.length, 3);
    assert.ok(stoppedMs < 3000, `stopped ${Math.round(stoppedMs)} ms after cancel`);
    assert.equal(engine.pid, undefined);
  });
});
