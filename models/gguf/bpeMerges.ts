// Learns byte-level BPE merges over a code corpus that exists, byte for byte, on every
// machine: the JS and .d.ts files of the exactly pinned node-llama-cpp package. Same corpus +
// deterministic learning = same vocabulary everywhere, so generated models are reproducible.
// Learning keeps incremental pair counts and a lazy max-heap, so each merge only touches the
// words that contain the merged pair (4000 merges take a few seconds).

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BYTE_TO_CHAR, countPretokens } from './byteLevel';
import { findUp } from './paths';

export type Merge = readonly [left: string, right: string];

/** Corpus cap: enough text for a few thousand merges, small enough to learn fast. */
const MAX_CORPUS_BYTES = 4 * 1024 * 1024;
/** Symbol ids are packed as left * SYM_LIMIT + right in one number key. */
const SYM_LIMIT = 1 << 20;

export interface Corpus {
  readonly text: string;
  /** Identifies the corpus: cached merges from another corpus are not reused. */
  readonly fingerprint: string;
}

/** The pinned node-llama-cpp package's dist/ (*.js, *.d.ts), sorted by path, capped. */
export function loadCorpus(): Corpus {
  const pkgJson = findUp(__dirname, 'node_modules/node-llama-cpp/package.json');
  const version = (JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  const dist = path.join(path.dirname(pkgJson), 'dist');
  const files = listFiles(dist).filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'));
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)); // code-unit order: locale-independent
  const parts: string[] = [];
  let size = 0;
  for (const rel of files) {
    if (size >= MAX_CORPUS_BYTES) break;
    const text = fs.readFileSync(path.join(dist, rel), 'utf8');
    parts.push(text);
    size += text.length;
  }
  const text = parts.join('\n');
  const hash = crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);
  return { text, fingerprint: `node-llama-cpp@${version}/dist ${parts.length} files sha256:${hash}` };
}

function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(dir, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

/**
 * Learns up to `count` merges, most frequent pair first (ties: lowest symbol ids first).
 * Stops early when no pair occurs twice. Greedy and deterministic, so the first k merges of
 * a longer run equal a run of k merges.
 */
export function learnMerges(wordCounts: ReadonlyMap<string, number>, count: number): Merge[] {
  if (count + 256 >= SYM_LIMIT) throw new Error(`too many merges: ${count}`);
  const symbols: string[] = [...BYTE_TO_CHAR];
  const words: number[][] = [];
  const freqs: number[] = [];
  for (const [word, freq] of wordCounts) {
    const syms = Array.from(Buffer.from(word, 'utf8'));
    if (syms.length < 2) continue;
    words.push(syms);
    freqs.push(freq);
  }
  const pairCounts = new Map<number, number>();
  const where = new Map<number, number[]>(); // pair -> word indices (may hold stale/duplicate)
  for (let w = 0; w < words.length; w++) {
    const syms = words[w];
    for (let i = 0; i + 1 < syms.length; i++) {
      const key = syms[i] * SYM_LIMIT + syms[i + 1];
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + freqs[w]);
      pushTo(where, key, w);
    }
  }
  const heap = new PairHeap();
  for (const [key, c] of pairCounts) heap.push(c, key);

  const merges: Merge[] = [];
  const visited = new Int32Array(words.length).fill(-1);
  while (merges.length < count && heap.size > 0) {
    const [c, key] = heap.pop();
    const current = pairCounts.get(key) ?? 0;
    if (current !== c) {
      // Stale entry. Increases push a fresh entry; decreases are re-queued here.
      if (current > 0 && current < c) heap.push(current, key);
      continue;
    }
    if (c < 2) break;
    const a = Math.floor(key / SYM_LIMIT);
    const b = key % SYM_LIMIT;
    const merged = symbols.length;
    symbols.push(symbols[a] + symbols[b]);
    merges.push([symbols[a], symbols[b]]);

    const deltas = new Map<number, number>();
    for (const w of where.get(key) ?? []) {
      if (visited[w] === merged) continue;
      visited[w] = merged;
      const old = words[w];
      const f = freqs[w];
      const next: number[] = [];
      for (let i = 0; i < old.length; i++) {
        if (i + 1 < old.length && old[i] === a && old[i + 1] === b) {
          next.push(merged);
          i++;
        } else next.push(old[i]);
      }
      if (next.length === old.length) continue; // stale index: pair no longer in this word
      for (let i = 0; i + 1 < old.length; i++) addTo(deltas, old[i] * SYM_LIMIT + old[i + 1], -f);
      for (let i = 0; i + 1 < next.length; i++) {
        const k = next[i] * SYM_LIMIT + next[i + 1];
        addTo(deltas, k, f);
        if (next[i] === merged || next[i + 1] === merged) pushTo(where, k, w);
      }
      words[w] = next;
    }
    for (const [k, d] of deltas) {
      if (d === 0) continue;
      const n = (pairCounts.get(k) ?? 0) + d;
      if (n > 0) pairCounts.set(k, n);
      else pairCounts.delete(k);
      if (d > 0) heap.push(n, k);
    }
    pairCounts.delete(key);
    where.delete(key);
  }
  return merges;
}

