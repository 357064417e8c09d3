/**
 * Feeds the context layer from VS Code: the first workspace folder, document open/change/close
 * events (text and UTF-16 change offsets), visible ranges (recently viewed code) and file changes
 * on disk (for the workspace index). Only plain data crosses into context/.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ContextLayer } from '../completion/contextLayer';

/** Schemes whose documents are code the user edits (not output panels, git views, settings). */
const SCHEMES = new Set(['file', 'untitled', 'vscode-notebook-cell', 'vscode-vfs', 'vscode-remote']);
const VIEW_DEBOUNCE_MS = 500;

export function registerContextFeed(layer: ContextLayer, log?: vscode.LogOutputChannel): vscode.Disposable[] {
  // An event the context layer cannot follow must not disturb the editor: log it and go on.
  const safe = <A extends unknown[]>(fn: (...args: A) => void) => (...args: A) => {
    try {
      fn(...args);
    } catch (err) {
      log?.warn(`context: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const folder = vscode.workspace.workspaceFolders?.[0];
  const root = folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
  layer.setWorkspace(root, folder?.name);

  const relative = (uri: vscode.Uri): string | undefined => {
    if (!root || uri.scheme !== 'file') return undefined;
    const rel = path.relative(root, uri.fsPath);
    return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel.split(path.sep).join('/');
  };
  const open = safe((doc: vscode.TextDocument) => {
    if (!SCHEMES.has(doc.uri.scheme)) return;
    layer.open({ uri: doc.uri.toString(), languageId: doc.languageId, text: doc.getText(), version: doc.version, path: relative(doc.uri) });
  });
  vscode.workspace.textDocuments.forEach(open);

  let viewTimer: NodeJS.Timeout | undefined;
  const viewed = safe((editor: vscode.TextEditor | undefined) => {
    clearTimeout(viewTimer);
    if (!editor || !SCHEMES.has(editor.document.uri.scheme)) return;
    viewTimer = setTimeout(safe(() => {
      const range = editor.visibleRanges[0];
      if (range) layer.viewed(editor.document.uri.toString(), editor.document.getText(range), range.start.line);
    }), VIEW_DEBOUNCE_MS);
  });
  const fileEvent = safe((uri: vscode.Uri) => {
    const rel = relative(uri);
    if (rel) layer.fileChanged(rel);
  });
  viewed(vscode.window.activeTextEditor);
  const watcher = root ? vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root, '**/*')) : undefined;
  return [
    vscode.workspace.onDidOpenTextDocument(open),
    vscode.workspace.onDidCloseTextDocument(safe((doc) => layer.close(doc.uri.toString()))),
    vscode.workspace.onDidChangeTextDocument(safe((e) => {
      if (!e.contentChanges.length) return;
      layer.change(e.document.uri.toString(), e.contentChanges.map((c) => ({ offset: c.rangeOffset, length: c.rangeLength, text: c.text })), e.document.version);
    })),
    // A language change closes and reopens the document in VS Code; nothing else to do here.
    vscode.window.onDidChangeTextEditorVisibleRanges((e) => viewed(e.textEditor)),
    vscode.window.onDidChangeActiveTextEditor(viewed),
    ...(watcher ? [watcher, watcher.onDidCreate(fileEvent), watcher.onDidChange(fileEvent), watcher.onDidDelete(fileEvent)] : []),
    { dispose: () => { clearTimeout(viewTimer); layer.dispose(); } },
  ];
}
