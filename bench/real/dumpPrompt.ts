/**
 * `node out/bench/real/dumpPrompt.js REPO_DIR TASK_INDEX [--seed 1] [--variant anchored] [--settings JSON]`:
 * the request our pipeline sends the engine for one seeded task (prefix tail, suffix, snippets),
 * next to the raw FIM windows, to read what the model saw when the two prompts disagree.
 */
import * as path from 'node:path';
import { Grammars } from '../../context/grammars';
import { indexWorkspace } from '../../completion/evaluation/runner';
import { sampleTaskSet } from '../../completion/evaluation/taskSet';
import { TaskRunner } from '../../completion/evaluation/taskRunner';
import type { FimRequest } from '../../models/engine/engineProtocol';
import { patchRequest } from './requestVariants';
import { PRODUCT_SETTINGS } from './productSettings';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const arg = (n: string, d: string) => (argv.includes(`--${n}`) ? argv[argv.indexOf(`--${n}`) + 1] : d);
  const root = path.resolve(argv[0]);
  const at = Number(argv[1]);
  const grammars = new Grammars();
  const set = await sampleTaskSet(root, grammars, { tasks: at + 1, seed: Number(arg('seed', '1')) });
  const task = set.tasks[at];
  const index = await indexWorkspace(root, grammars);
  let sent: FimRequest | undefined;
  const engine = { complete: async (r: FimRequest) => { sent = patchRequest(r, arg('variant', 'anchored').split(',').filter(Boolean)); return undefined; } };
  const runner = new TaskRunner(engine, grammars, index, root, path.basename(root), 1024);
  await runner.run(task, 'context', { ...PRODUCT_SETTINGS, ...JSON.parse(arg('settings', '{}')) }, new AbortController().signal);
  runner.dispose();
  grammars.dispose();
  console.log(`task ${at} ${task.kind} ${task.path} want ${JSON.stringify(task.middle)}`);
  if (!sent) return;
  const tail = (s: string, n: number) => s.slice(Math.max(0, s.length - n));
  console.log(`--- snippets (${sent.context?.length ?? 0}): ${(sent.context ?? []).map((c) => `${c.path} ${c.text.length}ch`).join(', ')}`);
  for (const c of sent.context ?? []) console.log(`>>> ${c.path}\n${c.text}`);
  console.log(`--- prefix ${sent.prefix.length} chars (raw has ${task.prefix.length}), anchor ${sent.anchor ?? 0}, singleLine ${sent.singleLine}, stop ${JSON.stringify(sent.stop)}\n${tail(sent.prefix, 600)}<CURSOR>`);
  console.log(`--- suffix ${sent.suffix.length} chars (max ${sent.maxSuffixTokens} tokens)\n${sent.suffix}<END>`);
  console.log(`--- raw suffix (first 600 of ${task.suffix.length})\n${task.suffix.slice(0, 600)}<END>`);
}

main().catch((err: unknown) => { console.error(err); process.exit(1); });
