/**
 * Builds everything the prompt needs around one cursor, as a plain data object: the prefix and
 * suffix windows (cut at syntax boundaries, with the headers of enclosing definitions that fell
 * outside the prefix), the context snippets (definitions the code uses, the file's own outline,
 * recent chunks) in cache-friendly order, and what the tree says about the cursor.
 * Documents without a grammar or a usable tree get the same shape with plain-text windows.
 */
import type { Node } from 'web-tree-sitter';
import type { ContextSnippet } from '../models/engine/engineProtocol';
import { CHARS_PER_TOKEN, windowPrefix, windowSuffix } from './promptWindows';
import { Analogs } from './analogs';
import { cursorSyntax, type CursorSyntax } from './cursorSyntax';
import type { DocumentStore } from './documentStore';
import type { DocumentTree } from './documentTree';
import { languageSpec, lineCommentOf } from './languages';
import { headerOf } from './outline';
import { codeOnly, identifiersIn } from './identifiers';
import { pickSnippets, type FileSnippet } from './snippetPicker';
import { bodyOf } from './syntaxNodes';
import { chooseWindows } from './syntaxWindows';
import { lineStartOf } from './textLines';
import { WorkspaceIndex } from './workspaceIndex';

export interface BuildRequest {
  uri?: string;
  languageId: string;
  /** Cursor offset (UTF-16) in the store's copy of the document, when the adapter knows it. */
  offset?: number;
  /** Text before/after the cursor as the adapter read it (used when the store cannot help). */
  prefix: string;
  suffix: string;
  prefixTokens: number;
  suffixTokens: number;
  contextTokens: number;
}

/** What the tree says about the cursor, as plain data (see cursorSyntax.ts). */
export interface SyntaxSummary {
  inComment: boolean;
  inString: boolean;
  blankLine: boolean;
  cursorIndent: number;
  afterOpener: boolean;
  midStatement: boolean;
  indentBlocks: boolean;
  block?: { empty: boolean; restEmpty: boolean; closesBelow: boolean; ownerIndent: number; topLevel: boolean };
}

export interface BuiltContext {
  prefix: string;
  suffix: string;
  snippets: ContextSnippet[];
  filePath?: string;
  repoName?: string;
  lineComment?: string;
  /** Present when the document had a usable tree. */
  syntax?: SyntaxSummary;
  /** Why plain-text context was used, when it was. */
  plainReason?: string;
  /** The document state this was built from, so post-processing can use the same tree. */
  uri?: string;
  version?: number;
  offset?: number;
  buildMs: number;
  /** Where the time went (ms): re-parse, windows, tree questions, snippets. */
  timings?: { parse: number; windows: number; syntax: number; snippets: number };
}

/** Shares of a token budget the host fills (the engine counts exactly and drops what overflows). */
const PREFIX_FILL = 0.85;
const HEADER_SHARE = 0.1;
const MIN_HEADER_CHARS = 240;
const CONTEXT_FILL = 0.9;
const RECENT_SHARE = 0.25;
const ANALOG_SHARE = 0.35;

export class ContextBuilder {
  /** Snippet order last used per document: kept stable so the engine's KV cache stays valid. */
  private readonly order = new Map<string, string[]>();
  /** The last choice of definitions per document, reused while its inputs are the same. */
  private readonly picks = new Map<string, { key: string; files: FileSnippet[] }>();

  /** Same-named functions elsewhere in the workspace, read from disk in the background. */
  readonly analogs: Analogs;

  constructor(readonly store: DocumentStore, readonly index: WorkspaceIndex | undefined, public repoName?: string, root?: string) {
    this.analogs = new Analogs(index ?? new WorkspaceIndex(), root);
  }

