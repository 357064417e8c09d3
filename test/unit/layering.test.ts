/**
 * The layout stays true: imports flow one way (extension -> completion -> context -> models),
 * the folders inside models/ depend on each other only as their READMEs say, nothing outside
 * bench/ imports bench/, and no product file takes part in an import circle. Imports are read from
 * the sources (static, dynamic and require), comments stripped.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../models/gguf/paths';

const ROOT = repoRoot();
const SOURCE_DIRS = ['extension', 'completion', 'context', 'models', 'bench', 'test'];
const RANK: Record<string, number> = { models: 0, context: 1, completion: 2, extension: 3 };
/** What each folder of models/ may import from the others (see models/README.md). */
const MODELS_ALLOWED: Record<string, string[]> = {
  engine: [],
  network: ['engine'],
  gguf: [],
  library: ['engine', 'network'],
  training: ['engine', 'gguf'],
};

interface Edge { from: string; to: string }

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, e.name);
      if (e.isDirectory()) {
        if (!['node_modules', 'workspace', 'fixtures', 'bundled', 'corpus', 'results'].includes(e.name)) walk(rel);
      } else if (/\.(ts|mts|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel);
    }
  };
  SOURCE_DIRS.forEach(walk);
  return out;
}

const stripComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
const IMPORT = /(?:\b(?:import|export)\s[^'";]*?\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]*)['"]/g;

/** Relative imports of every source file, resolved to repository paths without extension. */
export function importEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles()) {
    const text = stripComments(fs.readFileSync(path.join(ROOT, file), 'utf8'));
    for (const m of text.matchAll(IMPORT)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1])).replace(/\.(js|ts)$/, '');
      edges.push({ from: file.replace(/\.(ts|mts|mjs)$/, ''), to: target });
    }
  }
  return edges;
}

const top = (p: string) => p.split('/')[0];
const modelsFolder = (p: string) => (top(p) === 'models' ? p.split('/')[1] : undefined);

test('imports resolve to files that exist (the parser sees every import)', () => {
  const edges = importEdges();
  assert.ok(edges.length > 300, `only ${edges.length} imports found`);
  // test/ holds code samples inside strings; the product and bench/ hold only real imports.
  const missing = edges.filter((e) => top(e.from) !== 'test').filter((e) => !['.ts', '.json', '.mjs', ''].some((ext) => fs.existsSync(path.join(ROOT, e.to + ext)) && fs.statSync(path.join(ROOT, e.to + ext)).isFile()));
  assert.deepEqual(missing, []);
});

test('layers import only downwards: extension -> completion -> context -> models', () => {
  const up = importEdges().filter((e) => top(e.from) in RANK && top(e.to) in RANK && RANK[top(e.to)] > RANK[top(e.from)]);
  assert.deepEqual(up.map((e) => `${e.from} -> ${e.to}`), []);
});

test('nothing outside bench/ imports bench/, and product code never imports test/', () => {
  const bad = importEdges().filter((e) => (top(e.to) === 'bench' && top(e.from) !== 'bench') || (top(e.to) === 'test' && top(e.from) in RANK));
  assert.deepEqual(bad.map((e) => `${e.from} -> ${e.to}`), []);
});

test('models/ folders depend on each other as documented', () => {
  const folders = new Set(fs.readdirSync(path.join(ROOT, 'models'), { withFileTypes: true }).filter((e) => e.isDirectory() && e.name !== 'bundled').map((e) => e.name));
  assert.deepEqual([...folders].sort(), Object.keys(MODELS_ALLOWED).sort(), 'every folder of models/ has a rule');
  const loose = fs.readdirSync(path.join(ROOT, 'models')).filter((n) => n.endsWith('.ts'));
  assert.deepEqual(loose, [], 'no loose source files at the top of models/');
  const bad = importEdges().filter((e) => {
    const a = modelsFolder(e.from);
    const b = modelsFolder(e.to);
    return a && b && a !== b && !MODELS_ALLOWED[a]?.includes(b);
  });
  assert.deepEqual(bad.map((e) => `${e.from} -> ${e.to}`), []);
});

/** Every circle a depth-first walk meets, as "a -> b -> a". */
function findCircles(graph: Map<string, string[]>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const circles: string[] = [];
  const visit = (node: string, trail: string[]) => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'open') {
      circles.push([...trail.slice(trail.indexOf(node)), node].join(' -> '));
      return;
    }
    state.set(node, 'open');
    for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
    state.set(node, 'done');
  };
  for (const node of graph.keys()) visit(node, []);
  return circles;
}

test('no import circle among product files', () => {
  const graph = new Map<string, string[]>();
  for (const e of importEdges()) {
    if (!(top(e.from) in RANK) || !(top(e.to) in RANK)) continue;
    graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
  }
  assert.deepEqual(findCircles(graph), []);
});

test('the circle check reports a circle when there is one', () => {
  const graph = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
  assert.deepEqual(findCircles(graph), ['a -> b -> c -> a']);
});
