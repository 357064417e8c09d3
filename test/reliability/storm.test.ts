/**
 * Storm: 1,000 keystrokes at 5 ms intervals over 20 files, in 20 bursts of 50 that each start with
 * a jump to a random place in a random file and jump again within the file; on the real engine with
 * the tiny model. Each keystroke does what VS Code and the inline provider do: cancel the previous
 * request, then ask the pipeline (debounce 0, the worst case: the default 40 ms debounce would
 * let almost none of these through). Measured: requests in flight at the engine boundary (all, and
 * those not yet cancelled: generations), resident memory of this process and of the engine, and
 * how long the last request of each burst takes to be answered.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CompletionPipeline, FimBackend } from '../../completion/completionPipeline';
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';
import { ModelSession } from '../../models/engine/modelSession';
import { aroundCursor, makePipelines, SETTINGS } from './pipelines';
import { mb, modelChoice, ms, newClient, percentile, report, rssOf, sleep } from './support';

const FILES = 20;
const BURSTS = 20;
const KEYS_PER_BURST = 50;
const INTERVAL_MS = 5;
const TYPED = 'const result = compute(value, 42);\n  if (result > limit) return ';

interface Doc { uri: string; text: string; version: number }

function makeDocs(): Doc[] {
  return Array.from({ length: FILES }, (_, f) => {
    const lines = [`// file ${f}`, `import { compute } from './util${f}';`, ''];
    for (let i = 0; i < 40; i++) {
      lines.push(`export function step${f}_${i}(value: number, limit: number): number {`, `  const scaled = value * ${i + f};`, '  return scaled;', '}', '');
    }
    return { uri: `file:///work/storm/file${f}.ts`, text: lines.join('\n'), version: 1 };
  });
}

/** A backend that counts what is in flight at the engine boundary. */
function counting(inner: FimBackend) {
  const live = new Set<AbortSignal>();
  const stats = { inFlight: 0, peakInFlight: 0, peakGenerations: 0, requests: 0 };
  const generations = () => [...live].filter((s) => !s.aborted).length;
  const backend: FimBackend = {
    async complete(request, signal, onText) {
      stats.requests++;
      stats.inFlight++;
      live.add(signal);
      stats.peakInFlight = Math.max(stats.peakInFlight, stats.inFlight);
      stats.peakGenerations = Math.max(stats.peakGenerations, generations());
      try {
        return await inner.complete(request, signal, onText);
      } finally {
        stats.inFlight--;
        live.delete(signal);
      }
    },
  };
  return { backend, stats };
}

