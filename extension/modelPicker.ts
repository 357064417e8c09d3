/**
 * "Switch Model": one QuickPick with the bundled model, the installed models, the speculative
 * draft, the GGUF files other tools keep on this machine (unusable ones marked with the reason),
 * the catalog of recommended code models with advice for this machine, and a file picker.
 * It opens at once and fills in as the folders and headers are read.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { osHardware } from '../models/library/hardware';
import { gatherCatalogChoices, gatherServerChoices, type CatalogChoice, type LocalChoice, type LocalChoices, type ServerChoice } from '../models/library/modelChoices';
import { entryLabel, loadCatalog, ramNeeded } from '../models/library/modelCatalog';
import { formatBytes } from '../models/library/modelLocations';
import { describeSummary } from '../models/library/modelSummary';
import { recentModels } from './modelApply';
import { draftSummary } from './draftPicker';
import { hardware, installFolder, knownHardware, localModels } from './modelSources';

export type PickResult =
  | { kind: 'model'; path: string; displayName?: string }
  | { kind: 'download'; choice: CatalogChoice }
  | { kind: 'draft' }
  | { kind: 'server'; choice: ServerChoice };

interface Item extends vscode.QuickPickItem {
  result?: PickResult;
  problem?: string;
  chooseFile?: boolean;
}

export async function pickModel(
  context: vscode.ExtensionContext, log: vscode.LogOutputChannel, current: { modelPath?: string; draftPath?: string; server?: { url?: string; model?: string } },
): Promise<PickResult | undefined> {
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = 'Local Completion: Switch Model';
  qp.placeholder = 'Looking for models on this machine…';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.busy = true;
  qp.show();

  const catalog = loadCatalog();
  const folder = installFolder(context);
  let local: LocalChoices | undefined;
  let catalogChoices: CatalogChoice[] | undefined;
  let servers: ServerChoice[] = [];
  let done = false;
  const render = () => {
    if (done) return;
    const active = qp.activeItems[0]?.label;
    qp.items = [...serverItems(servers, current.server), ...buildItems(local, catalogChoices, current, recentModels(context))];
    // A refresh must not move the highlight away from what the user was on.
    const again = qp.items.find((i) => i.label === active && i.kind !== vscode.QuickPickItemKind.Separator);
    if (again) qp.activeItems = [again];
    qp.placeholder = 'Choose the code model for completions';
  };
  const hw = knownHardware(context) ?? osHardware();
  const loading = Promise.all([
    localModels(context, true).then((l) => { local = l; }),
    gatherCatalogChoices(catalog, hw, folder).then((c) => { catalogChoices = c; }),
    // Servers on this machine's default ports, asked now because the user opened this list.
    gatherServerChoices().then((s) => { servers = s; }, () => undefined),
  ]).then(render, (err) => {
    log.error(`listing models failed: ${err instanceof Error ? err.message : String(err)}`);
    local ??= { bundled: [], installed: [], discovered: [] };
    render();
  });
  // Without remembered hardware facts, ask node-llama-cpp (GPU, VRAM) and refine the advice once.
  const refined = hw.source === 'probe' ? Promise.resolve() : hardware(context, log).then(async (info) => {
    if (info.source !== 'probe') return;
    const better = await gatherCatalogChoices(catalog, info, folder);
    await loading;
    catalogChoices = better;
    render();
  });
  void Promise.allSettled([loading, refined]).then(() => { if (!done) qp.busy = false; });

  const picked = await new Promise<Item | undefined>((resolve) => {
    qp.onDidAccept(() => resolve(qp.selectedItems[0]));
    qp.onDidHide(() => resolve(undefined));
  });
  done = true;
  qp.dispose();
  if (!picked) return undefined;
  if (picked.problem) {
    void vscode.window.showWarningMessage(picked.problem);
    return undefined;
  }
  if (picked.chooseFile) {
    const uris = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Use this model', filters: { 'GGUF models': ['gguf'] } });
    return uris?.[0] ? { kind: 'model', path: uris[0].fsPath } : undefined;
  }
  return picked.result;
}

function buildItems(
  local: LocalChoices | undefined, catalog: CatalogChoice[] | undefined, current: { modelPath?: string; draftPath?: string }, recent: string[],
): Item[] {
  const items: Item[] = [];
  const section = (label: string) => items.push({ label, kind: vscode.QuickPickItemKind.Separator });
  const listed = new Set<string>();
  const addLocal = (title: string, list: LocalChoice[]) => {
    if (!list.length) return;
    section(title);
    // Usable first; the rest stay visible with the reason, so nobody wonders where a file went.
    for (const m of [...list.filter((x) => x.facts), ...list.filter((x) => !x.facts)]) {
      listed.add(m.path);
      items.push(localItem(m, m.path === current.modelPath));
    }
  };
  if (local) {
    addLocal('Bundled with the extension', local.bundled);
    addLocal('Installed', local.installed);
  }
  if (current.modelPath) {
    section('Speculative draft');
    items.push({ label: '$(zap) Draft model', description: draftSummary(current.draftPath), detail: 'Choose, pair automatically, or turn off', result: { kind: 'draft' } });
  }
  if (local) addLocal('Found on this machine', local.discovered);
  const installable = (catalog ?? []).filter((c) => !c.installedAt);
  if (installable.length) {
    section('Download a recommended code model');
    for (const c of installable) items.push(catalogItem(c));
  }
  const others = [current.modelPath, ...recent].filter((p): p is string => !!p && !listed.has(p));
  if (local && others.length) {
    section('Recently used');
    for (const p of [...new Set(others)]) {
      items.push({ label: `${p === current.modelPath ? '$(check) ' : ''}${path.basename(p).replace(/\.gguf$/i, '')}`, detail: p, result: { kind: 'model', path: p } });
    }
  }
  section('');
  items.push({ label: '$(folder-opened) Choose a GGUF file…', chooseFile: true, alwaysShow: true });
  return items;
}

function localItem(m: LocalChoice, active: boolean): Item {
  const where = m.origin === 'bundled' || m.origin === 'installed' ? '' : ` · ${m.originName}`;
  if (!m.facts) {
    return {
      label: `$(circle-slash) ${m.label}`,
      description: `${formatBytes(m.sizeBytes)}${where} · not usable`,
      detail: m.problem,
      problem: m.problem,
    };
  }
  const opaque = path.basename(m.path) !== m.label && m.origin === 'ollama';
  return {
    label: `${active ? '$(check) ' : ''}${m.label}`,
    description: `${describeSummary(m, formatBytes)}${where}`,
    detail: m.path,
    result: { kind: 'model', path: m.path, displayName: opaque ? m.label : undefined },
  };
}

function catalogItem(c: CatalogChoice): Item {
  const star = c.fit.fit === 'recommended' ? '$(star-full) ' : '';
  const pending = !c.pending ? '' : c.pending.totalBytes > 0
    ? ` · ${Math.floor((c.pending.bytes / c.pending.totalBytes) * 100)}% downloaded, resumes`
    : ` · ${formatBytes(c.pending.bytes)} downloaded, resumes`;
  return {
    label: `${star}$(cloud-download) ${entryLabel(c.entry)}`,
    description: `${formatBytes(c.entry.sizeBytes)} download · needs ~${formatBytes(ramNeeded(c.entry))} RAM${pending}`,
    detail: `${c.fit.reason}${c.entry.note ? `. ${c.entry.note}` : ''}`,
    result: { kind: 'download', choice: c },
  };
}

/** Models served on this machine (Ollama, LM Studio, llama-server), first: they answer without loading. */
function serverItems(servers: ServerChoice[], current?: { url?: string; model?: string }): Item[] {
  if (!servers.length) return [];
  const items: Item[] = [{ label: 'Servers running on this machine', kind: vscode.QuickPickItemKind.Separator }];
  for (const s of servers) {
    const active = current?.url === s.url && (current.model ?? '') === s.model;
    items.push({
      label: `${active ? '$(check) ' : ''}$(server) ${s.model}`,
      description: `${s.server} · ${s.url}`,
      detail: 'Completions from this server (stays on this machine: loopback)',
      result: { kind: 'server', choice: s },
    });
  }
  return items;
}
