/**
 * Adapter between VS Code's inline completion API and the pipeline: reads the text around the
 * cursor, turns VS Code's cancellation into an AbortSignal, and returns the ghost text.
 */
import * as vscode from 'vscode';
import type { CompletionInput, CompletionPipeline, PipelineOutcome } from '../completion/completionPipeline';
import { gatedSettings } from './confidenceMemory';

/** Candidates returned when the user asks (Alt+] / Alt+[, or Trigger Inline Suggestion). */
const EXPLICIT_CANDIDATES = 3;

/** Lines read around the cursor; the pipeline cuts them to the token budget. */
const PREFIX_LINES = 400;
const SUFFIX_LINES = 100;

export interface ProviderEvents {
  onRequest(): void;
  onOutcome(outcome: PipelineOutcome, document: vscode.TextDocument): void;
  onError(error: unknown): void;
  /** True once after the extension itself asked VS Code again to show a partial suggestion's settled rest. */
  retriggered?(): boolean;
  /** Snooze, manual trigger, Esc: false answers nothing (extension/suggestionGate.ts). */
  allows?(document: vscode.TextDocument, position: vscode.Position, context: vscode.InlineCompletionContext): boolean;
}

/** Next-edit suggestions (extension/nextEdit.ts): the change at a place jumped to, and when a marked place holds the stage. */
export interface NextEditHook {
  inlineAt(document: vscode.TextDocument, position: vscode.Position): vscode.InlineCompletionItem | undefined;
  holds(document: vscode.TextDocument): boolean;
}

export class InlineProvider implements vscode.InlineCompletionItemProvider {
  constructor(
    private readonly pipeline: CompletionPipeline,
    /** The model session, or a server backend's stand-in: whether completions can be asked for now. */
    private readonly session: { readonly info?: unknown; readonly modelPath?: string; ensureLoaded(): Promise<unknown> },
    private readonly events: ProviderEvents,
    private readonly nextEdit?: NextEditHook,
  ) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const retrigger = this.events.retriggered?.() ?? false;
    const nextEdit = this.nextEdit?.inlineAt(document, position);
    if (nextEdit) return [nextEdit];
    if (this.nextEdit?.holds(document)) return undefined;
    const read = gatedSettings(document, this.session.modelPath);
    if (!read.enabled || read.disabledLanguages.includes(document.languageId)) return undefined;
    if (this.events.allows && !this.events.allows(document, position, context)) return undefined;
    // The extension's own trigger for a settled rest is answered from memory, not as a new explicit request.
    const explicit = context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke && !retrigger;
    const settings = { ...read, alternatives: explicit ? EXPLICIT_CANDIDATES : undefined };
    this.pipeline.memory.setScope(`${settings.maxTokens}|${settings.multiline}|${settings.prefixTokens}|${settings.suffixTokens}|${settings.confidence?.show}`);
    const input = readAround(document, position);
    // Memory and a running generation answer at once; new engine work waits for the debounce only
    // while another generation runs (an idle engine starts at once). An explicit request (Alt+]) asks anew.
    const instant = this.session.info && !explicit ? this.pipeline.answerNow(input, settings) : undefined;
    if (!instant && settings.debounceMs > 0 && this.pipeline.busy && !(await sleepUnlessCancelled(settings.debounceMs, token))) return undefined;
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      this.events.onRequest();
      if (!(await this.session.ensureLoaded()) || token.isCancellationRequested) return undefined;
      let outcome = instant ?? await this.pipeline.complete(input, settings, controller.signal);
      // Part of a generation that finished meanwhile: its whole text is in memory now (memory only:
      // a newer request's running job must not be touched from here).
      if (outcome.kind === 'completion' && outcome.completion.partial) outcome = this.pipeline.recalled(input, settings) ?? outcome;
      this.events.onOutcome(outcome, document);
      if (outcome.kind !== 'completion' || token.isCancellationRequested) return undefined;
      // A next-edit place was marked while this one was computed: the mark has the stage.
      if (this.nextEdit?.holds(document)) return undefined;
      return [outcome.completion.text, ...outcome.completion.alternatives ?? []].map((text) => {
        const item = new vscode.InlineCompletionItem(text, new vscode.Range(position, position));
        item.command = { command: 'localCompletion.accepted', title: 'Accepted', arguments: [text] };
        return item;
      });
    } catch (err) {
      this.events.onError(err);
      return undefined;
    } finally {
      subscription.dispose();
    }
  }
}

/** The text around a position, as the pipeline takes it (it cuts it further to the token budget). */
export function readAround(document: vscode.TextDocument, position: vscode.Position): CompletionInput {
  const firstLine = Math.max(0, position.line - PREFIX_LINES);
  const lastLine = Math.min(document.lineCount - 1, position.line + SUFFIX_LINES);
  return {
    prefix: document.getText(new vscode.Range(firstLine, 0, position.line, position.character)),
    suffix: document.getText(new vscode.Range(position, document.lineAt(lastLine).range.end)),
    languageId: document.languageId,
    uri: document.uri.toString(),
    offset: document.offsetAt(position),
  };
}

function sleepUnlessCancelled(ms: number, token: vscode.CancellationToken): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => { sub.dispose(); resolve(true); }, ms);
    const sub = token.onCancellationRequested(() => { clearTimeout(timer); sub.dispose(); resolve(false); });
  });
}
