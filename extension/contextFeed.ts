/**
 * Feeds the context layer from VS Code: every folder of the workspace (file-based ones are indexed), document open/change/close
 * events (text and UTF-16 change offsets), visible ranges (recently viewed code) and file changes
 * on disk (for the workspace index). Only plain data crosses into context/.
 */
import * as vscode from 'vscode';
import type { ContextLayer } from '../completion/contextLayer';

/**
 * Schemes whose documents are not code the user edits (output panels, git and SCM views). Any
 * other scheme (virtual workspaces: vscode-vfs, remote file systems) is followed from the
 * document's text; only `file` folders are indexed from disk.
 */
const NOT_CODE = new Set(['output', 'git', 'vscode-scm', 'comment', 'debug', 'vscode-terminal', 'walkThroughSnippet']);
const isCode = (uri: vscode.Uri) => !NOT_CODE.has(uri.scheme);
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
  const diskFolders = () => (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  const setFolders = () => layer.setWorkspaceFolders(
    diskFolders().map((f) => ({ root: f.uri.fsPath, name: f.name })), vscode.workspace.workspaceFolders?.[0]?.name);
  setFolders();

  const relative = (uri: vscode.Uri): string | undefined => (uri.scheme === 'file' ? layer.workspacePath(uri.fsPath) : undefined);
  const open = safe((doc: vscode.TextDocument) => {
    if (!isCode(doc.uri)) return;
    layer.open({ uri: doc.uri.toString(), languageId: doc.languageId, text: doc.getText(), version: doc.version, path: relative(doc.uri) });
  });
  vscode.workspace.textDocuments.forEach(open);

  let viewTimer: NodeJS.Timeout | undefined;
  const viewed = safe((editor: vscode.TextEditor | undefined) => {
    clearTimeout(viewTimer);
    if (!editor || !isCode(editor.document.uri)) return;
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
  const watchers: vscode.Disposable[] = [];
  const watch = () => {
    for (const w of watchers.splice(0)) w.dispose();
    for (const f of diskFolders()) {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(f, '**/*'));
      watchers.push(w, w.onDidCreate(fileEvent), w.onDidChange(fileEvent), w.onDidDelete(fileEvent));
    }
  };
  watch();
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
    vscode.workspace.onDidChangeWorkspaceFolders(safe(() => { setFolders(); watch(); })),
    { dispose: () => { clearTimeout(viewTimer); for (const w of watchers) w.dispose(); layer.dispose(); } },
  ];
}