  build(req: BuildRequest): BuiltContext {
    const started = performance.now();
    const doc = req.uri ? this.store.get(req.uri) : undefined;
    const synced = doc && req.offset !== undefined && inSync(doc, req.offset, req.prefix, req.suffix);
    const lineComment = lineCommentOf(req.languageId);
    const filePath = req.uri ? this.store.pathOf(req.uri) : undefined;
    const base = { filePath, repoName: this.repoName, lineComment, uri: req.uri, version: doc?.version, offset: req.offset };
    if (!doc || !synced) {
      const prefix = windowPrefix(req.prefix, Math.floor(req.prefixTokens * PREFIX_FILL));
      const suffix = windowSuffix(req.suffix, req.suffixTokens);
      const snippets = this.snippets(req, prefix, suffix, [0, 0], undefined);
      return { ...base, prefix, suffix, snippets, plainReason: doc ? 'out of sync' : 'not open', buildMs: performance.now() - started };
    }
    const offset = req.offset!;
    const tree = doc.tree();
    const parsed = performance.now();
    const root = tree?.rootNode;
    const prefixChars = Math.floor(req.prefixTokens * CHARS_PER_TOKEN * PREFIX_FILL);
    const range = chooseWindows(doc.text, offset, {
      prefixChars, suffixChars: Math.floor(req.suffixTokens * CHARS_PER_TOKEN), root, anchor: doc.prefixAnchor,
    });
    doc.prefixAnchor = range.start;
    let prefix = doc.text.slice(range.start, offset);
    const suffix = doc.text.slice(offset, range.end);
    const windowed = performance.now();
    let syntax: SyntaxSummary | undefined;
    let scopeName: string | undefined;
    if (tree) {
      const facts = cursorSyntax(tree, doc.text, offset, languageSpec(req.languageId)?.indentBlocks ?? false);
      scopeName = nameOf(facts.scopes[facts.scopes.length - 1]);
      syntax = summarize(facts, languageSpec(req.languageId)?.indentBlocks ?? false);
      prefix = scopeHeaders(doc.text, facts.scopes, range.start, Math.max(MIN_HEADER_CHARS, req.prefixTokens * CHARS_PER_TOKEN * HEADER_SHARE)) + prefix;
    }
    const rows: [number, number] = [doc.positionAt(range.start).row, doc.positionAt(range.end).row];
    const asked = performance.now();
    const snippets = this.snippets(req, prefix, suffix, rows, scopeName, doc.positionAt(offset).row);
    const done = performance.now();
    return {
      ...base, prefix, suffix, snippets, syntax, plainReason: tree ? undefined : doc.plainReason ?? 'parse budget', buildMs: done - started,
      timings: { parse: parsed - started, windows: windowed - parsed, syntax: asked - windowed, snippets: done - asked },
    };
  }

  private snippets(req: BuildRequest, prefix: string, suffix: string, rows: [number, number], scopeName: string | undefined, cursorRow?: number): ContextSnippet[] {
    const budget = Math.floor(req.contextTokens * CHARS_PER_TOKEN * CONTEXT_FILL);
    if (budget <= 0) return [];
    const windowText = prefix + suffix;
    const currentPath = req.uri ? this.store.pathOf(req.uri) : '';
    const current = this.index?.files.get(currentPath);
    const recent = req.uri ? this.store.recent.forPrompt(windowText, Math.floor(budget * RECENT_SHARE)) : [];
    const recentChars = recent.reduce((n, c) => n + c.text.length + c.path.length + 8, 0);
    // The word being typed is left out: it changes on every keystroke and rarely names anything yet,
    // and without it the choice below is the same from keystroke to keystroke (and cached).
    const windowWords = `${prefix.replace(/[\p{L}\p{N}_$]+$/u, '')} ${suffix.replace(/^[\p{L}\p{N}_$]+/u, '')}`;
    const identifiers = identifiersIn(windowWords);
    const inCode = new Set(identifiersIn(codeOnly(windowWords, lineCommentOf(req.languageId))).keys());
    const analog = scopeName ? this.analogs.get(scopeName, req.languageId, currentPath) : undefined;
    const analogText = analog && clipLines(analog.text, Math.floor(budget * ANALOG_SHARE));
    const maxChars = budget - recentChars - (analogText ? analogText.length + analog!.path.length + 8 : 0);
    const key = `${this.index?.generation}|${rows}|${cursorRow}|${maxChars}|${[...identifiers.keys()].join(' ')}`;
    const cached = this.picks.get(req.uri ?? '');
    let files = cached?.key === key ? cached.files : undefined;
    if (!files) {
      const imported = current && this.index ? this.index.resolveImports(currentPath, req.languageId, current.imports) : [];
      files = this.index ? pickSnippets({
        index: this.index, current, currentPath, visibleRows: rows, cursorRow, identifiers, inCode, languageId: req.languageId,
        imported, importedIndirectly: this.index.importsOf(imported, currentPath),
        siblings: this.index.siblings(currentPath, req.languageId), maxChars,
      }) : [];
      this.picks.set(req.uri ?? '', { key, files });
    }
    const defs = this.stableOrder(req.uri ?? '', files.map((f) => ({ path: f.path, text: f.text })), currentPath);
    // The example goes after the other files and before this file's outline (which changes more).
    const own = defs.length && defs[defs.length - 1].path === currentPath ? defs.pop()! : undefined;
    return [...defs, ...(analogText ? [{ path: analog!.path, text: analogText }] : []), ...(own ? [own] : []), ...recent.map((c) => ({ path: c.path, text: c.text }))];
  }

