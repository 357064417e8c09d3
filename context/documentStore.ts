/**
 * The open documents, fed by the editor's open/change/close events (plain data: uri, text, UTF-16
 * change ranges). Keeps one DocumentTree per document, loads its grammar in the background, records
 * edits in the recent-chunks buffer, and re-indexes a document's definitions once it settles.
 * Documents are parsed when viewed or edited, not merely opened (extensions open many in the background).
 */
import type { Tree } from 'web-tree-sitter';
import { BACKGROUND_PARSE_MS, DocumentTree, type TextChange } from './documentTree';
import type { Grammars } from './grammars';
import { languageSpec } from './languages';
import { RecentChunks } from './recentChunks';
import type { WorkspaceIndex } from './workspaceIndex';
import { entryOf } from './workspaceScanner';

export interface OpenDocument {
  uri: string;
  languageId: string;
  text: string;
  version?: number;
  /** Workspace-relative path; absent for untitled or out-of-workspace documents. */
  path?: string;
}

/** Re-index a document this long after its last change. */
const SETTLE_MS = 1000;
/** Larger documents are not tracked at all (plain-text context from the adapter's text). */
const MAX_TRACKED_CHARS = 4_000_000;
/** Larger documents keep the definitions the workspace index read from disk. */
const MAX_REINDEX_CHARS = 300_000;

export class DocumentStore {
  private readonly docs = new Map<string, DocumentTree>();
  private readonly paths = new Map<string, string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  readonly recent = new RecentChunks();

  constructor(private readonly grammars: Grammars, private readonly index?: WorkspaceIndex) {}

  open(d: OpenDocument): DocumentTree | undefined {
    this.close(d.uri);
    if (d.text.length > MAX_TRACKED_CHARS) return undefined;
    const doc = new DocumentTree(d.uri, d.languageId, d.text, d.version ?? 0, this.grammars.get(d.languageId));
    this.docs.set(d.uri, doc);
    this.paths.set(d.uri, d.path ?? displayPath(d.uri));
    if (languageSpec(d.languageId) && !doc.hasGrammar) {
      // Load the grammar off the keystroke path, then start over with a tree.
      void this.grammars.load(d.languageId).then((g) => {
        const now = this.docs.get(d.uri);
        if (!g || now !== doc) return;
        const withTree = new DocumentTree(d.uri, d.languageId, doc.text, doc.version, g);
        withTree.prefixAnchor = doc.prefixAnchor;
        this.docs.set(d.uri, withTree);
        // Documents open before their grammar was (the editors restored at startup): parse now, in slices.
        this.schedule(d.uri, 0);
      });
    }
    return doc;
  }

  change(uri: string, changes: readonly TextChange[], version?: number): void {
    const doc = this.docs.get(uri);
    if (!doc) return;
    doc.applyChanges(changes, version);
    if (doc.text.length > MAX_TRACKED_CHARS) {
      this.close(uri);
      return;
    }
    const last = changes[changes.length - 1];
    if (last) {
      const at = Math.min(doc.text.length, last.offset + last.text.length);
      this.recent.recordEdit(uri, this.pathOf(uri), doc.text, doc.positionAt(at).row, at);
    }
    this.schedule(uri, SETTLE_MS);
  }

  /**
   * Text of an editor's visible range (recently viewed code). A document the user looks at gets
   * its first parse now, in the background, rather than on its first keystroke.
   */
  viewed(uri: string, text: string, startLine: number): void {
    this.recent.recordView(uri, this.pathOf(uri), text, startLine);
    if (this.docs.get(uri)?.needsParse && !this.timers.has(uri)) this.schedule(uri, 0);
  }

  close(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.docs.get(uri)?.dispose();
    this.docs.delete(uri);
    this.paths.delete(uri);
  }

  get(uri: string): DocumentTree | undefined {
    return this.docs.get(uri);
  }

  /** A workspace path that is open in the editor. */
  isOpenPath(relPath: string): boolean {
    for (const [uri, p] of this.paths) if (p === relPath && this.docs.has(uri)) return true;
    return false;
  }

  pathOf(uri: string): string {
    return this.paths.get(uri) ?? displayPath(uri);
  }

  /** Parses (with the background budget) and re-indexes a document now (tests, benchmarks). */
  settle(uri: string): void {
    const doc = this.docs.get(uri);
    if (doc) this.reindex(uri, doc, doc.tree(BACKGROUND_PARSE_MS));
  }

  /** The same without holding the event loop: the parse runs in slices. */
  private async settleInBackground(uri: string): Promise<void> {
    const doc = this.docs.get(uri);
    const grammar = doc && this.grammars.get(doc.languageId);
    if (!doc || !grammar) return;
    const tree = await doc.parseInSlices(grammar.backgroundParser);
    if (this.docs.get(uri) === doc) this.reindex(uri, doc, tree);
  }

  private reindex(uri: string, doc: DocumentTree, tree: Tree | undefined): void {
    const grammar = this.grammars.get(doc.languageId);
    // Definitions of a huge file come from the disk index: a query over all of it would stall typing.
    if (!tree || !grammar || !this.index || doc.text.length > MAX_REINDEX_CHARS) return;
    this.index.set(entryOf(grammar, tree, this.pathOf(uri), doc.languageId, doc.text));
  }

  private schedule(uri: string, ms: number): void {
    clearTimeout(this.timers.get(uri));
    const timer = setTimeout(() => {
      this.timers.delete(uri);
      void this.settleInBackground(uri).catch(() => undefined);
    }, ms);
    timer.unref?.();
    this.timers.set(uri, timer);
  }

  dispose(): void {
    for (const uri of [...this.docs.keys()]) this.close(uri);
  }
}

/** The last segments of a uri, for documents outside the workspace. */
function displayPath(uri: string): string {
  const clean = decodeURIComponent(uri.replace(/^[a-z-]+:\/*/i, '').split(/[?#]/)[0]);
  return clean.split('/').slice(-2).join('/');
}
