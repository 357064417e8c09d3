/**
 * Compact renderings of definitions for the prompt: what a caller needs (the signature, the
 * members of a class, the fields of a type), not the bodies. Lines keep their original
 * indentation so an outline reads like the file with the bodies folded away.
 */
import type { Node } from 'web-tree-sitter';
import { bodyOf, isComment } from './syntaxNodes';
import { lineStartOf } from './textLines';

/** Kinds whose members are listed in an outline. */
export const CONTAINER_KINDS = new Set(['class', 'interface', 'module', 'struct', 'enum', 'trait', 'impl', 'type']);

const SHORT_LINES = 3;
const TYPE_FULL_LINES = 20;
const MAX_HEADER_LINES = 6;
const MAX_MEMBERS = 40;
const MAX_LINE = 200;

/** Text from the start of the node's line to where its body begins (decorators/params included). */
export function headerOf(text: string, node: Node, body: Node | null = bodyOf(node)): string {
  const from = lineStartOf(text, node.startIndex);
  if (!body || body.startIndex <= node.startIndex) return firstLines(text.slice(from, node.endIndex), 1);
  const opensWithBrace = text[body.startIndex] === '{';
  const header = text.slice(from, body.startIndex + (opensWithBrace ? 1 : 0)).trimEnd();
  return clipHeader(header);
}

/** One definition as it should appear in a snippet. */
export function renderDefinition(text: string, node: Node, kind: string): string {
  const full = ownText(text, node);
  const lines = lineCount(full);
  if (lines <= SHORT_LINES && full.length <= 3 * MAX_LINE) return clip(full);
  if ((kind === 'interface' || kind === 'type' || kind === 'enum' || kind === 'struct') && lines <= TYPE_FULL_LINES) return clip(full);
  const body = bodyOf(node);
  const header = headerOf(text, node, body);
  if (!body) return header;
  if (!CONTAINER_KINDS.has(kind)) return elide(header, body, text);
  const members: string[] = [];
  for (const member of body.namedChildren) {
    if (members.length >= MAX_MEMBERS || isComment(member) || /^[{}]$/.test(member.type)) continue;
    const memberBody = bodyOf(member);
    members.push(memberBody && lineCount(member.text) > 1 ? elide(headerOf(text, member, memberBody), memberBody, text)
      : clip(firstLines(text.slice(lineStartOf(text, member.startIndex), endWithSeparator(member)), SHORT_LINES)));
  }
  return [header, ...members, closerOf(text, node, body)].filter((l) => l !== '').join('\n');
}

/**
 * The node's text from the start of its line, except where members of the same kind precede it
 * on that line (`Get, Post, Put`): then the line's indentation and the node alone, else each
 * member of such a line would repeat the ones before it.
 */
function ownText(text: string, node: Node): string {
  const from = lineStartOf(text, node.startIndex);
  const prev = node.previousNamedSibling;
  if (!prev || prev.type !== node.type || prev.endPosition.row !== node.startPosition.row) return text.slice(from, node.endIndex);
  return /^[ \t]*/.exec(text.slice(from, node.startIndex))![0] + text.slice(node.startIndex, node.endIndex);
}

/** Enum members and the like are separated by a sibling `,` token: keep it, so the outline still parses. */
function endWithSeparator(member: Node): number {
  const next = member.nextSibling;
  return next && !next.isNamed && next.type === ',' && next.startPosition.row === member.endPosition.row ? next.endIndex : member.endIndex;
}

/** The closing line of a block (`}`, `end`) with its indentation, or '' for indentation blocks. */
export function closerOf(text: string, node: Node, body: Node): string {
  const last = node.lastChild;
  if (last && !last.isNamed && /^(}|end|\)|];?)$/.test(last.type)) return text.slice(lineStartOf(text, last.startIndex), last.endIndex);
  const bodyLast = body.lastChild;
  if (bodyLast && !bodyLast.isNamed && bodyLast.type === '}') return text.slice(lineStartOf(text, bodyLast.startIndex), bodyLast.endIndex);
  return '';
}

/** A header with its body folded: `{ ... }` for braces, `...` after a colon. */
function elide(header: string, body: Node, text: string): string {
  if (text[body.startIndex] === '{') return `${header} ... }`;
  if (header.endsWith(':')) return `${header} ...`;
  return header;
}

function clip(s: string): string {
  return s.split('\n').map((l) => (l.length > MAX_LINE ? `${l.slice(0, MAX_LINE)}…` : l)).join('\n').trimEnd();
}

function firstLines(s: string, n: number): string {
  return clip(s.split('\n').slice(0, n).join('\n'));
}

/** A long header keeps its first line (where the name is: `def f(`) and its last ones (the return type). */
function clipHeader(s: string): string {
  const lines = s.split('\n');
  if (lines.length <= MAX_HEADER_LINES) return clip(s);
  const named = Math.max(0, lines.findIndex((l) => !/^\s*@/.test(l)));
  if (named >= lines.length - MAX_HEADER_LINES + 1) return clip(lines.slice(lines.length - MAX_HEADER_LINES).join('\n'));
  return clip([lines[named], ...lines.slice(lines.length - MAX_HEADER_LINES + 1)].join('\n'));
}

function lineCount(s: string): number {
  let n = 1;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
