/**
 * Helpers of the in-editor reliability tests (test/suite/reliability*.ts): the extension's status
 * snapshot, waiting, triggering a completion and waiting until the extension has answered (or
 * VS Code did not ask), and how long the extension host's event loop stalls meanwhile.
 */
import * as vscode from 'vscode';

export const EXTENSION_ID = 'localcompletion.local-code-completion';

export interface Snapshot {
  state: string;
  model?: string;
  modelPath?: string;
  lastCompletion?: string;
  lastLatencyMs?: number;
  completions: number;
  requests?: number;
  accepted?: number;
  engineRestarts: number;
  enginePid?: number;
  lastError?: string;
  lastRestart?: string;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const out = (msg: string) => console.log(`[suite] ${msg}`);

export async function snapshot(): Promise<Snapshot> {
  const s = await vscode.commands.executeCommand<Snapshot>('localCompletion.statusSnapshot');
  if (!s || typeof s !== 'object') throw new Error('localCompletion.statusSnapshot returned no snapshot');
  return s;
}

/** Polls until fn gives a value; an error thrown meanwhile is retried (and named if time runs out). */
export async function waitFor<T>(fn: () => Promise<T | undefined | false | null> | T | undefined | false | null, ms: number, what: string, every = 50): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) {
      throw new Error(`timeout after ${ms} ms: ${what}; snapshot ${JSON.stringify(await snapshot().catch(String))}${last ? `; last error ${String(last)}` : ''}`);
    }
    await sleep(every);
  }
}

export async function activeExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
  await ext.activate();
  return ext;
}

export type Answer = 'completion' | 'answered empty' | 'not asked';

/**
 * Triggers inline completion and waits until a completion was shown, or the provider was asked and
 * the engine has been quiet for 500 ms (a blank answer), or `ms` passed with no request at all
 * (VS Code did not ask: read-only editors, documents it does not sync).
 */
export async function triggerAndSettle(ms: number): Promise<{ answer: Answer; tookMs: number; snapshot: Snapshot }> {
  const s0 = await snapshot();
  const t0 = Date.now();
  await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
  let quietSince = 0;
  for (;;) {
    const s = await snapshot();
    if (s.completions > s0.completions) return { answer: 'completion', tookMs: Date.now() - t0, snapshot: s };
    const asked = (s.requests ?? 0) > (s0.requests ?? 0);
    if (asked && s.state !== 'loading' && s.state !== 'generating') {
      quietSince ||= Date.now();
      if (Date.now() - quietSince >= 500) return { answer: 'answered empty', tookMs: quietSince - t0, snapshot: s };
    } else {
      quietSince = 0;
    }
    if (!asked && Date.now() - t0 > ms) return { answer: 'not asked', tookMs: Date.now() - t0, snapshot: s };
    if (Date.now() - t0 > ms * 3) throw new Error(`no answer within ${ms * 3} ms; snapshot ${JSON.stringify(s)}`);
    await sleep(25);
  }
}

/** The longest stall of the extension host's event loop while `work` runs (a 10 ms timer's lateness). */
export async function hostLag<T>(work: () => Promise<T>): Promise<{ value: T; lagMs: number }> {
  let lagMs = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    lagMs = Math.max(lagMs, now - last - 10);
    last = now;
  }, 10);
  try {
    const value = await work();
    return { value, lagMs: Math.max(lagMs, performance.now() - last - 10) };
  } finally {
    clearInterval(timer);
  }
}

/** Opens a document in an editor with the cursor at `offset`. */
export async function showAt(doc: vscode.TextDocument, offset: number): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  const pos = doc.positionAt(offset);
  editor.selection = new vscode.Selection(pos, pos);
  return editor;
}

export async function writeWorkspaceFile(name: string, content: string | Uint8Array): Promise<vscode.Uri> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the test window must have a workspace folder');
  const uri = vscode.Uri.joinPath(folder.uri, name);
  await vscode.workspace.fs.writeFile(uri, typeof content === 'string' ? Buffer.from(content) : content);
  return uri;
}
