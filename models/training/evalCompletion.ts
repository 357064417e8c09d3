// Next-line completion quality and speculative decoding, measured on the real engine
// (node-llama-cpp) with the exported GGUF files, on held-out files never trained on.
//
// For each sampled line of a held-out file the cursor sits after the line's indentation; the
// prompt is built exactly as the extension builds it (models/engine/fimPrompt.ts, repo-level layout,
// 768 prefix / 32 suffix tokens within the context), and greedy decoding stops at the end of the
// first line. Ways to complete, on the same samples, interleaved so that load from other
// processes hits them alike, all through the engine's own greedy decode loop
// (models/engine/speculativeDecoder.ts), so speculation changes the speed, not the text (except at
// numerical near-ties, counted as outputsDifferWithDraft):
//   target                     the target model alone
//   target+draft               the draft guesses as the extension runs it (DraftGuesser: stops at
//                              the first guess it is less than 50 % sure of)
//   target+draft (always 4)    the draft always proposes 4 guesses (minimum confidence 0)
//   target+lookup              prompt lookup, what the extension uses when no draft is paired
//   draft                      the draft model alone (for reference)
//   baseline                   repeat the previous line (no model)
// Reported: exact match, edit similarity, decode speed, draft acceptance rate and speed-up; and a
// second pass with multi-line generation (up to 64 tokens) where speculation has room to pay.
//
// usage: node out/models/training/evalCompletion.js TARGET.gguf DRAFT.gguf HELDOUT.jsonl.gz OUT.json
//          [--samples 300] [--multiline 60] [--threads 1] [--seed 1]

import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import type { LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };
import { buildFimPrompt, type FimTokens } from '../engine/fimPrompt';
import type { FimRequest } from '../engine/engineProtocol';
import { Prng } from '../gguf/prng';
import { decodeGreedy, type DecodeOptions } from '../engine/speculativeDecoder';
import { cutPoint } from '../engine/stopRules';
import { DraftGuesser, LookupGuesser, type TokenGuesser } from '../engine/tokenGuessers';

interface HeldoutFile { pkg: string; lang: string; path: string; text: string }
export interface Sample { lang: string; pkg: string; path: string; line: number; prefix: string; suffix: string; expected: string; previous: string }

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** 1 - normalised edit distance of the trimmed strings (1: identical). */
export function editSimilarity(pred: string, expected: string): number {
  const a = pred.trim();
  const b = expected.trim();
  const n = Math.max(a.length, b.length);
  return n === 0 ? 1 : 1 - levenshtein(a, b) / n;
}

