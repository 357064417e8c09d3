/**
 * How a next-edit proposal looks before the user takes it: an icon in the gutter of its line, a
 * faint box around the text it would replace, and the new line in ghost-text colour at the end
 * of the line. The `localCompletion.nextEditVisible` context key guards the Tab binding.
 */
import * as vscode from 'vscode';
import type { Proposal } from '../completion/nextEdit/nextEditPlanner';

export const VISIBLE_KEY = 'localCompletion.nextEditVisible';
/** A replacement previewed at the place jumped to (Tab applies it). */
export const PREVIEW_KEY = 'localCompletion.nextEditPreviewed';
/** Longest proposed text shown at the end of the line. */
const SHOWN_CHARS = 80;

export class NextEditMarks implements vscode.Disposable {
  private readonly gutter: vscode.TextEditorDecorationType;
  private readonly hint = vscode.window.createTextEditorDecorationType({
    borderWidth: '0 0 1px 0', borderStyle: 'dotted', borderColor: new vscode.ThemeColor('editorGhostText.foreground'),
  });
  private readonly struck = vscode.window.createTextEditorDecorationType({ textDecoration: 'line-through', opacity: '0.6' });
  private visible = false;
  private previewed = false;

  constructor(extensionPath: string) {
    this.gutter = vscode.window.createTextEditorDecorationType({
      gutterIconPath: vscode.Uri.file(`${extensionPath}/media/next-edit.svg`),
      gutterIconSize: 'contain',
      overviewRulerColor: new vscode.ThemeColor('editorGhostText.foreground'),
      overviewRulerLane: vscode.OverviewRulerLane.Right,
    });
  }

  show(editor: vscode.TextEditor, p: Proposal): void {
    const doc = editor.document;
    const start = doc.positionAt(p.change.offset);
    const range = new vscode.Range(start, doc.positionAt(p.change.offset + p.change.oldText.length));
    const lineEnd = doc.lineAt(start.line).range.end;
    const shown = shorten(p.newText);
    editor.setDecorations(this.gutter, [new vscode.Range(start, start)]);
    editor.setDecorations(this.hint, [
      { range, hoverMessage: new vscode.MarkdownString(`Next edit: \`${p.change.oldText}\` → \`${p.change.newText}\` (Tab to go there, Esc to dismiss)`) },
      { range: new vscode.Range(lineEnd, lineEnd), renderOptions: { after: { contentText: `  ⇥ ${shown}`, color: new vscode.ThemeColor('editorGhostText.foreground'), fontStyle: 'italic' } } },
    ]);
    void this.setVisible(true);
  }

  /** A place in another open document: the gutter icon and the hint at the line just edited. */
  showElsewhere(editor: vscode.TextEditor, p: Proposal, where: string): void {
    const line = editor.selection.active.line;
    const end = editor.document.lineAt(line).range.end;
    editor.setDecorations(this.gutter, [new vscode.Range(line, 0, line, 0)]);
    editor.setDecorations(this.hint, [{ range: new vscode.Range(end, end), renderOptions: { after: { contentText: `  ⇥ ${where}: ${shorten(p.newText)}`, color: new vscode.ThemeColor('editorGhostText.foreground'), fontStyle: 'italic' } } }]);
    void this.setVisible(true);
  }

  /** The jump: the line keeps its gutter icon, the end-of-line text gives way to the inline suggestion. */
  jumped(editor: vscode.TextEditor): void {
    editor.setDecorations(this.hint, []);
    void this.setVisible(false);
  }

  /**
   * A replacement VS Code cannot show as ghost text (the old text is not where the new one starts:
   * with the stable API such an inline completion item is not shown at all): the old text struck
   * through, the new text beside it in ghost-text colour.
   */
  async preview(editor: vscode.TextEditor, p: Proposal): Promise<void> {
    const doc = editor.document;
    const range = new vscode.Range(doc.positionAt(p.change.offset), doc.positionAt(p.change.offset + p.change.oldText.length));
    editor.setDecorations(this.hint, []);
    editor.setDecorations(this.struck, [{ range, renderOptions: { after: { contentText: p.change.newText, color: new vscode.ThemeColor('editorGhostText.foreground') } } }]);
    await Promise.all([this.setVisible(false), this.setPreviewed(true)]);
  }

  clear(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      editor.setDecorations(this.gutter, []);
      editor.setDecorations(this.hint, []);
      editor.setDecorations(this.struck, []);
    }
    void this.setVisible(false);
    void this.setPreviewed(false);
  }

  private async setVisible(visible: boolean): Promise<void> {
    if (visible === this.visible) return;
    this.visible = visible;
    await vscode.commands.executeCommand('setContext', VISIBLE_KEY, visible);
  }

  private async setPreviewed(previewed: boolean): Promise<void> {
    if (previewed === this.previewed) return;
    this.previewed = previewed;
    await vscode.commands.executeCommand('setContext', PREVIEW_KEY, previewed);
  }

  dispose(): void {
    this.clear();
    this.gutter.dispose();
    this.hint.dispose();
    this.struck.dispose();
  }
}

function shorten(line: string): string {
  const t = line.trim();
  return t.length > SHOWN_CHARS ? `${t.slice(0, SHOWN_CHARS)}…` : t;
}
