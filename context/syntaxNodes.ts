/**
 * Grammar-independent questions about tree-sitter nodes. The twelve grammars name things
 * differently (statement_block, block, compound_statement, body_statement...), but they agree on
 * enough conventions (a `body` field, *_body / *block node types, comment and string node names)
 * that one set of rules serves all of them.
 */
import type { Node } from 'web-tree-sitter';

/** Nodes whose children are statements, declarations or members. */
const CONTAINER = /^(program|module|source_file|translation_unit|compilation_unit|block|statement_block|statement_list|compound_statement|class_body|interface_body|enum_body|declaration_list|field_declaration_list|enum_variant_list|body_statement|do_block|then|else|begin|object_type|switch_body|switch_block|case_clause|default_clause|namespace_body|template_body|php_tag|text_interpolation)$/;
const CONTAINER_SUFFIX = /(_body|_block|_list_body)$/;

/** Nodes that declare something with a header and a body: functions, classes, modules... */
const DEFINITION = /function|method|class|interface|impl_item|trait|module|namespace|struct|enum|constructor|arrow|lambda|closure|singleton|record|object_declaration|mod_item|union/;

const COMMENT = /comment/;
const STRING = /string|template_string|heredoc|char_literal|rune_literal|raw_string|regex/;

export function isContainer(node: Node): boolean {
  return node.parent === null || CONTAINER.test(node.type) || CONTAINER_SUFFIX.test(node.type);
}

export function isDefinition(node: Node): boolean {
  return DEFINITION.test(node.type) && !isContainer(node) && node.type !== 'decorated_definition' && !node.type.endsWith('declarator');
}

export function isComment(node: Node): boolean {
  return COMMENT.test(node.type);
}

export function isString(node: Node): boolean {
  return STRING.test(node.type) && !/_content|_fragment|_start|_end/.test(node.type);
}

/** The body of a definition or block statement: the `body` field, or a trailing block-like child. */
export function bodyOf(node: Node): Node | null {
  const body = node.childForFieldName('body') ?? node.childForFieldName('consequence');
  if (body) return body;
  for (const child of [...node.namedChildren].reverse()) {
    if (!child) continue;
    if (isContainer(child)) return child;
    // Go: type_spec -> struct_type -> field_declaration_list; JS: declarator -> arrow_function -> body.
    const inner = child.childForFieldName('body') ?? child.namedChildren.find((c) => c !== null && isContainer(c));
    if (inner && child.endIndex === node.endIndex) return inner;
    break;
  }
  return null;
}

/** True when a block has no statements (only brackets, comments, or nothing at all). */
export function isEmptyBody(body: Node | null): boolean {
  if (!body) return true;
  return body.namedChildren.every((c) => !c || isComment(c) || (isContainer(c) && isEmptyBody(c)));
}

/** The largest node that starts exactly at `index` and is not the root. */
export function topNodeStartingAt(root: Node, index: number): Node | null {
  let node: Node | null = root.descendantForIndex(index);
  if (!node || node.startIndex !== index) return null;
  while (node.parent && node.parent.parent && node.parent.startIndex === index) node = node.parent;
  return node;
}

/** A line starting here begins a statement, declaration, member or comment (not a continuation). */
export function isStatementStart(root: Node, index: number): boolean {
  const node = topNodeStartingAt(root, index);
  if (!node) return false;
  const parent = node.parent;
  return parent !== null && isContainer(parent) && node.type !== 'ERROR';
}

/** Counts ERROR and MISSING nodes, visiting only subtrees that contain an error. */
export function countErrors(node: Node, from = 0, to = Infinity): number {
  if (node.endIndex < from || node.startIndex > to) return 0;
  if (node.isMissing) return 1;
  if (!node.hasError) return 0;
  let count = node.isError ? 1 : 0;
  for (const child of node.children) if (child) count += countErrors(child, from, to);
  return count;
}

/**
 * The stretch of text around offset between two top-level line starts: lines that begin at
 * column 0 with code (not a closing bracket, a directive, a comment or string content). No
 * bracket is open at such a point, and finding them from the text means the missing piece at the
 * cursor (the middle being completed) cannot move them. Bracket balance is judged over it.
 */
export function topLevelStretch(root: Node, text: string, offset: number, maxChars: number): [number, number] {
  let from = Math.max(0, offset - maxChars);
  for (let at = text.lastIndexOf('\n', offset - 1); at >= from - 1; at = text.lastIndexOf('\n', at - 1)) {
    if (at + 1 < offset && isTopLevelLine(root, text, at + 1)) {
      from = at + 1;
      break;
    }
    if (at <= 0) {
      from = 0;
      break;
    }
  }
  let to = Math.min(text.length, offset + maxChars);
  for (let at = text.indexOf('\n', offset); at >= 0 && at < to; at = text.indexOf('\n', at + 1)) {
    if (isTopLevelLine(root, text, at + 1)) {
      to = at + 1;
      break;
    }
  }
  return [from, to];
}

function isTopLevelLine(root: Node, text: string, start: number): boolean {
  const ch = text[start];
  if (ch === undefined || /[\s)\]}#*/]/.test(ch)) return false;
  for (let n: Node | null = root.descendantForIndex(start); n; n = n.parent) {
    if (isComment(n) || (isString(n) && n.startIndex < start)) return false;
  }
  return true;
}