  /** Files already shown keep their place; new ones go after them; the current file's outline last. */
  private stableOrder(uri: string, files: ContextSnippet[], currentPath: string): ContextSnippet[] {
    const previous = this.order.get(uri) ?? [];
    const rank = (p: string) => (p === currentPath ? Infinity : previous.includes(p) ? previous.indexOf(p) : previous.length);
    const sorted = files.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f.path) - rank(b.f.path) || a.i - b.i).map((x) => x.f);
    this.order.set(uri, sorted.map((f) => f.path));
    return sorted;
  }

  forget(uri: string): void {
    this.order.delete(uri);
    this.picks.delete(uri);
  }
}

/** The name a definition declares (its last segment: `Cls::method` -> `method`). */
function nameOf(node: Node | undefined): string | undefined {
  let n: Node | null | undefined = node;
  // C and C++ nest the name in declarators: function_definition > function_declarator > identifier.
  for (let depth = 0; n && depth < 5; depth++) {
    const name = n.childForFieldName('name') ?? (/identifier$/.test(n.type) ? n : null);
    if (name) return name.text.split(/::|\.|->/).pop()!.trim() || undefined;
    n = n.childForFieldName('declarator');
  }
  return undefined;
}

/** Whole lines from the start of text, within maxChars. */
function clipLines(text: string, maxChars: number): string | undefined {
  if (text.length <= maxChars) return text;
  const cut = text.lastIndexOf('\n', maxChars);
  return cut > 0 ? text.slice(0, cut) : undefined;
}

/** The store's copy matches what the adapter read around the cursor (checked at both ends). */
function inSync(doc: DocumentTree, offset: number, prefix: string, suffix: string): boolean {
  const n = Math.min(prefix.length, 256);
  const m = Math.min(suffix.length, 256);
  return offset <= doc.text.length && doc.text.slice(offset - n, offset) === prefix.slice(prefix.length - n)
    && doc.text.slice(offset, offset + m) === suffix.slice(0, m);
}

/** Headers of enclosing definitions whose first line is above the window, outermost first. */
export function scopeHeaders(text: string, scopes: Node[], windowStart: number, maxChars: number): string {
  const headers: string[] = [];
  let used = 0;
  for (const scope of scopes) {
    if (lineStartOf(text, scope.startIndex) >= windowStart) break;
    const header = headerOf(text, scope, bodyOf(scope));
    const body = bodyOf(scope);
    // The header must end above the window too (a long signature may run into it).
    if (!header || (body && body.startIndex >= windowStart) || used + header.length > maxChars) continue;
    headers.push(header);
    used += header.length + 1;
  }
  return headers.length ? `${headers.join('\n')}\n` : '';
}

function summarize(f: CursorSyntax, indentBlocks: boolean): SyntaxSummary {
  return {
    inComment: f.inComment, inString: f.inString, blankLine: f.blankLine, cursorIndent: f.cursorIndent,
    afterOpener: f.afterOpener, midStatement: f.midStatement, indentBlocks,
    block: f.block && {
      empty: f.block.empty, restEmpty: f.block.restEmpty, closesBelow: f.block.closesBelow,
      ownerIndent: f.block.ownerIndent, topLevel: f.block.owner.parent === null,
    },
  };
}