export function readHeldout(path: string): HeldoutFile[] {
  return zlib.gunzipSync(fs.readFileSync(path)).toString('utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as HeldoutFile);
}

/** Lines to complete: non-blank lines after the first, with the cursor after the indentation. */
export function sampleLines(files: HeldoutFile[], count: number, seed: number): Sample[] {
  const share: Record<string, number> = { ts: 0.3, js: 0.25, py: 0.25, go: 0.1, rs: 0.1 };
  const rng = new Prng(seed);
  const rand = () => rng.nextFloat();
  const out: Sample[] = [];
  for (const [lang, frac] of Object.entries(share)) {
    const cands: Array<[HeldoutFile, number]> = [];
    for (const f of files.filter((x) => x.lang === lang)) {
      const lines = f.text.split('\n');
      for (let i = 1; i < lines.length; i++) if (lines[i].trim()) cands.push([f, i]);
    }
    const want = Math.min(cands.length, Math.round(count * frac));
    for (let k = 0; k < want; k++) {
      const j = k + Math.floor(rand() * (cands.length - k));
      [cands[k], cands[j]] = [cands[j], cands[k]];
      const [f, i] = cands[k];
      const lines = f.text.split('\n');
      const indent = lines[i].length - lines[i].trimStart().length;
      out.push({
        lang, pkg: f.pkg, path: f.path, line: i + 1,
        prefix: lines.slice(0, i).join('\n') + '\n' + lines[i].slice(0, indent),
        suffix: '\n' + lines.slice(i + 1).join('\n'),
        expected: lines[i].trim(),
        previous: lines[i - 1].trim(),
      });
    }
  }
  return out;
}

interface Completion { text: string; promptTokens: number; generated: number; promptMs: number; generateMs: number; validated: number; refuted: number }

/** Cold completion of one request on a sequence (history cleared first): greedy, own cut rules. */
export async function complete(model: LlamaModel, seq: LlamaContextSequence, fim: FimTokens<Token>, request: FimRequest, guesser?: TokenGuesser, options?: DecodeOptions): Promise<Completion> {
  const built = buildFimPrompt((t) => model.tokenize(t, false), fim, request, seq.context.contextSize);
  const prompt = built.tokens;
  await seq.clearHistory();
  const t0 = performance.now();
  await seq.evaluateWithoutGeneratingNewTokens(prompt.slice(0, -1));
  const t1 = performance.now();
  const out: Token[] = [];
  let text = '';
  const stats = await decodeGreedy(seq, prompt.slice(0, -1), prompt[prompt.length - 1], guesser, new AbortController().signal, (token) => {
    if (model.isSpecialToken(token) || model.isEogToken(token)) return false;
    out.push(token);
    text = model.detokenize(out);
    const cut = cutPoint(text, request);
    if (cut) { text = text.slice(0, cut.at); return false; }
    return out.length < request.maxTokens;
  }, options);
  const t2 = performance.now();
  return {
    text: text.replace(/\uFFFD+$/, ''), promptTokens: prompt.length, generated: out.length,
    promptMs: t1 - t0, generateMs: t2 - t1, validated: stats.accepted, refuted: stats.proposed - stats.accepted,
  };
}

/** The model's FIM tokens, with the repo-level ones where it has them. */
export function fimTokensOf(m: LlamaModel): FimTokens<Token> {
  const { prefix, suffix, middle } = m.tokens.infill;
  if (prefix == null || suffix == null || middle == null) throw new Error('model without FIM tokens');
  const special = (text: string): Token | undefined => {
    const [t] = m.tokenize(text, true);
    return t !== undefined && m.isSpecialToken(t) && m.detokenize([t], true) === text ? t : undefined;
  };
  return { prefix, suffix, middle, repoName: special('<|repo_name|>'), fileSep: special('<|file_sep|>') };
}

interface Tally { n: number; em: number; es: number; generated: number; generateMs: number; promptMs: number; validated: number; refuted: number }
const newTally = (): Tally => ({ n: 0, em: 0, es: 0, generated: 0, generateMs: 0, promptMs: 0, validated: 0, refuted: 0 });
function add(t: Tally, pred: string, expected: string, c?: Completion): void {
  t.n++;
  t.em += pred.trim() === expected.trim() ? 1 : 0;
  t.es += editSimilarity(pred, expected);
  if (c) { t.generated += c.generated; t.generateMs += c.generateMs; t.promptMs += c.promptMs; t.validated += c.validated; t.refuted += c.refuted; }
}
function summary(t: Tally, speculative: boolean): Record<string, number | null> {
  const r = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
  return {
    samples: t.n, exactMatch: r(t.em / Math.max(1, t.n)), editSimilarity: r(t.es / Math.max(1, t.n)),
    ...(t.generated > 0 ? {
      generatedTokens: t.generated, decodeTokensPerSecond: r(t.generated / (t.generateMs / 1000), 1),
      meanPromptMs: r(t.promptMs / t.n, 1), meanGenerateMs: r(t.generateMs / t.n, 1),
    } : {}),
    ...(speculative ? { draftProposed: t.validated + t.refuted, draftAccepted: t.validated, draftAcceptance: t.validated + t.refuted > 0 ? r(t.validated / (t.validated + t.refuted)) : null } : {}),
  };
}

async function main(argv: string[]): Promise<number> {
  const flag = (name: string, dflt: number) => { const i = argv.indexOf(name); return i >= 0 ? Number(argv[i + 1]) : dflt; };
  const positional = argv.filter((a, i) => !a.startsWith('--') && !(i > 0 && argv[i - 1].startsWith('--')));
  const [targetPath, draftPath, heldoutPath, outPath] = positional;
  if (!outPath) { console.error('usage: evalCompletion TARGET.gguf DRAFT.gguf HELDOUT.jsonl.gz OUT.json [--samples N] [--multiline N] [--threads N] [--seed N]'); return 2; }
  const threads = flag('--threads', 1);
  const samples = sampleLines(readHeldout(heldoutPath), flag('--samples', 300), flag('--seed', 1));
  const multiline = flag('--multiline', 60);

  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  const llama = await getLlama({ gpu: false, build: 'never', maxThreads: threads, logLevel: LlamaLogLevel.error });
  const target = await llama.loadModel({ modelPath: targetPath });
  const draft = await llama.loadModel({ modelPath: draftPath });
  const contextSize = Math.min(2048, target.trainContextSize);
  const fim = fimTokensOf(target);
  const ctxPlain = await target.createContext({ contextSize, threads, sequences: 1 });
  const ctxDraftGuesser = await draft.createContext({ contextSize, threads, sequences: 1 });
  const ctxDraftAlways = await draft.createContext({ contextSize, threads, sequences: 1 });
  const ctxDraftAlone = await draft.createContext({ contextSize, threads, sequences: 1 });
  const seqPlain = ctxPlain.getSequence();
  const seqDraft = ctxDraftAlone.getSequence();
  const draftGuesser = new DraftGuesser(ctxDraftGuesser.getSequence());
  const draftAlways = new DraftGuesser(ctxDraftAlways.getSequence(), 0);
  const always4 = { maxGuesses: 4, patience: Infinity };
  const lookup = new LookupGuesser();

  const request = (s: Sample, singleLine: boolean): FimRequest => ({
    prefix: s.prefix, suffix: s.suffix, filePath: s.path, repoName: s.pkg,
    maxPrefixTokens: 768, maxSuffixTokens: 32, maxTokens: singleLine ? 48 : 64, singleLine,
  });
  const modes = ['target', 'target+draft', 'draft', 'baseline: repeat previous line', 'target+draft (always 4)', 'target+lookup'] as const;
  const tallies = new Map<string, Tally>();
  const tally = (key: string) => { let t = tallies.get(key); if (!t) tallies.set(key, (t = newTally())); return t; };
  const examples: unknown[] = [];
  let mismatch = 0;
  const started = performance.now();
  for (const [k, s] of samples.entries()) {
    const req = request(s, true);
    const a = await complete(target, seqPlain, fim, req);
    const b = await complete(target, seqPlain, fim, req, draftGuesser);
    const c = await complete(draft, seqDraft, fim, req);
    const d = await complete(target, seqPlain, fim, req, draftAlways, always4);
    const e = await complete(target, seqPlain, fim, req, lookup);
    if (a.text !== b.text || a.text !== d.text || a.text !== e.text) mismatch++;
    for (const [mode, comp] of [[modes[0], a], [modes[1], b], [modes[2], c], [modes[4], d], [modes[5], e]] as const) {
      add(tally(mode), comp.text, s.expected, comp);
      add(tally(`${mode} [${s.lang}]`), comp.text, s.expected, comp);
    }
    add(tally(modes[3]), s.previous, s.expected);
    add(tally(`${modes[3]} [${s.lang}]`), s.previous, s.expected);
    if (k < 25) examples.push({ file: `${s.pkg}/${s.path}:${s.line}`, expected: s.expected, target: a.text, draft: c.text, previousLine: s.previous });
    if ((k + 1) % 50 === 0) console.log(`${k + 1}/${samples.length} samples, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  // Multi-line generation: longer outputs, where speculation can pay for itself.
  for (const s of samples.slice(0, multiline)) {
    const req = request(s, false);
    const a = await complete(target, seqPlain, fim, req);
    const b = await complete(target, seqPlain, fim, req, draftGuesser);
    const d = await complete(target, seqPlain, fim, req, draftAlways, always4);
    const e = await complete(target, seqPlain, fim, req, lookup);
    add(tally('multiline: target'), a.text.split('\n')[0], s.expected, a);
    add(tally('multiline: target+draft'), b.text.split('\n')[0], s.expected, b);
    add(tally('multiline: target+draft (always 4)'), d.text.split('\n')[0], s.expected, d);
    add(tally('multiline: target+lookup'), e.text.split('\n')[0], s.expected, e);
  }
  const results: Record<string, unknown> = {};
  for (const [k, t] of tallies) results[k] = summary(t, k.includes('target+'));
  const speed = (x: string, y: string) => {
    const p = tallies.get(x); const q = tallies.get(y);
    return p && q ? Math.round(((q.generated / q.generateMs) / (p.generated / p.generateMs)) * 1000) / 1000 : undefined;
  };
  const report = {
    target: targetPath, draft: draftPath, threads, contextSize, samples: samples.length,
    heldoutPackages: [...new Set(samples.map((s) => s.pkg))].sort(),
    speculativeSpeedup: {
      singleLine: speed('target', 'target+draft'), multiline: speed('multiline: target', 'multiline: target+draft'),
      singleLineAlways4: speed('target', 'target+draft (always 4)'), multilineAlways4: speed('multiline: target', 'multiline: target+draft (always 4)'),
      singleLineLookup: speed('target', 'target+lookup'), multilineLookup: speed('multiline: target', 'multiline: target+lookup'),
    },
    outputsDifferWithDraft: mismatch,
    results, examples,
    seconds: Math.round((performance.now() - started) / 1000),
  };
  fs.writeFileSync(outPath, JSON.stringify(report, null, 1) + '\n');
  for (const key of [...modes, 'multiline: target', 'multiline: target+draft', 'multiline: target+draft (always 4)', 'multiline: target+lookup']) console.log(key.padEnd(32), JSON.stringify(results[key]));
  console.log('speed-up', JSON.stringify(report.speculativeSpeedup), 'outputs that differ with speculation (near-ties only):', mismatch);
  await ctxDraftGuesser.dispose(); await ctxDraftAlways.dispose(); await ctxPlain.dispose(); await ctxDraftAlone.dispose();
  await draft.dispose(); await target.dispose();
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => { console.error(err); process.exitCode = 1; });
}
