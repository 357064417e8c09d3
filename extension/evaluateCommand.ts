/**
 * "Evaluate Models on This Workspace": the current model and the models chosen in a multi-select
 * QuickPick, measured on tasks sampled from the workspace's own files (completion/evaluation/).
 * Inference runs in a separate engine process, so the editor and live completions carry on; the
 * run shows progress with cancel; the report opens in a webview (strict CSP, no remote resources)
 * with a "Use this model" button, and the JSON and Markdown are saved in the extension's storage.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Grammars } from '../context/grammars';
import { evaluateModels, modelLabel, type EvaluationReport, type ModelUnderTest } from '../completion/evaluation/runner';
import { renderHtml } from '../completion/evaluation/reportHtml';
import { renderMarkdown } from '../completion/evaluation/reportMarkdown';
import { sampleTaskSet } from '../completion/evaluation/taskSet';
import { EngineClient } from '../models/engine/engineClient';
import type { Controller } from './controller';
import { localModels } from './modelSources';
import { readModelChoice, readSettings, setUserSetting } from './settings';
import { rememberCalibratedConfidence } from './confidenceMemory';

export const REPORT_VIEW_TYPE = 'localCompletion.evaluationReport';

/** Arguments for callers that choose without asking (tests, keybindings). */
export interface EvaluateArgs {
  models?: (string | ModelUnderTest)[];
  tasks?: number;
  seed?: number;
  /** Run without the prefix/suffix-only baseline (half the time). */
  noBaseline?: boolean;
}

export interface EvaluateResult {
  jsonPath: string;
  markdownPath: string;
  cancelled: boolean;
  report: EvaluationReport;
}

const DEFAULT_TASKS = 60;

export async function evaluateWorkspace(controller: Controller, args: EvaluateArgs = {}): Promise<EvaluateResult | undefined> {
  const { context, log } = controller;
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  if (!folder) {
    void vscode.window.showErrorMessage('Local Completion: open a folder on this machine to evaluate models on its code.');
    return undefined;
  }
  const models = args.models?.map((m) => (typeof m === 'string' ? { path: m } : m)) ?? await chooseModels(controller);
  if (!models?.length) return undefined;
  const root = folder.uri.fsPath;
  const choice = readModelChoice(undefined);
  const settings = { ...readSettings(), deadlineMs: 0 };
  const engine = new EngineClient({ enginePath: path.join(context.extensionPath, 'dist', 'engine.js'), log });
  const grammars = new Grammars();
  log.info(`evaluating ${models.map(modelLabel).join(', ')} on ${root}`);
  try {
    const report = await vscode.window.withProgress({
      location: vscode.ProgressLocation.Notification, title: 'Evaluating models on this workspace', cancellable: true,
    }, async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      progress.report({ message: 'sampling tasks…' });
      const seed = args.seed ?? 1;
      const set = await sampleTaskSet(root, grammars, { tasks: args.tasks ?? DEFAULT_TASKS, seed, signal: abort.signal });
      if (!set.tasks.length) throw new Error('no completion tasks could be sampled from this workspace (no supported source files?)');
      let last = 0;
      return evaluateModels({
        root, tasks: set.tasks, seed, models, engine, grammars, settings, baseline: !args.noBaseline, signal: abort.signal,
        load: { contextSize: choice.contextSize, threads: choice.threads, gpu: choice.gpu, speculation: choice.speculation },
        onProgress: (p) => {
          const at = p.total ? (100 * p.done) / p.total : 0;
          progress.report({ message: `${p.message} (${p.done}/${p.total})`, increment: at - last });
          last = at;
        },
      });
    });
    const dir = path.join(context.globalStorageUri.fsPath, 'evaluations');
    await fs.mkdir(dir, { recursive: true });
    const stamp = report.createdAt.replace(/[:.]/g, '-');
    const jsonPath = path.join(dir, `evaluation-${stamp}.json`);
    const markdownPath = path.join(dir, `evaluation-${stamp}.md`);
    await fs.writeFile(jsonPath, JSON.stringify(report, null, 2));
    await fs.writeFile(markdownPath, renderMarkdown(report));
    log.info(`evaluation ${report.cancelled ? 'cancelled' : 'done'} in ${report.totalMs} ms; report ${jsonPath}`);
    if (report.cancelled) {
      void vscode.window.showInformationMessage('Local Completion: evaluation cancelled.');
    } else {
      showReport(report, log);
      void offerThresholds(report, log);
    }
    return { jsonPath, markdownPath, cancelled: report.cancelled, report };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log.error(`evaluation failed: ${message}`);
    void vscode.window.showErrorMessage(`Local Completion: evaluation failed: ${message}`);
    return undefined;
  } finally {
    await engine.stop().catch(() => undefined);
    grammars.dispose();
  }
}

