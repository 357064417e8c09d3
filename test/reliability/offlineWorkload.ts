/**
 * What the extension does, without the editor: index a workspace (tree-sitter, in a worker thread),
 * list the models Switch Model would offer (discovery in the usual places and the extension's
 * folder), validate and pair a choice, start the engine process, load, complete with syntax
 * context, switch to another local file, complete, stop. Run
 * in-process under the network guard (offline.test.ts), or as a script under strace.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CompletionPipeline } from '../../completion/completionPipeline';
import { ContextLayer } from '../../completion/contextLayer';
import { pickDraft } from '../../models/library/draftPairing';
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';
import { gatherLocalChoices, usableModels } from '../../models/library/modelChoices';
import { ModelSession } from '../../models/engine/modelSession';
import { validateModelFile } from '../../models/engine/validatorClient';
import { modelChoice, newClient } from './support';

export interface WorkloadResult {
  enginePids: number[];
  completions: string[];
  listed: number;
  indexed: number;
}

const SETTINGS = { maxTokens: 12, multiline: false, prefixTokens: 768, suffixTokens: 128, deadlineMs: 0 };

export async function runOfflineWorkload(): Promise<WorkloadResult> {
  const tiny = await ensureGeneratedModel('tiny');
  const other = await ensureGeneratedModel('tiny-othervocab');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lcc-offline-'));
  const installFolder = path.join(home, 'models');
  fs.mkdirSync(installFolder);
  const switched = path.join(installFolder, 'other-model.gguf');
  fs.copyFileSync(other, switched);

  const choices = await gatherLocalChoices({ bundledFolder: path.join(home, 'bundled'), installFolder, userFolders: [path.dirname(tiny)] });
  const listed = choices.bundled.length + choices.installed.length + choices.discovered.length;
  const workspace = path.join(home, 'workspace');
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, 'math.ts'), 'export function add(a: number, b: number): number {\n  return a + b;\n}\n');
  fs.writeFileSync(path.join(workspace, 'main.ts'), 'import { add } from "./math";\nexport const three = add(1, 2);\n');
  const layer = new ContextLayer({ onError: (err) => { throw err; } });
  layer.setWorkspace(workspace, 'workspace');
  for (const started = Date.now(); layer.index.files.size < 2; ) {
    if (Date.now() - started > 20_000) throw new Error('the workspace index worker did not finish');
    await new Promise((r) => setTimeout(r, 50));
  }
  const client = newClient();
  const session = new ModelSession(client);
  const pipeline = new CompletionPipeline(client, { context: layer.source });
  const enginePids: number[] = [];
  const completions: string[] = [];
  const complete = async (prefix: string) => {
    if (!(await session.ensureLoaded())) throw new Error(`model did not load: ${session.lastError?.message}`);
    if (client.pid && !enginePids.includes(client.pid)) enginePids.push(client.pid);
    const uri = `file://${workspace}/edit.ts`;
    const text = `${prefix}\n}\n`;
    layer.open({ uri, languageId: 'typescript', text, version: completions.length + 1, path: 'edit.ts' });
    const input = { prefix, suffix: '\n}\n', languageId: 'typescript', uri, offset: prefix.length };
    const outcome = await pipeline.complete(input, SETTINGS, new AbortController().signal);
    layer.close(uri);
    if (outcome.kind !== 'completion' && outcome.kind !== 'empty') throw new Error(`completion ${outcome.kind}`);
    completions.push(outcome.kind === 'completion' ? outcome.completion.text : '');
  };
  const choose = (modelPath: string) =>
    session.configure(modelChoice(modelPath));
  try {
    choose(tiny);
    await complete('function add(a: number, b: number) {\n  return ');
    // Switch Model: validate the file and look for a draft among the listed models, then load it.
    const facts = await validateModelFile(switched);
    pickDraft(facts, usableModels(choices).map((c) => c.facts!));
    choose(switched);
    await complete('const greeting = ');
  } finally {
    await client.stop();
    layer.dispose();
    fs.rmSync(home, { recursive: true, force: true });
  }
  return { enginePids, completions, listed, indexed: layer.index.files.size };
}

// As a script (under strace): print the result as JSON.
if (require.main === module) {
  runOfflineWorkload().then(
    (r) => { console.log(JSON.stringify(r)); process.exit(0); },
    (err: unknown) => { console.error(err); process.exit(1); },
  );
}
