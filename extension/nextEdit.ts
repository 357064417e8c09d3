/**
 * Next-edit suggestions in the editor (stable API only). Every change of a followed document goes
 * into the edit history; once the user rests (never while typing fast) the planner looks for the
 * next place and its new text: the deterministic renamer first, then the model, only while the
 * engine is idle. The place is marked (extension/nextEditMarks.ts); Tab jumps there and offers
 * the change as an inline suggestion whose range replaces the old text; Tab again accepts it (and
 * the accepted edit leads to the next place), Esc dismisses.
 */
import * as vscode from 'vscode';
import { EditHistory } from '../completion/nextEdit/editHistory';
import { PredictorChain } from '../completion/nextEdit/editPredictor';
import { FimEditPredictor } from '../completion/nextEdit/fimEditPredictor';
import { planNextEdits, type Proposal } from '../completion/nextEdit/nextEditPlanner';
import { RenamePredictor } from '../completion/nextEdit/renamePredictor';
import { RepeatPredictor } from '../completion/nextEdit/repeatPredictor';
import { InsertPredictor } from '../completion/nextEdit/insertPredictor';
import { TypingPace } from '../completion/nextEdit/typingPace';
import { functionScopeIn } from '../completion/nextEdit/functionScope';
import { describeEdit } from '../completion/nextEdit/editKind';
import { isTaken } from '../completion/nextEdit/changeTaken';
import { languageFamily } from '../context/languages';
import * as nodePath from 'node:path';
import type { Controller } from './controller';
import { gatedSettings } from './confidenceMemory';
import { NextEditMarks } from './nextEditMarks';
import { SECTION } from './settings';

/** An edit older than this is not followed any more. */
const STALE_MS = 60_000;
/** Other open documents searched for uses of a renamed or changed name. */
const MAX_OTHERS = 5;
/** Selection changes this soon after a jump are the editor catching up, not the user moving away. */
const JUMP_SETTLE_MS = 500;

interface Held { uri: string; version: number; proposal: Proposal }

export class NextEdits implements vscode.Disposable {
  private readonly history = new EditHistory();
  private readonly pace = new TypingPace();
  private readonly marks: NextEditMarks;
  private timer?: NodeJS.Timeout;
  private running?: AbortController;
  /** Marked, waiting for Tab. */
  private shown?: Held;
  /** Jumped to: the inline provider answers it. */
  private offered?: Held;
  /** The document just after a change was taken: ordinary ghost text waits for the user's next key (the planner has the stage). */
  private taken?: { uri: string; version: number };
  /** The jump itself is opening another document (not a reason to dismiss). */
  private switching = false;
  private jumpedAt = 0;
  /** Where the cursor was when Tab jumped. */
  private leftFrom?: vscode.Position;

  constructor(private readonly controller: Controller) {
    this.marks = new NextEditMarks(controller.context.extensionPath);
  }

