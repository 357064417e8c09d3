/**
 * npm run bench:layout -- [--model M] [--samples N] [--seed N] [--json OUT] DIR...
 *
 * Quality of the anchored prompt layout against the classic one (models/engine/fimPrompt.ts) with
 * the trained bundled model, on code it was never trained on (directories given: node_modules
 * packages, Debian packages). Each sample puts the cursor on a real line, after its indentation
 * (even samples) or also after a random part of the line (odd ones: what someone typing it has
 * typed, possibly mid-word); the model completes the rest
 * of the line, greedy, and exact match / edit similarity are taken against the real rest.
 *   classic          <fim_prefix>…line so far<fim_suffix>…<fim_middle>
 *   anchored         <fim_prefix>…\n  <fim_suffix>…<fim_middle>line so far   (the pipeline's: after the indentation)
 *   anchored at the line start   the indentation after the middle token too
 *   anchored, 2 lines  the anchor one line further back, after its indentation (the typed part spans a line break)
 * With `--jump N,M,...` it compares instead the anchored layout with the whole prefix window (768
 * tokens) against the small first prompt at a new place (the last N tokens' whole lines, as
 * completion/completionPipeline.ts jumpPrefixTokens cuts it with context/promptWindows windowPrefix).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FimRequest } from '../../models/engine/engineProtocol';
import { windowPrefix } from '../../context/promptWindows';
import { repoRoot } from '../../models/gguf/paths';
import { Prng } from '../../models/gguf/prng';
import { findBundledModel } from '../../models/library/modelLocations';
import { complete, editSimilarity, fimTokensOf } from '../../models/training/evalCompletion';

const LANGS: Record<string, string> = { '.ts': 'ts', '.js': 'js', '.mjs': 'js', '.py': 'py', '.go': 'go', '.rs': 'rs' };
interface Sample { file: string; prefix: string; suffix: string; typed: string; expected: string; previousLine: string }

function filesUnder(dir: string, out: string[] = []): string[] {
  for (const name of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const stat = fs.statSync(full);
    if (stat.isDirectory() && name !== 'node_modules' && name !== '__pycache__') filesUnder(full, out);
    else if (LANGS[path.extname(name)] && !name.endsWith('.d.ts') && !name.includes('.min.') && stat.size > 800 && stat.size < 200_000) out.push(full);
  }
  return out;
}

function sample(dirs: string[], count: number, seed: number): Sample[] {
  const rng = new Prng(seed);
  const files = dirs.flatMap((d) => filesUnder(d));
  const out: Sample[] = [];
  for (let tries = 0; out.length < count && tries < count * 20; tries++) {
    const file = files[Math.floor(rng.nextFloat() * files.length)];
    const lines = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n').split('\n');
    const i = 2 + Math.floor(rng.nextFloat() * Math.max(1, lines.length - 4));
    const line = lines[i] ?? '';
    const body = line.trimStart();
    if (body.length < 4 || /^(\/\/|#|\*|\/\*)/.test(body) || !lines[i - 1]?.trim()) continue;
    const indent = line.length - body.length;
    // Half the samples at the line's indentation (as models/training/evalCompletion.ts), half mid-line.
    const cut = indent + (out.length % 2 ? Math.floor(rng.nextFloat() * (body.length / 2)) : 0);
    const before = lines.slice(0, i).join('\n') + '\n';
    out.push({
      file, prefix: before + line.slice(0, cut), suffix: '\n' + lines.slice(i + 1).join('\n'),
      typed: line.slice(0, cut), expected: line.slice(cut), previousLine: lines[i - 1],
    });
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const dirs = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
  if (!dirs.length) throw new Error('give one or more directories of code the model was not trained on');
  const modelPath = flag('--model') ?? (await findBundledModel(repoRoot()))?.path;
  if (!modelPath) throw new Error('no bundled model found (models/bundled)');
  const samples = sample(dirs, Number(flag('--samples') ?? 300), Number(flag('--seed') ?? 1));

  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  const llama = await getLlama({ gpu: false, build: 'never', maxThreads: 1, logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath });
  const fim = fimTokensOf(model);
  const context = await model.createContext({ contextSize: Math.min(2048, model.trainContextSize), threads: 1, sequences: 1 });
  const seq = context.getSequence();
  const anchored = (s: Sample) => s.typed.trimStart().length;
  const jumps = flag('--jump')?.split(',').map(Number).filter((n) => n > 0);
  // name -> [anchor, prefix window in tokens (the prefix's tail, whole lines)]
  const layouts: Record<string, (s: Sample) => [number, number]> = jumps ? {
    'anchored, whole window (768)': (s) => [anchored(s), 768],
    ...Object.fromEntries(jumps.map((n) => [`anchored, jump window ${n}`, (s: Sample) => [anchored(s), n] as [number, number]])),
  } : {
    classic: () => [0, 768],
    anchored: (s) => [anchored(s), 768],
    'anchored at the line start': (s) => [s.typed.length, 768],
    'anchored, 2 lines': (s) => [s.typed.length + s.previousLine.trimStart().length + 1, 768],
  };
  const tally: Record<string, { n: number; em: number; es: number; promptTokens: number }> = {};
  for (const s of samples) {
    for (const [name, layout] of Object.entries(layouts)) {
      const [anchor, prefixTokens] = layout(s);
      // The window cut keeps the typed part (it is on the cursor's line, the window's last line).
      const prefix = prefixTokens < 768 ? windowPrefix(s.prefix, prefixTokens) : s.prefix;
      const request: FimRequest = {
        prefix, suffix: s.suffix, anchor: anchor || undefined, filePath: path.basename(s.file), repoName: path.basename(path.dirname(s.file)),
        maxPrefixTokens: 768, maxSuffixTokens: 32, maxTokens: 48, singleLine: true,
      };
      const c = await complete(model, seq, fim, request);
      const text = c.text; // already one line of text (stopRules.cutPoint), as in evalCompletion
      for (const key of [name, `${name} [${s.typed.trim() ? 'mid-line' : 'line start'}]`]) {
        const t = tally[key] ??= { n: 0, em: 0, es: 0, promptTokens: 0 };
        t.n++;
        t.em += text.trim() === s.expected.trim() ? 1 : 0;
        t.es += editSimilarity(text, s.expected);
        t.promptTokens += c.promptTokens;
      }
    }
  }
  const r = (x: number) => Math.round(x * 10000) / 10000;
  const results = Object.fromEntries(Object.entries(tally).map(([k, t]) => [k, { samples: t.n, exactMatch: r(t.em / t.n), editSimilarity: r(t.es / t.n), meanPromptTokens: r(t.promptTokens / t.n) }]));
  const report = { model: path.basename(modelPath), dirs: dirs.map((d) => path.relative(repoRoot(), path.resolve(d))), files: new Set(samples.map((s) => s.file)).size, results };
  console.log(JSON.stringify(report, null, 1));
  const out = flag('--json');
  if (out) { fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true }); fs.writeFileSync(out, JSON.stringify(report, null, 2) + '\n'); }
  await context.dispose();
  await model.dispose();
}

main().catch((err) => { console.error(err); process.exit(1); });
