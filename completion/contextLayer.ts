/**
 * The syntax-aware context, assembled: grammars, the open documents, the workspace index (filled
 * by a worker thread) and the context source the completion pipeline asks. The editor glue feeds
 * it plain data (document text, UTF-16 changes, workspace-relative paths); nothing here knows VS Code.
 */
import * as path from 'node:path';
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
  private indexers: WorkspaceIndexer[] = [];
  /** The folders' common parent: index paths are relative to it (the folder itself when there is one). */
  private base?: string;

  constructor(private readonly options: ContextLayerOptions = {}) {
    this.source = new SyntaxContextSource(this.builder, this.grammars, { contextTokens: options.contextTokens ?? 1024, onError: options.onError });
  }

  /** The workspace folder on disk (indexed in the background) and its name (repo-level prompts). */
  setWorkspace(root: string | undefined, name: string | undefined): void {
    this.setWorkspaceFolders(root ? [{ root, name: name ?? path.basename(root) }] : [], name);
  }

  /**
   * Every folder of a (multi-root) workspace, each indexed by its own worker. Paths are relative
   * to the folders' common parent, so two folders' `src/index.ts` stay apart and analogs read
   * from the right one.
   */
  setWorkspaceFolders(folders: ReadonlyArray<{ root: string; name: string }>, repoName = folders[0]?.name): void {
    this.builder.repoName = repoName;
    for (const i of this.indexers) i.dispose();
    this.indexers = [];
    this.base = folders.length ? commonParent(folders.map((f) => f.root)) : undefined;
    this.builder.analogs.root = this.base;
    for (const f of folders) {
      const rel = path.relative(this.base!, f.root).split(path.sep).join('/');
      const indexer = new WorkspaceIndexer(this.index, f.root, this.options.log, (p) => this.store.isOpenPath(p), this.options.workerPath, rel ? `${rel}/` : '');
      this.indexers.push(indexer);
      void indexer.start();
    }
  }

  /** The index's path for a file on disk, or undefined outside the workspace folders. */
  workspacePath(absPath: string): string | undefined {
    if (!this.base) return undefined;
    const inside = this.indexers.some((i) => { const r = path.relative(i.root, absPath); return !r.startsWith('..') && !path.isAbsolute(r); });
    return inside ? path.relative(this.base, absPath).split(path.sep).join('/') : undefined;
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
    if (this.store.isOpenPath(relPath)) return;
    // The longest prefix owns the path (a folder nested in another folder's parent).
    const owner = this.indexers.filter((i) => relPath.startsWith(i.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
    owner?.fileChanged(relPath);
  }

  dispose(): void {
    for (const i of this.indexers) i.dispose();
    this.store.dispose();
    this.grammars.dispose();
  }
}

/** The deepest folder that holds every root (the root itself for one). */
export function commonParent(roots: readonly string[]): string {
  let base = path.resolve(roots[0]);
  for (const r of roots.slice(1)) {
    const abs = path.resolve(r);
    while (path.relative(base, abs).startsWith('..') || path.isAbsolute(path.relative(base, abs))) base = path.dirname(base);
  }
  return base;
}