  register(): vscode.Disposable[] {
    for (const e of vscode.window.visibleTextEditors) this.follow(e.document);
    return [
      this,
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.follow(e.document))),
      vscode.workspace.onDidCloseTextDocument((d) => this.history.close(d.uri.toString())),
      vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)),
      vscode.window.onDidChangeActiveTextEditor(() => { if (!this.switching) this.dismiss('another editor'); }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        // Left the place jumped to without taking the change: it is dismissed. Selection events
        // still on their way from before the jump (typing, under load) do not count.
        const held = this.offered;
        if (!held || performance.now() - this.jumpedAt < JUMP_SETTLE_MS || e.textEditor.document.uri.toString() !== held.uri) return;
        const active = e.selections[0]?.active;
        // The cursor where it was before the jump: an event from before the jump, late (seen under load).
        if (!active || (this.leftFrom && active.isEqual(this.leftFrom))) return;
        if (active.line !== e.textEditor.document.positionAt(held.proposal.change.offset).line) this.dismiss(`the cursor left the place (kind ${e.kind}, at ${active.line}:${active.character}, jumped from ${this.leftFrom?.line}:${this.leftFrom?.character} ${Math.round(performance.now() - this.jumpedAt)} ms ago)`);
      }),
      vscode.commands.registerCommand('localCompletion.nextEdit.jump', () => this.jump()),
      vscode.commands.registerCommand('localCompletion.nextEdit.apply', () => this.apply()),
      vscode.commands.registerCommand('localCompletion.nextEdit.dismiss', () => this.dismiss('Esc')),
      vscode.commands.registerCommand('localCompletion.nextEdit.accepted', () => this.accepted()),
    ];
  }

  private follow(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== 'output' && this.history.text(doc.uri.toString()) === undefined) this.history.open(doc.uri.toString(), doc.getText());
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    if (!e.contentChanges.length) return;
    const uri = e.document.uri.toString();
    if (this.history.text(uri) === undefined) {
      this.follow(e.document);
      return;
    }
    const now = performance.now();
    const before = this.offered?.uri === uri ? this.history.text(uri) : undefined;
    this.taken = before !== undefined && this.offered && isTaken(before, this.offered.proposal.change, e.document.getText())
      ? { uri, version: e.document.version } : undefined;
    this.history.apply(uri, e.contentChanges.map((c) => ({ offset: c.rangeOffset, length: c.rangeLength, text: c.text })), now);
    // Out of step (a change we could not follow): start again from the document as it is.
    if (this.history.text(uri)!.length !== e.document.getText().length) this.history.open(uri, e.document.getText());
    this.running?.abort();
    this.shown = undefined;
    this.marks.clear();
    if (this.offered?.uri === uri) this.offered = undefined;
    if (vscode.window.activeTextEditor?.document !== e.document) return;
    this.pace.key(now);
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (!this.pace.rested(performance.now())) return this.schedule();
      void this.run().catch((err) => this.controller.log.warn(`next edit: ${err instanceof Error ? err.message : String(err)}`));
    }, this.pace.restNeeded());
  }

  private enabled(doc: vscode.TextDocument): boolean {
    const c = vscode.workspace.getConfiguration(SECTION, doc);
    const settings = gatedSettings(doc, this.controller.session.modelPath);
    return c.get<boolean>('nextEdit.enabled', true) && settings.enabled && !settings.disabledLanguages.includes(doc.languageId) && !this.controller.snooze.active;
  }

  private async run(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !this.enabled(editor.document)) return;
    const doc = editor.document;
    const uri = doc.uri.toString();
    const edits = this.history.edits(uri);
    const last = edits[edits.length - 1];
    if (!last || performance.now() - last.at > STALE_MS) return;
    const version = doc.version;
    const running = this.running = new AbortController();
    const layer = this.controller.contextLayer;
    const path = doc.uri.scheme === 'file' ? layer.workspacePath(doc.uri.fsPath) : undefined;
    const entry = path ? layer.index.files.get(path) : undefined;
    const settings = gatedSettings(doc, this.controller.session.modelPath);
    const model = new FimEditPredictor(this.controller.backends, { gate: settings.confidence, prefixTokens: Math.min(512, settings.prefixTokens), repoName: vscode.workspace.workspaceFolders?.[0]?.name });
    // Exact deterministic proposals at any place first; the model only where none has one, and only while the engine is idle.
    const predictor = [new PredictorChain([new RenamePredictor(), new RepeatPredictor(), new InsertPredictor()]), new PredictorChain([model], () => this.controller.engineIdle())];
    const text = doc.getText();
    const plan = await planNextEdits({
      uri, languageId: doc.languageId, path, text, edits,
      scopeOf: entry ? (row) => functionScopeIn(entry.defs, row) : undefined,
      others: this.othersUsing(doc, describeEdit(text, last)),
    }, predictor, running.signal);
    const proposal = plan.proposals[0];
    if (running.signal.aborted || doc.version !== version || vscode.window.activeTextEditor !== editor) return;
    const target = proposal?.uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === proposal.uri) : doc;
    this.controller.log.debug(`next edit: ${plan.kind.kind}, ${plan.candidates.length} places` +
      (proposal && target ? `; ${nodePath.basename(target.uri.path)}:${target.positionAt(proposal.offset).line + 1}: ${JSON.stringify(proposal.change.oldText)} -> ${JSON.stringify(proposal.change.newText)} (${proposal.source}, ${proposal.latencyMs} ms)` : '; nothing proposed'));
    if (!proposal || !target) return;
    this.shown = { uri: target.uri.toString(), version: target.version, proposal };
    if (target === doc) this.marks.show(editor, proposal);
    else this.marks.showElsewhere(editor, proposal, `${nodePath.basename(target.uri.path)}:${target.positionAt(proposal.offset).line + 1}`);
    // One suggestion at a time: the ghost text of the place just edited gives way to the mark.
    void vscode.commands.executeCommand('editor.action.inlineSuggest.hide');
  }

  /**
   * Open documents of the same language family that the workspace index says use the renamed or
   * changed name (a module-level rename or a signature change reaches into them).
   */
  private othersUsing(doc: vscode.TextDocument, kind: ReturnType<typeof describeEdit>): { uri: string; text: string }[] | undefined {
    const name = kind.kind === 'rename' ? kind.oldName : kind.kind === 'signature' || kind.kind === 'arguments' ? kind.functionName : undefined;
    if (!name) return undefined;
    const layer = this.controller.contextLayer;
    const family = languageFamily(doc.languageId);
    return vscode.workspace.textDocuments.filter((d) => {
      if (d === doc || d.uri.scheme !== 'file' || languageFamily(d.languageId) !== family) return false;
      const p = layer.workspacePath(d.uri.fsPath);
      return !!p && !!layer.index.files.get(p)?.uses?.includes(name);
    }).slice(0, MAX_OTHERS).map((d) => ({ uri: d.uri.toString(), text: d.getText() }));
  }

  /** Tab on a marked place: go there and offer the change as an inline suggestion. */
  private async jump(): Promise<void> {
    const held = this.shown;
    // Tab again before the context keys caught up with a preview: it meant "apply".
    if (!held && this.offered && !this.offered.proposal.change.newText.startsWith(this.offered.proposal.change.oldText)) return this.apply();
    if (!held) return this.dismiss('Tab with nothing marked');
    let editor = vscode.window.activeTextEditor;
    if (editor?.document.uri.toString() !== held.uri) {
      // The place is in another open document: go there first.
      const target = vscode.workspace.textDocuments.find((d) => d.uri.toString() === held.uri);
      if (!target) return this.dismiss('its document was closed');
      this.marks.clear();
      this.switching = true;
      try {
        editor = await vscode.window.showTextDocument(target);
      } finally {
        this.switching = false;
      }
    }
    if (!editor || editor.document.version !== held.version) return this.dismiss('the document changed before the jump');
    this.leftFrom = editor.selection.active;
    const at = editor.document.positionAt(held.proposal.change.offset);
    editor.selection = new vscode.Selection(at, at);
    editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    this.offered = held;
    this.shown = undefined;
    this.jumpedAt = performance.now();
    const { change } = held.proposal;
    // VS Code shows an inline completion only where the new text starts with the old (an insertion).
    if (change.newText.startsWith(change.oldText)) {
      this.marks.jumped(editor);
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    } else {
      await this.marks.preview(editor, held.proposal);
    }
  }

  /** Tab on a previewed replacement: apply it. */
  private async apply(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const held = this.offered;
    if (!editor || !held || editor.document.uri.toString() !== held.uri || editor.document.version !== held.version) {
      return this.dismiss(`nothing to apply (${held ? `version ${editor?.document.version} vs ${held.version}` : 'none offered'})`);
    }
    const { change } = held.proposal;
    const doc = editor.document;
    // Still offered while the edit lands: onChange sees the change taken (see `taken`).
    const applied = await editor.edit((b) => b.replace(new vscode.Range(doc.positionAt(change.offset), doc.positionAt(change.offset + change.oldText.length)), change.newText));
    this.accepted();
    if (!applied) this.controller.log.warn(`next edit: the editor refused the change at ${doc.positionAt(change.offset).line + 1}`);
  }

  /** The inline suggestion for a place jumped to, if the provider is asked there. */
  inlineAt(document: vscode.TextDocument, position: vscode.Position): vscode.InlineCompletionItem | undefined {
    const held = this.offered;
    if (!held || held.uri !== document.uri.toString() || held.version !== document.version) return undefined;
    const { change } = held.proposal;
    if (!change.newText.startsWith(change.oldText)) return undefined;
    const range = new vscode.Range(document.positionAt(change.offset), document.positionAt(change.offset + change.oldText.length));
    if (!range.contains(position)) return undefined;
    const item = new vscode.InlineCompletionItem(change.newText, range);
    item.command = { command: 'localCompletion.nextEdit.accepted', title: 'Accepted next edit' };
    return item;
  }

  /**
   * While a place is marked or offered in this document as it is, ordinary suggestions stay away
   * (one at a time: a ghost text at the place jumped to would take the Tab meant for the change).
   */
  holds(document: vscode.TextDocument): boolean {
    const uri = document.uri.toString();
    return [this.shown, this.offered, this.taken].some((h) => !!h && h.uri === uri && h.version === document.version);
  }

  private accepted(): void {
    this.offered = undefined;
    this.marks.clear();
    this.controller.log.trace('next edit accepted');
  }

  dismiss(why?: string): void {
    if (why && (this.shown || this.offered)) this.controller.log.info(`next edit dismissed: ${why}`);
    clearTimeout(this.timer);
    this.running?.abort();
    this.shown = undefined;
    this.offered = undefined;
    this.taken = undefined;
    this.marks.clear();
  }

  dispose(): void {
    this.dismiss();
    this.marks.dispose();
  }
}

