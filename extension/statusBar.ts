/**
 * The status bar item: which model, what it is doing, how fast the last completion was, and why
 * nothing happens when nothing happens (users' top complaint about completion tools).
 */
import * as vscode from 'vscode';

export type Phase = 'idle' | 'loading' | 'ready' | 'generating' | 'disabled' | 'error' | 'no-model';

export interface StatusView {
  phase: Phase;
  model?: string;
  modelPath?: string;
  lastLatencyMs?: number;
  error?: string;
  /** What runs the model ("Vulkan: <GPU>", "CPU: <CPU>") and why not the GPU when it was asked for. */
  backend?: string;
  gpuFallback?: string;
  /** When and why the engine last stopped and was restarted (shown while no error is). */
  restarted?: string;
  /** Minutes of snooze left (no suggestions at all meanwhile). */
  snoozedMinutes?: number;
  /** The completion server answers, but not within its time limit: why. */
  slow?: string;
  /** A completion server is in use: the tooltip offers the built-in engine. */
  offerBuiltin?: boolean;
}

const ICONS: Record<Phase, string> = {
  idle: '$(circle-outline)',
  loading: '$(loading~spin)',
  ready: '$(check)',
  generating: '$(sync~spin)',
  disabled: '$(circle-slash)',
  error: '$(error)',
  'no-model': '$(warning)',
};

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('localCompletion.status', vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.item.name = 'Local Code Completion';
    this.item.command = 'localCompletion.menu'; // extension/statusMenu.ts
    this.item.show();
  }

  render(view: StatusView): void {
    this.item.text = `${view.snoozedMinutes !== undefined ? '$(bell-slash)' : ICONS[view.phase]} ${statusText(view)}`;
    this.item.accessibilityInformation = { label: `Local Code Completion: ${statusText(view)}` };
    this.item.backgroundColor = view.phase === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.isTrusted = { enabledCommands: ['localCompletion.switchModel', 'localCompletion.showLog', 'localCompletion.toggle', 'localCompletion.useBuiltinEngine'] };
    tip.appendMarkdown(`**Local Code Completion**: ${view.phase}\n\n`);
    if (view.modelPath) tip.appendMarkdown(`Model: \`${view.modelPath}\`\n\n`);
    if (view.backend) tip.appendMarkdown(`Runs on: ${escape(view.backend)}\n\n`);
    if (view.gpuFallback) tip.appendMarkdown(`$(warning) ${escape(view.gpuFallback)}\n\n`);
    if (view.lastLatencyMs !== undefined) tip.appendMarkdown(`Last completion: ${Math.round(view.lastLatencyMs)} ms\n\n`);
    if (view.slow) tip.appendMarkdown(`$(watch) ${escape(view.slow)}\n\n`);
    if (view.error) tip.appendMarkdown(`$(error) ${escape(view.error)}\n\n`);
    else if (view.restarted) tip.appendMarkdown(`Last engine restart: ${escape(view.restarted)}\n\n`);
    if (view.offerBuiltin) tip.appendMarkdown('[Use Built-in Engine](command:localCompletion.useBuiltinEngine) · ');
    tip.appendMarkdown('Click for the menu (snooze, languages, model, usage). ');
    tip.appendMarkdown('[Switch Model](command:localCompletion.switchModel) · [Show Log](command:localCompletion.showLog) · [Enable/Disable](command:localCompletion.toggle)');
    this.item.tooltip = tip;
  }

  dispose(): void {
    this.item.dispose();
  }
}

/** "tiny · ready · 42 ms", "no model", "disabled": words, so the state reads without the icon. */
export function statusText(view: StatusView): string {
  if (view.phase === 'no-model') return 'no model';
  if (view.phase === 'disabled') return 'disabled';
  if (view.snoozedMinutes !== undefined) return `${view.model ?? 'no model'} · snoozed · ${view.snoozedMinutes} min`;
  const parts = [view.model ?? 'no model', view.phase];
  if (view.slow && (view.phase === 'ready' || view.phase === 'generating')) parts.push('slow');
  else if (view.phase === 'ready' && view.lastLatencyMs !== undefined) parts.push(`${Math.round(view.lastLatencyMs)} ms`);
  return parts.join(' · ');
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
