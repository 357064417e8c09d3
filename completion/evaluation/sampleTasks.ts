/**
 * Seeded, deterministic fill-in-the-middle tasks sampled from real files: the rest of a line, a
 * span (a syntax node) inside a line, a whole block body, and whole lines inside a body with more
 * of it below (the cursor on a blank line after its indentation), and whole lines that end with a
 * block header whose body stays below (headerTask.ts). Cursor positions are where someone
 * could be typing: at a token start, never in the middle of a word, never inside a comment.
 */
import type { Node, Tree } from 'web-tree-sitter';
import { isComment, isContainer, isString } from '../../context/syntaxNodes';
import { lineEndOf, lineStartOf } from '../../context/textLines';
import { headerTask } from './headerTask';

export type TaskKind = 'line' | 'span' | 'block' | 'lines' | 'header';

export interface FimTask {
  kind: TaskKind;
  path: string;
  languageId: string;
  /** Offsets of the hidden middle in the original text. */
  start: number;
  end: number;
  prefix: string;
  middle: string;
  suffix: string;
}

/** mulberry32: small, fast, and the same sequence everywhere for a seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rand: () => number, items: readonly T[]): T | undefined => items[Math.floor(rand() * items.length)];

const MAX_BLOCK_LINES = 15;
export const MAX_BLOCK_CHARS = 1200;
const TRIES = 12;

/** One task of the given kind from this file, or undefined when none fits after a few tries. */
export function sampleTask(kind: TaskKind, tree: Tree, text: string, path: string, languageId: string, rand: () => number): FimTask | undefined {
  const make = (start: number, end: number): FimTask | undefined => {
    const middle = text.slice(start, end);
    if (!middle.trim()) return undefined;
    return { kind, path, languageId, start, end, prefix: text.slice(0, start), middle, suffix: text.slice(end) };
  };
  for (let attempt = 0; attempt < TRIES; attempt++) {
    const task = kind === 'block' ? blockTask(tree, text, rand, make) : kind === 'lines' ? linesTask(tree, text, rand, make)
      : kind === 'header' ? headerTask(blocksAround(tree, text, rand), text, rand, make) : lineTask(kind, tree, text, rand, make);
    if (task) return task;
  }
  return undefined;
}

function lineTask(kind: TaskKind, tree: Tree, text: string, rand: () => number, make: (s: number, e: number) => FimTask | undefined): FimTask | undefined {
  const row = Math.floor(rand() * tree.rootNode.endPosition.row);
  const lineStart = offsetOfRow(text, row);
  if (lineStart < 0) return undefined;
  const lineEnd = lineEndOf(text, lineStart);
  const line = text.slice(lineStart, lineEnd);
  if (line.trim().length < 4 || line.length > 200) return undefined;
  const contentEnd = lineStart + line.trimEnd().length;
  const spanning = tree.rootNode.descendantForIndex(lineStart + line.length - line.trimStart().length, contentEnd);
  if (!spanning || inLiteral(spanning)) return undefined;
  if (kind === 'line') {
    const leaves = nodesIn(spanning, lineStart, contentEnd, (n) => n.childCount === 0 && !inLiteral(n));
    const leaf = pick(rand, leaves);
    if (!leaf || (wordChar(text[leaf.startIndex - 1]) && wordChar(text[leaf.startIndex]))) return undefined;
    return make(leaf.startIndex, contentEnd);
  }
  const spans = nodesIn(spanning, lineStart, contentEnd, (n) => n.isNamed && !inLiteral(n) && n.endIndex < contentEnd
    && n.endIndex - n.startIndex >= 2 && n.endIndex - n.startIndex <= 100
    && !(wordChar(text[n.startIndex - 1]) && wordChar(text[n.startIndex])) && !wordChar(text[n.endIndex]));
  const span = pick(rand, spans);
  return span && make(span.startIndex, span.endIndex);
}

/** Multi-line blocks (with a parent) around a random line, innermost first. */
export function* blocksAround(tree: Tree, text: string, rand: () => number): Generator<Node & { parent: Node }> {
  const at = offsetOfRow(text, Math.floor(rand() * tree.rootNode.endPosition.row));
  if (at < 0) return;
  for (let n: Node | null = tree.rootNode.descendantForIndex(at); n; n = n.parent) {
    if (n.parent && isContainer(n) && !n.hasError && n.startPosition.row !== n.endPosition.row) yield n as Node & { parent: Node };
  }
}

function blockTask(tree: Tree, text: string, rand: () => number, make: (s: number, e: number) => FimTask | undefined): FimTask | undefined {
  // The innermost block around a random line whose statements start on their own lines.
  for (const n of blocksAround(tree, text, rand)) {
    const kids = n.namedChildren;
    if (!kids.length || kids.every(isComment)) continue;
    const first = kids[0];
    const last = kids[kids.length - 1];
    if (first.startPosition.row <= n.parent.startPosition.row) continue;
    if (text.slice(lineStartOf(text, first.startIndex), first.startIndex).trim() !== '') continue;
    if (last.endPosition.row - first.startPosition.row >= MAX_BLOCK_LINES || last.endIndex - first.startIndex > MAX_BLOCK_CHARS) continue;
    if (text.slice(last.endIndex, lineEndOf(text, last.endIndex)).trim() !== '') continue;
    return make(first.startIndex, last.endIndex);
  }
  return undefined;
}

/** 1-4 statements of a body, from the first one's indentation, with at least one more statement after them. */
function linesTask(tree: Tree, text: string, rand: () => number, make: (s: number, e: number) => FimTask | undefined): FimTask | undefined {
  for (const n of blocksAround(tree, text, rand)) {
    const kids = n.namedChildren;
    const ownLine = (k: Node) => text.slice(lineStartOf(text, k.startIndex), k.startIndex).trim() === '' && text.slice(k.endIndex, lineEndOf(text, k.endIndex)).trim() === '';
    const starts = kids.flatMap((k, i) => (i + 1 < kids.length && !isComment(k) && ownLine(k) && k.startPosition.row > n.parent.startPosition.row ? [i] : []));
    const first = pick(rand, starts);
    if (first === undefined) continue;
    let last = first;
    const count = 1 + Math.floor(rand() * 4);
    while (last - first + 1 < count && last + 2 < kids.length && !isComment(kids[last + 1]) && ownLine(kids[last + 1])) last++;
    const from = kids[first];
    const to = kids[last];
    if (to.endPosition.row - from.startPosition.row >= MAX_BLOCK_LINES || to.endIndex - from.startIndex > MAX_BLOCK_CHARS) continue;
    // The statement after starts on a later line (the cursor's line is blank once the middle is gone).
    if (kids[last + 1].startPosition.row <= to.endPosition.row) continue;
    return make(from.startIndex, to.endIndex);
  }
  return undefined;
}

/** Nodes under `root` that lie within [from, to] and satisfy `keep`, in document order. */
export function nodesIn(root: Node, from: number, to: number, keep: (n: Node) => boolean, out: Node[] = []): Node[] {
  if (root.startIndex >= from && root.endIndex <= to && keep(root)) out.push(root);
  for (const child of root.children) if (child.endIndex > from && child.startIndex < to) nodesIn(child, from, to, keep, out);
  return out;
}

function inLiteral(node: Node): boolean {
  for (let n: Node | null = node; n; n = n.parent) if (isComment(n) || isString(n)) return true;
  return false;
}

function wordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}_$]/u.test(ch);
}

function offsetOfRow(text: string, row: number): number {
  let at = 0;
  for (let r = 0; r < row; r++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return -1;
    at = nl + 1;
  }
  return at;
}
