/**
 * `node out/bench/real/probe.js --repo DIR --at 1,4,8 [--model ID] [--threads 2] [--seed 1] [--configs JSON] [--out F.json]`:
 * a few seeded tasks (by index in the run's task set) through the pipeline under several prompt
 * configurations, one model load: which factor turns a wrong suggestion into the right one.
 * A configuration is { label, variant: "anchored,bare", settings: {suffixTokens: 256} }.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Grammars } from '../../context/grammars';
import { indexWorkspace } from '../../completion/evaluation/runner';
import { sampleTaskSet } from '../../completion/evaluation/taskSet';
import { TaskRunner } from '../../completion/evaluation/taskRunner';
import { EngineClient } from '../../models/engine/engineClient';
import { cachedRealModel } from '../../models/network/packageIndex/realModels';
import { withVariants } from './requestVariants';
import { PRODUCT_SETTINGS } from './productSettings';

interface Config { label: string; variant?: string; settings?: Record<string, unknown> }

const DEFAULT_CONFIGS: Config[] = [
  { label: 'ours', variant: 'anchored' },
  { label: 'suffix256', variant: 'anchored', settings: { suffixTokens: 256 } },
  { label: 'prefix1024', variant: 'anchored', settings: { prefixTokens: 1024 } },
  { label: 'bare', variant: 'anchored,bare' },
  { label: 'classic', variant: '' },
  { label: 'rawlike', variant: 'bare', settings: { prefixTokens: 1024, suffixTokens: 256 } },
];

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const arg = (n: string, d?: string) => (argv.includes(`--${n}`) ? argv[argv.indexOf(`--${n}`) + 1] : d);
  const root = path.resolve(arg('repo')!);
  const at = arg('at')!.split(',').map(Number);
  const configs: Config[] = JSON.parse(arg('configs') ?? JSON.stringify(DEFAULT_CONFIGS));
  const modelPath = cachedRealModel(arg('model', 'qwen2.5-coder-0.5b-instruct-q4_k_m')!);
  if (!modelPath) throw new Error('model not in the cache: npm run models:real');
  const grammars = new Grammars();
  const set = await sampleTaskSet(root, grammars, { tasks: Math.max(...at) + 1, seed: Number(arg('seed', '1')) });
  const index = await indexWorkspace(root, grammars);
  const engine = new EngineClient({
    enginePath: path.join(__dirname, '..', '..', 'models', 'engine', 'engineProcess.js'), timeoutMs: 180_000,
    log: { trace() {}, debug() {}, info() {}, warn: console.error, error: console.error },
  });
  await engine.load({ modelPath, contextSize: 2048, threads: Number(arg('threads', '2')), gpu: 'off', speculation: 'auto' });
  const rows: Record<string, unknown>[] = [];
  try {
    const runner = new TaskRunner(engine, grammars, index, root, path.basename(root), 1024);
    for (const i of at) {
      const task = set.tasks[i];
      console.log(`\n#${i} ${task.kind} ${task.path} want ${JSON.stringify(task.middle.slice(0, 60))}`);
      for (const c of configs) {
        const o = await runner.run(task, 'context', { ...PRODUCT_SETTINGS, ...c.settings } as typeof PRODUCT_SETTINGS, new AbortController().signal,
          withVariants(engine, (c.variant ?? '').split(',').filter(Boolean)));
        const got = o?.got ?? '';
        rows.push({ task: i, kind: task.kind, config: c.label, got, raw: o?.raw, expected: task.middle, right: got === task.middle });
        console.log(`  ${got === task.middle ? 'OK ' : '   '} ${c.label.padEnd(12)} ${JSON.stringify(got.slice(0, 60))}  ${Math.round(o?.totalMs ?? 0)} ms`);
      }
    }
    runner.dispose();
  } finally {
    await engine.stop();
    grammars.dispose();
  }
  const out = arg('out');
  if (out) fs.writeFileSync(out, JSON.stringify({ repo: root, configs, rows }, null, 1));
}

main().catch((err: unknown) => { console.error(err); process.exit(1); });