// The pipeline the extension runs (tree-sitter context); the plain one is its fallback.
for (const kind of ['syntax'] as const) {
  describe(`storm (${kind} pipeline)`, () => {
    const client = newClient();
    const session = new ModelSession(client);
    const { backend, stats } = counting(client);
    let pipeline: CompletionPipeline;
    let store: Awaited<ReturnType<typeof makePipelines>>['store'];
    const docs = makeDocs();

    before(async () => {
      session.configure(modelChoice(await ensureGeneratedModel('tiny')));
      assert.ok(await session.ensureLoaded());
      const pipes = await makePipelines(backend);
      pipeline = pipes[kind];
      store = pipes.store;
      for (const d of docs) store.open({ uri: d.uri, languageId: 'typescript', text: d.text, version: d.version });
    });
    after(() => client.stop());

    test(`1,000 keystrokes at ${INTERVAL_MS} ms over ${FILES} files`, async (t) => {
      let seed = 13;
      const rand = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
      const lineEnds = (d: Doc) => [...d.text.matchAll(/\n/g)].map((m) => m.index!).filter((i) => i > 0 && d.text[i - 1] !== '\n');
      let current: AbortController | undefined;
      let last: Promise<{ kind: string; ms: number }> | undefined;
      const lastLatencies: number[] = [];
      let peakHost = 0;
      let peakEngine = 0;
      const baseHost = process.memoryUsage().rss;
      const baseEngine = rssOf(client.pid);
      const sampler = setInterval(() => {
        peakHost = Math.max(peakHost, process.memoryUsage().rss);
        peakEngine = Math.max(peakEngine, rssOf(client.pid));
      }, 25);
      const keyTimes: number[] = [];

      /** One provider call: like InlineProvider with debounce 0, cancelled by the next keystroke. */
      const provide = (d: Doc, offset: number) => {
        current?.abort();
        const controller = current = new AbortController();
        const started = performance.now();
        return (async () => {
          if (!(await session.ensureLoaded()) || controller.signal.aborted) return { kind: 'cancelled', ms: 0 };
          const o = await pipeline.complete(aroundCursor(d.text, offset, 'typescript', d.uri), SETTINGS, controller.signal);
          return { kind: o.kind, ms: performance.now() - started };
        })();
      };

      let next = performance.now();
      let maxLag = 0;
      let tick = performance.now();
      const lagTimer = setInterval(() => { maxLag = Math.max(maxLag, performance.now() - tick - 5); tick = performance.now(); }, 5);
      for (let burst = 0; burst < BURSTS; burst++) {
        const doc = docs[rand(FILES)];
        let ends = lineEnds(doc);
        let offset = ends[rand(ends.length)];
        for (let k = 0; k < KEYS_PER_BURST; k++) {
          if (k > 0 && rand(20) === 0) { // a jump within the file: the pending request is cancelled
            current?.abort();
            ends = lineEnds(doc);
            offset = ends[rand(ends.length)];
          }
          const backspace = rand(10) === 0 && doc.text[offset - 1] !== '\n';
          const change = backspace ? { offset: offset - 1, length: 1, text: '' } : { offset, length: 0, text: TYPED[(burst * KEYS_PER_BURST + k) % TYPED.length] };
          doc.text = doc.text.slice(0, change.offset) + change.text + doc.text.slice(change.offset + change.length);
          offset = change.offset + change.text.length;
          store.change(doc.uri, [change], ++doc.version);
          keyTimes.push(performance.now());
          last = provide(doc, offset);
          // Keys land on a 5 ms grid whatever the work per key costs (a slow host falls behind).
          next += INTERVAL_MS;
          await sleep(Math.max(0, next - performance.now()));
        }
        const answer = await last!;
        next = performance.now();
        assert.ok(answer.kind === 'completion' || answer.kind === 'empty' || answer.kind === 'skipped', `burst ${burst}: the last request was answered (${answer.kind})`);
        lastLatencies.push(answer.ms);
      }
      clearInterval(sampler);
      clearInterval(lagTimer);
      await sleep(50);
      assert.equal(stats.inFlight, 0, 'nothing left in flight');
      assert.ok(stats.peakGenerations <= 1, `at most one generation in flight (peak ${stats.peakGenerations})`);
      assert.ok(stats.peakInFlight <= 2, `no pile-up at the engine boundary (peak ${stats.peakInFlight})`);
      assert.ok(peakHost - baseHost < 200 * 1048576, `host memory grew ${mb(peakHost - baseHost)}`);
      assert.ok(peakEngine - baseEngine < 200 * 1048576, `engine memory grew ${mb(peakEngine - baseEngine)}`);
      const gaps = keyTimes.slice(1).map((v, i) => v - keyTimes[i]).filter((_, i) => (i + 1) % KEYS_PER_BURST !== 0); // within bursts
      const figures = `${keyTimes.length} keys (mean interval ${ms(gaps.reduce((a, b) => a + b, 0) / gaps.length)}), ${stats.requests} engine requests; ` +
        `peak in flight ${stats.peakInFlight} (generations ${stats.peakGenerations}); peak RSS host ${mb(peakHost)} (+${mb(peakHost - baseHost)}), ` +
        `engine ${mb(peakEngine)} (+${mb(peakEngine - baseEngine)}); last request p50 ${ms(percentile(lastLatencies, 50))}, ` +
        `p95 ${ms(percentile(lastLatencies, 95))}, max ${ms(Math.max(...lastLatencies))}; longest event-loop stall ${ms(maxLag)}`;
      report(t, 'storm', figures, { ...stats, peakHost, peakEngine, lastLatencies });
    });
  });
}