function pushTo(map: Map<number, number[]>, key: number, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function addTo(map: Map<number, number>, key: number, delta: number): void {
  map.set(key, (map.get(key) ?? 0) + delta);
}

/** Binary max-heap of (count, pair key); ties pop the smaller key first. */
class PairHeap {
  private readonly counts: number[] = [];
  private readonly keys: number[] = [];

  get size(): number { return this.counts.length; }

  push(count: number, key: number): void {
    this.counts.push(count);
    this.keys.push(key);
    let i = this.counts.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  pop(): [number, number] {
    const top: [number, number] = [this.counts[0], this.keys[0]];
    const lastCount = this.counts.pop() as number;
    const lastKey = this.keys.pop() as number;
    if (this.counts.length > 0) {
      this.counts[0] = lastCount;
      this.keys[0] = lastKey;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.counts.length && this.before(l, m)) m = l;
        if (r < this.counts.length && this.before(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }

  private before(i: number, j: number): boolean {
    return this.counts[i] > this.counts[j] || (this.counts[i] === this.counts[j] && this.keys[i] < this.keys[j]);
  }

  private swap(i: number, j: number): void {
    [this.counts[i], this.counts[j]] = [this.counts[j], this.counts[i]];
    [this.keys[i], this.keys[j]] = [this.keys[j], this.keys[i]];
  }
}

/**
 * `count` merges learned from the pinned corpus, cached in cacheDir/merges-<count>.txt
 * (first line: corpus fingerprint; then "left right" per line, as in a merges.txt).
 * A cached longer list is cut down instead of learning again (greedy prefix property).
 */
export function getMerges(count: number, cacheDir: string): Merge[] {
  const corpus = loadCorpus();
  const cached = readCachedMerges(count, cacheDir, corpus.fingerprint);
  if (cached) return cached;
  const merges = learnMerges(countPretokens(corpus.text), count);
  fs.mkdirSync(cacheDir, { recursive: true });
  const file = path.join(cacheDir, `merges-${count}.txt`);
  const body = [`#corpus ${corpus.fingerprint}`, ...merges.map(([l, r]) => `${l} ${r}`)].join('\n') + '\n';
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, body, 'utf8');
  fs.renameSync(tmp, file); // atomic: concurrent learners never see half a file
  return merges;
}

function readCachedMerges(count: number, cacheDir: string, fingerprint: string): Merge[] | undefined {
  if (!fs.existsSync(cacheDir)) return undefined;
  const candidates = fs.readdirSync(cacheDir)
    .map((name) => /^merges-(\d+)\.txt$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null && Number(m[1]) >= count)
    .sort((x, y) => Number(x[1]) - Number(y[1]));
  for (const m of candidates) {
    const lines = fs.readFileSync(path.join(cacheDir, m[0]), 'utf8').split('\n');
    if (lines[0] !== `#corpus ${fingerprint}`) continue;
    const merges = lines.slice(1).filter((l) => l.length > 0).map((l): Merge => {
      const [left, right] = l.split(' ');
      return [left, right];
    });
    // A list that stopped early (no pair left) is complete for any larger count too.
    if (merges.length >= count || merges.length < Number(m[1])) return merges.slice(0, count);
  }
  return undefined;
}