/** The current model (and its draft) preselected, plus every usable model the picker knows. */
async function chooseModels(controller: Controller): Promise<ModelUnderTest[] | undefined> {
  interface Item extends vscode.QuickPickItem { model: ModelUnderTest }
  const current = controller.session.modelPath;
  const draft = controller.snapshot().draftModelPath;
  const items: Item[] = [];
  if (current) {
    items.push({ label: `$(check) ${modelLabel({ path: current })}`, description: 'current model', detail: current, picked: true, model: { path: current } });
    if (draft) items.push({ label: modelLabel({ path: current, draftPath: draft }), description: 'current model + speculative draft', detail: draft, picked: true, model: { path: current, draftPath: draft } });
  }
  const local = await localModels(controller.context).catch(() => undefined);
  const seen = new Set(current ? [current] : []);
  for (const m of local ? [...local.bundled, ...local.installed, ...local.discovered] : []) {
    if (!m.facts || seen.has(m.path)) continue;
    seen.add(m.path);
    items.push({ label: m.label, description: m.originName, detail: m.path, model: { path: m.path } });
  }
  if (!items.length) {
    void vscode.window.showErrorMessage('Local Completion: no local model to evaluate. Use Switch Model to add one.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true, title: 'Evaluate Models on This Workspace', placeHolder: 'Models to compare (they run on this machine, one after another)',
  });
  return picked?.map((p) => p.model);
}

/**
 * For each evaluated model (without a draft: the gate does not depend on it), offer to keep the
 * recommended confidence threshold; `localCompletion.minConfidence: auto` then uses it for that model.
 */
async function offerThresholds(report: EvaluationReport, log: vscode.LogOutputChannel): Promise<void> {
  for (const m of report.models) {
    const rec = m.gate?.recommended;
    if (!rec || m.draftPath || m.error) continue;
    const save = 'Save for this model';
    const choice = await vscode.window.showInformationMessage(
      `Local Completion: confidence threshold ${rec.threshold} recommended for ${m.label} (${rec.reason}).`, save);
    if (choice !== save) continue;
    await rememberCalibratedConfidence(m.path, rec.threshold);
    log.info(`confidence threshold ${rec.threshold} saved for ${m.path} (used while localCompletion.minConfidence is auto)`);
  }
}

function showReport(report: EvaluationReport, log: vscode.LogOutputChannel): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, 'Model Evaluation', vscode.ViewColumn.Active, {
    enableScripts: true, localResourceRoots: [],
  });
  panel.webview.html = renderHtml(report, { nonce: crypto.randomBytes(16).toString('base64'), interactive: true });
  panel.webview.onDidReceiveMessage(async (message: { type?: string; index?: unknown }) => {
    const model = message?.type === 'use' && typeof message.index === 'number' ? report.models[message.index] : undefined;
    if (!model) return;
    log.info(`evaluation report: switching to ${model.label}`);
    const switched = await vscode.commands.executeCommand<boolean>('localCompletion.switchModel', model.path);
    if (switched && model.draftPath) await setUserSetting('draftModelPath', model.draftPath);
    if (switched) void vscode.window.showInformationMessage(`Local Completion: now using ${model.label}.`);
  });
  return panel;
}
