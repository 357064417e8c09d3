/**
 * The syntax-aware context, assembled: grammars, the open documents, the workspace index (filled
 * by a worker thread) and the context source the completion pipeline asks. The editor glue feeds
 * it plain data (document text, UTF-16 changes, workspace-relative paths); nothing here knows VS Code.
 */
import { SyntaxContextSource } from './syntaxContextSource';
import { ContextBuilder } from '../context/contextBuilder';
import { DocumentStore, type OpenDocument } from '../context/documentStore';
import type { TextChange } from '../context/documentTree';
import { Grammars } from '../context/grammars';
import { WorkspaceIndex } from '../context/workspaceIndex';
import { WorkspaceIndexer, type IndexerLog } from '../context/workspaceIndexer';

export interface ContextLayerOptions {
  /** Token budget for context snippets. */
  contextTokens?: number;
  log?: IndexerLog;
  /** Where the index worker script is (dist/indexWorker.js when bundled). */
  workerPath?: string;
  /** A failure of the syntax path (the completion then uses plain-text context). */
  onError?: (err: unknown) => void;
}

export class ContextLayer {
  readonly grammars = new Grammars();
  readonly index = new WorkspaceIndex();
  readonly store = new DocumentStore(this.grammars, this.index);
  readonly builder = new ContextBuilder(this.store, this.index);
  readonly source: SyntaxContextSource;
  private indexer?: WorkspaceIndexer;

  constructor(private readonly options: ContextLayerOptions = {}) {
    this.source = new SyntaxContextSource(this.builder, this.grammars, { contextTokens: options.contextTokens ?? 1024, onError: options.onError });
  }

  /** The workspace folder on disk (indexed in the background) and its name (repo-level prompts). */
  setWorkspace(root: string | undefined, name: string | undefined): void {
    this.builder.repoName = name;
    this.builder.analogs.root = root;
    this.indexer?.dispose();
    this.indexer = undefined;
    if (!root) return;
    this.indexer = new WorkspaceIndexer(this.index, root, this.options.log, (p) => this.store.isOpenPath(p), this.options.workerPath);
    void this.indexer.start();
  }

  open(doc: OpenDocument): void {
    this.store.open(doc);
  }

  change(uri: string, changes: readonly TextChange[], version?: number): void {
    this.store.change(uri, changes, version);
  }

  close(uri: string): void {
    this.store.close(uri);
    this.builder.forget(uri);
  }

  viewed(uri: string, text: string, startLine: number): void {
    this.store.viewed(uri, text, startLine);
  }

  /** A workspace file was created, changed or deleted on disk (workspace-relative path). */
  fileChanged(relPath: string): void {
    if (!this.store.isOpenPath(relPath)) this.indexer?.fileChanged(relPath);
  }

  dispose(): void {
    this.indexer?.dispose();
    this.store.dispose();
    this.grammars.dispose();
  }
}
