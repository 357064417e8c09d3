/**
 * In-host test of "Evaluate Models on This Workspace": the command runs with the model given as an
 * argument (no QuickPick), on the test window's workspace, and must open the report webview and
 * write the JSON report.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';

const REPORT_VIEW_TYPE = 'localCompletion.evaluationReport';

interface EvaluateResult {
  jsonPath: string;
  markdownPath: string;
  cancelled: boolean;
  report: { models: { label: string; error?: string; context?: { overall: { tasks: number } } }[] };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function reportTabOpen(): boolean {
  return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes(REPORT_VIEW_TYPE)));
}

export function evaluationTests(modelPath: () => string, log: (message: string) => void): { name: string; fn: () => Promise<void> }[] {
  return [{
    name: 'Evaluate Models on This Workspace: runs on the workspace, opens the report webview and writes the JSON',
    fn: async () => {
      const model = modelPath();
      const t0 = Date.now();
      const result = await Promise.race([
        vscode.commands.executeCommand<EvaluateResult | undefined>('localCompletion.evaluateModels', { models: [model], tasks: 6, seed: 1 }),
        sleep(180_000).then(() => 'timeout' as const),
      ]);
      assert.notEqual(result, 'timeout', 'the evaluation did not finish within 180 s');
      assert.ok(result && typeof result === 'object', 'the command returned no result');
      log(`evaluation done in ${Date.now() - t0} ms: ${result.jsonPath}`);
      assert.equal(result.cancelled, false);
      assert.ok(fs.existsSync(result.jsonPath), `JSON report ${result.jsonPath} exists`);
      const saved = JSON.parse(fs.readFileSync(result.jsonPath, 'utf8')) as EvaluateResult['report'];
      assert.equal(saved.models.length, 1);
      assert.equal(saved.models[0].error, undefined, `model error: ${saved.models[0].error}`);
      assert.ok((saved.models[0].context?.overall.tasks ?? 0) > 0, 'tasks were run');
      const end = Date.now() + 10_000;
      while (!reportTabOpen() && Date.now() < end) await sleep(200);
      assert.ok(reportTabOpen(), 'the report webview panel is open');
    },
  }];
}
