/**
 * Whether the provider answers a request at all, before any work: never while snoozed, only on the
 * key (Alt+\, an explicit request) when `localCompletion.trigger` is `manual`, and not by itself
 * at a place where the user just dismissed the suggestion with Esc.
 */
import * as vscode from 'vscode';
import type { DismissalTracker, Spot } from './dismissal';
import type { Snooze } from './snooze';

export function allowsSuggestion(
  parts: { snooze: Snooze; dismissal: DismissalTracker }, spot: Spot, context: vscode.InlineCompletionContext, trigger: string,
): boolean {
  const explicit = context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke;
  if (explicit) parts.dismissal.invoked();
  if (parts.snooze.active) return false;
  if (explicit) return true;
  return trigger !== 'manual' && !parts.dismissal.isDismissed(spot);
}
