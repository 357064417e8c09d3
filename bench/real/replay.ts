/**
 * `node out/bench/real/replay.js RUN.json|DIR [--system raw|peer|pipeline]`: the model text one system got for
 * each task of a bench run, put through our pipeline's post-processing (the same document, mode
 * and finish as live completion; a stand-in engine answers with the recorded text). Separates what
 * the prompt does from what post-processing does, without running a model again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Grammars } from '../../context/grammars';
import { indexWorkspace } from '../../completion/evaluation/runner';
import { sampleTaskSet, type TaskKind } from '../../completion/evaluation/taskSet';
import { TaskRunner } from '../../completion/evaluation/taskRunner';
import type { FimRequest, FimResult } from '../../models/engine/engineProtocol';
import type { PipelineSettings } from '../../completion/pipelineTypes';
import { figuresBy } from './realScores';
import type { Outcome } from './realBench';

export async function replay(runFile: string, system: string): Promise<{ outcomes: Outcome[]; figures: ReturnType<typeof figuresBy> }> {
  const run = JSON.parse(fs.readFileSync(runFile, 'utf8')) as { repo: string; seed: number; kinds?: TaskKind[]; settings: PipelineSettings; outcomes: Record<string, Outcome[]> };
  const recorded = run.outcomes[system];
  if (!recorded) throw new Error(`${runFile} has no ${system} outcomes`);
  const grammars = new Grammars();
  const set = await sampleTaskSet(run.repo, grammars, { tasks: recorded.length, seed: run.seed, kinds: run.kinds });
  const index = await indexWorkspace(run.repo, grammars);
  const runner = new TaskRunner({ complete: async () => undefined }, grammars, index, run.repo, path.basename(run.repo), 1024);
  const outcomes: Outcome[] = [];
  for (const [i, task] of set.tasks.entries()) {
    const r = recorded[i];
    if (r.path !== task.path || r.start !== task.start) throw new Error(`task ${i} differs from the recorded run`);
    const text = system === 'peer' ? r.raw ?? '' : system === 'pipeline' ? r.raw ?? r.got : r.got;
    const engine = { complete: async (_: FimRequest): Promise<FimResult> => ({ text, stats: { promptTokens: 0, evaluatedTokens: 0, generatedTokens: 0, promptMs: 0, generateMs: 0, totalMs: 0, aborted: false, stopReason: 'eog', speculativeAccepted: 0, speculativeProposed: 0 } }) };
    const o = await runner.run(task, 'context', run.settings, new AbortController().signal, engine);
    outcomes.push({ ...r, got: o?.got ?? '' });
  }
  runner.dispose();
  grammars.dispose();
  return { outcomes, figures: figuresBy(outcomes) };
}

/** Every run in `dir`: each system's recorded model text through today's post-processing, one row per run and system. */
async function replayAll(dir: string): Promise<void> {
  console.log('| run | system | tasks | EM | ES | coverage | precision | chars/shown |\n|---|---|---|---|---|---|---|---|');
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.json') && x !== 'summary.json').sort()) {
    const run = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { outcomes: Record<string, Outcome[]> };
    for (const system of Object.keys(run.outcomes)) {
      const { overall: o } = (await replay(path.join(dir, f), system)).figures;
      const p = (x: number) => (x * 100).toFixed(0);
      console.log(`| ${f.replace(/\.json$/, '')} | ${system} | ${o.tasks} | ${p(o.exactMatch)} | ${p(o.editSimilarity)} | ${p(o.coverage)} | ${p(o.precision)} | ${o.acceptedCharsPerShown} |`);
    }
  }
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const system = argv.includes('--system') ? argv[argv.indexOf('--system') + 1] : 'raw';
  if (fs.statSync(argv[0]).isDirectory()) {
    replayAll(argv[0]).catch((err: unknown) => { console.error(err); process.exit(1); });
  } else {
    replay(argv[0], system).then((r) => {
      console.log(JSON.stringify(r.figures.overall));
      for (const o of r.outcomes) console.log(o.kind, JSON.stringify(o.got.slice(0, 70)), '| want', JSON.stringify(o.expected.slice(0, 50)));
    }).catch((err: unknown) => { console.error(err); process.exit(1); });
  }
}
