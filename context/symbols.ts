/**
 * The definitions of one file, found with the grammar's tags query (tags.scm + extraTags.ts), each
 * with a compact rendering for the prompt and its enclosing container (the class of a method).
 * Runs in the background indexer and when an open document settles, never per keystroke.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { LoadedGrammar } from './grammars';
import { CONTAINER_KINDS, headerOf, renderDefinition, closerOf } from './outline';
import { bodyOf, isContainer, isDefinition } from './syntaxNodes';

export interface SymbolDef {
  name: string;
  /** function, method, class, interface, type, enum, field, constant, variable, module, macro, impl */
  kind: string;
  /** Offsets of the whole declaration, and its first and last rows. */
  start: number;
  end: number;
  line: number;
  endLine: number;
  /** What the prompt shows: the declaration itself when short, else its signature or outline. */
  text: string;
  /** For containers: the header line(s) and the closing line, to wrap a subset of members. */
  header?: string;
  closer?: string;
  /** Index of the enclosing container definition in the same list. */
  container?: number;
  /**
   * The type a method belongs to when it is declared outside that type's body: Go's receiver
   * (`func (c *Command) Flags()`), C++'s `void Foo::bar() {...}`. Lets the type's methods be
   * offered with the type, as members are.
   */
  owner?: string;
}

/** Definitions of a tree, in document order. Caps keep a generated file from flooding the index. */
/** Type keywords a misparse can capture as a name (C's `EXPORT_MACRO int (f) (args);`). */
const TYPE_WORDS = new Set(['int', 'void', 'char', 'short', 'long', 'float', 'double', 'signed', 'unsigned', 'bool']);

export function extractSymbols(grammar: LoadedGrammar, tree: Tree, text: string, maxDefs = 2000): SymbolDef[] {
  const byNode = new Map<number, SymbolDef & { node: Node }>();
  for (const match of grammar.tags.matches(tree.rootNode, { matchLimit: 4096 })) {
    const name = match.captures.find((c) => c.name === 'name')?.node;
    const def = match.captures.find((c) => c.name.startsWith('definition.'));
    if (!name || !def || !/^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(name.text) || TYPE_WORDS.has(name.text)) continue;
    const node = declarationOf(def.node);
    if (byNode.has(node.id) || (def.name === 'definition.field' ? isLocalField(node) : isLocal(node))) continue;
    byNode.set(node.id, makeDef(text, node, name.text, def.name.slice('definition.'.length)));
    if (byNode.size >= maxDefs) break;
  }
  addUncapturedContainers(text, byNode);
  const defs = [...byNode.values()].sort((a, b) => a.start - b.start || b.end - a.end);
  // Containers: the nearest earlier definition of a container kind that spans this one.
  const open: number[] = [];
  defs.forEach((d, i) => {
    while (open.length && defs[open[open.length - 1]].end < d.end) open.pop();
    if (open.length) d.container = open[open.length - 1];
    if (CONTAINER_KINDS.has(d.kind)) open.push(i);
  });
  // `self.x = ...` in several methods is one field.
  const seen = new Set<string>();
  const newIndex = new Map<number, number>();
  const kept: SymbolDef[] = [];
  defs.forEach(({ node: _node, ...d }, i) => {
    const key = `${d.container ?? -1}:${d.name}`;
    if (d.kind === 'field' && seen.has(key)) return;
    seen.add(key);
    newIndex.set(i, kept.length);
    kept.push(d);
  });
  for (const d of kept) if (d.container !== undefined) d.container = newIndex.get(d.container);
  return kept;
}

function makeDef(text: string, node: Node, name: string, rawKind: string): SymbolDef & { node: Node } {
  const kind = normalizeKind(rawKind, node);
  const def: SymbolDef & { node: Node } = {
    node, name, kind, start: node.startIndex, end: node.endIndex,
    line: node.startPosition.row, endLine: node.endPosition.row, text: renderDefinition(text, node, kind),
  };
  const owner = ownerOf(node);
  if (owner && owner !== name) def.owner = owner;
  const body = CONTAINER_KINDS.has(kind) ? bodyOf(node) : null;
  if (body) {
    def.header = headerOf(text, node, body);
    def.closer = closerOf(text, node, body);
  }
  return def;
}

/**
 * The node that stands for the whole declaration: C's tags capture a function_declarator, JS's a
 * variable_declarator; climb to the statement in its container (keeping `export`, decorators).
 */
function declarationOf(node: Node): Node {
  let n = node;
  while (n.parent && !isContainer(n.parent) && n.parent.parent && (n.parent.startPosition.row === n.startPosition.row || n.parent.type === 'decorated_definition')) {
    if (isDefinition(n.parent) && isDefinition(n) && n.parent.type !== n.type) break;
    n = n.parent;
  }
  return n;
}

/** Inside a function body: a local, of no use to other code (C++ even takes `T x(a, b);` for a function). */
function isLocal(node: Node): boolean {
  for (let a = node.parent; a; a = a.parent) {
    if (/function|method|lambda|arrow|closure|constructor/.test(a.type) && !a.type.endsWith('declarator') && isDefinition(a)) return true;
  }
  return false;
}

/**
 * A field inside a function that no class encloses: a Go test's anonymous struct, a local record.
 * Fields inside methods are kept: Python declares them as `self.x = ...` there.
 */
function isLocalField(node: Node): boolean {
  let fn: Node | null = null;
  for (let a = node.parent; a; a = a.parent) {
    if (!fn && /function|method|lambda|arrow|closure|constructor/.test(a.type) && !a.type.endsWith('declarator') && isDefinition(a)) fn = a;
    else if (fn && isDefinition(a) && /class|struct|impl|interface|trait|module/.test(a.type)) return false;
  }
  return fn !== null;
}

/** Rust `impl S { ... }` and similar hold methods without being a tagged definition themselves. */
function addUncapturedContainers(text: string, byNode: Map<number, SymbolDef & { node: Node }>): void {
  for (const def of [...byNode.values()]) {
    for (let a = def.node.parent; a && a.parent; a = a.parent) {
      if (byNode.has(a.id) || !isDefinition(a) || !/impl|trait|namespace|module|object/.test(a.type)) continue;
      const label = a.childForFieldName('name') ?? a.childForFieldName('type');
      if (!label) continue;
      byNode.set(a.id, makeDef(text, a, label.text, 'impl'));
    }
  }
}

function normalizeKind(kind: string, node: Node): string {
  if (kind === 'class' && /struct/.test(node.type)) return 'struct';
  if (kind === 'class' && /enum/.test(node.type)) return 'enum';
  if (kind === 'type' && /struct|class/.test(node.type)) return 'struct';
  if (kind === 'function' && /class|struct/.test(node.type)) return 'class';
  return kind;
}

/** Go's receiver type, or the scope of a C++ qualified declarator; see SymbolDef.owner. */
function ownerOf(node: Node): string | undefined {
  const receiver = node.childForFieldName('receiver');
  if (receiver) return receiver.descendantsOfType('type_identifier')[0]?.text;
  for (let d = node.childForFieldName('declarator'), depth = 0; d && depth < 4; d = d.childForFieldName('declarator'), depth++) {
    if (d.type === 'qualified_identifier') return d.childForFieldName('scope')?.text.split('::').pop()?.replace(/<.*$/s, '') || undefined;
  }
  return undefined;
}
