// Loads a trained pair in the engine the extension runs (models/engine/fimEngine.ts, the draft
// speculating) and completes one snippet of a held-out file: the last step of the rehearsal
// (models/training/rehearse.sh) and a quick look at a freshly trained model.
//
// usage: node out/models/training/completeSnippet.js TARGET.gguf DRAFT.gguf HELDOUT.jsonl.gz [--lang ts]
// Prints the prompt's tail, the completion and the engine's stats as JSON; exit code 1 when the
// engine refused the pair or generated nothing.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { FimEngine } from '../engine/fimEngine';

interface HeldoutFile { pkg: string; lang: string; path: string; text: string }

export function pickSnippet(files: HeldoutFile[], lang?: string): { file: HeldoutFile; prefix: string; suffix: string } {
  const pool = files.filter((f) => (!lang || f.lang === lang) && f.text.split('\n').length >= 12);
  const file = pool[0] ?? files[0];
  if (!file) throw new Error('no held-out file');
  const lines = file.text.split('\n');
  const at = Math.floor(lines.length / 2);
  const indent = /^\s*/.exec(lines[at] ?? '')?.[0] ?? '';
  const prefix = [...lines.slice(0, at), indent].join('\n');
  const suffix = '\n' + lines.slice(at + 1).join('\n');
  return { file, prefix, suffix };
}

async function main(argv: string[]): Promise<number> {
  const [target, draft, heldout] = argv;
  if (!target || !draft || !heldout) {
    console.error('usage: completeSnippet TARGET.gguf DRAFT.gguf HELDOUT.jsonl.gz [--lang ts]');
    return 2;
  }
  const li = argv.indexOf('--lang');
  const files = zlib.gunzipSync(fs.readFileSync(heldout)).toString('utf8').split('\n').filter(Boolean)
    .map((l) => JSON.parse(l) as HeldoutFile);
  const { file, prefix, suffix } = pickSnippet(files, li >= 0 ? argv[li + 1] : undefined);
  const engine = new FimEngine(() => undefined);
  try {
    const info = await engine.load({
      modelPath: path.resolve(target), draftModelPath: path.resolve(draft), contextSize: 2048, threads: 1, gpu: 'off', speculation: 'auto',
    });
    const r = await engine.complete({
      prefix, suffix, filePath: file.path, repoName: file.pkg, maxPrefixTokens: 768, maxSuffixTokens: 32, maxTokens: 32, singleLine: true,
    }, new AbortController().signal);
    console.log(JSON.stringify({ file: `${file.pkg}/${file.path}`, promptTail: prefix.slice(-160), completion: r.text, speculation: info.speculation, draftRefused: info.draftRefused, stats: r.stats }, null, 1));
    return r.stats.generatedTokens > 0 && info.speculation === 'draft' ? 0 : 1;
  } finally {
    await engine.unload();
  }
}

if (require.main === module) void main(process.argv.slice(2)).then((c) => { process.exitCode = c; });
