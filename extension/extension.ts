/** Activation: wires the controller, the inline completion provider, commands and settings. */
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { registerContextFeed } from './contextFeed';
import { Controller } from './controller';
import { InlineProvider } from './inlineProvider';
import { NextEdits } from './nextEdit';
import { registerMannersCommands } from './mannersCommands';
import { recommendModel } from './recommendation';
import { reportSettingsProblemsTo } from './settings';
import { noticeWorkspaceFileSettings } from './workspaceOverrides';

let controller: Controller | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Local Code Completion', { log: true });
  reportSettingsProblemsTo((problem) => {
    log.warn(`settings: ${problem}`);
    void vscode.window.showWarningMessage(`Local Completion: ${problem}`);
  });
  controller = new Controller(context, log);
  context.subscriptions.push(log, controller, ...registerCommands(controller), ...registerMannersCommands(controller), ...registerContextFeed(controller.contextLayer, log));
  const nextEdits = new NextEdits(controller);
  context.subscriptions.push(...nextEdits.register());
  context.subscriptions.push(
    vscode.languages.registerInlineCompletionItemProvider(
      // Any scheme (virtual workspaces too): completion needs only the document's text.
      [{ pattern: '**' }, { scheme: 'untitled' }],
      new InlineProvider(controller.pipeline, controller.backends.gate(controller.session), controller.providerEvents, nextEdits),
    ),
    vscode.workspace.onDidChangeConfiguration((e) => controller?.onConfigurationChanged(e)),
    vscode.window.onDidChangeTextEditorSelection(() => controller?.onSelectionChanged()),
  );
  await controller.initialize();
  controller.activationMs = Math.round(performance.now() - started);
  log.info(`activated in ${controller.activationMs} ms; model: ${controller.session.modelPath ?? 'none'} (loads on the first completion)`);
  if (!controller.session.modelPath && controller.backends.kind === 'builtin') void firstRunHint(context);
  else if (controller.usesBundledModel()) void recommendModel(controller);
  void noticeWorkspaceFileSettings(context, log);
}

export async function deactivate(): Promise<void> {
  await controller?.engine.stop();
  controller = undefined;
}

async function firstRunHint(context: vscode.ExtensionContext): Promise<void> {
  if (context.globalState.get('shownNoModelHint')) return;
  await context.globalState.update('shownNoModelHint', true);
  const choice = await vscode.window.showInformationMessage(
    'Local Code Completion needs a GGUF code model with fill-in-the-middle support. It runs on this machine; nothing is sent anywhere.',
    'Switch Model',
  );
  if (choice) await vscode.commands.executeCommand('localCompletion.switchModel');
}
