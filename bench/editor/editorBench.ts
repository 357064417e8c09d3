/**
 * bench:editor — keystroke → ghost text in a real editor (code-server + chromium, the e2e harness),
 * the same typing script for: our extension over llama-server, llama.vscode (built from its source,
 * checked out outside this repo) over the same llama-server and model, and our extension with its
 * built-in engine. One extension installed per run, fresh user-data each, a fresh llama-server
 * (same binary, model and flags) per server run so that no run inherits another's prompt cache.
 *
 * npm run bench:editor -- [--llama-vscode DIR] [--json OUT] [--file F] [--jumps N] [--settle-ms MS]
 *   [--rows ours-server,llama-vscode,ours-builtin,ours-server-60s] [--skip-package] [--seed N] [--model ID|PATH]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';
import { cachedRealModel } from '../../models/network/packageIndex/realModels';
import { repoRoot } from '../../models/gguf/paths';
import { llamaServerBinary } from '../../test/servers/llamaServerProcess';
import { log } from '../../test/e2e/lib';
import { e2eTools } from './codeServer';
import { printTable } from './report';
import { runRow, SERVER_FLAGS, type RowName, type RowResult } from './runRow';
import { buildScript } from './typingScript';

const ROWS: RowName[] = ['ours-server', 'llama-vscode', 'ours-builtin'];
/** Asked for by name only (--rows). */
const EXTRA_ROWS: RowName[] = ['ours-server-60s'];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function sh(cmd: string, args: string[], what: string, timeoutMs: number): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`${what} failed (status ${r.status ?? r.signal}):\n${(r.stdout + r.stderr).slice(-2000)}`);
  return r.stdout.trim();
}

/** The peer's VSIX, or why there is none (the bench then runs our extension only). */
function llamaVscodeVsix(repo: string): { vsix?: string; commit?: string; why?: string } {
  const src = arg('--llama-vscode') ?? process.env.LLAMA_VSCODE_SRC;
  if (!src) return { why: 'no llama.vscode checkout given (--llama-vscode DIR or LLAMA_VSCODE_SRC)' };
  if (!fs.existsSync(src)) return { why: `llama.vscode source missing at ${src}` };
  const vsix = sh('bash', [path.join(repo, 'bench', 'editor', 'buildLlamaVscode.sh'), src], 'building llama.vscode', 10 * 60_000).split('\n').pop() ?? '';
  const commit = spawnSync('git', ['-C', src, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
  return { vsix, commit };
}

/**
 * --model: a real model's id (`npm run models:real` caches it) or a GGUF path; by default the generated
 * `qwen05b-shape` (Qwen2.5-Coder-0.5B's shapes, random weights: real speed, no real suggestions).
 */
async function benchModel(): Promise<{ path: string; randomWeights: boolean }> {
  const wanted = arg('--model');
  if (!wanted) return { path: await ensureGeneratedModel('qwen05b-shape'), randomWeights: true };
  if (/\.gguf$/i.test(wanted)) {
    if (!fs.existsSync(wanted)) throw new Error(`--model ${wanted}: no such file`);
    return { path: path.resolve(wanted), randomWeights: false };
  }
  const real = cachedRealModel(wanted);
  if (!real) throw new Error(`--model ${wanted}: not a GGUF path, and no real model of that id is cached (npm run models:real)`);
  return { path: real, randomWeights: false };
}

async function main(): Promise<void> {
  const repo = repoRoot();
  const started = new Date();
  const loadAtStart = os.loadavg().map((v) => Math.round(v * 100) / 100);
  const rows = (arg('--rows')?.split(',') ?? ROWS) as RowName[];
  for (const r of rows) if (![...ROWS, ...EXTRA_ROWS].includes(r)) throw new Error(`unknown row ${r} (rows: ${[...ROWS, ...EXTRA_ROWS].join(', ')})`);
  const file = path.resolve(arg('--file') ?? path.join(repo, 'node_modules', 'htmlparser2', 'dist', 'esm', 'Tokenizer.js'));
  const jumps = Number(arg('--jumps') ?? 6);
  const settleMs = Number(arg('--settle-ms') ?? 20_000);
  const seed = Number(arg('--seed') ?? 19);
  const out = arg('--json') ?? path.join(repo, 'bench', 'editor', 'results', `${started.toISOString().slice(0, 10)}-editor.json`);
  const script = buildScript(fs.readFileSync(file, 'utf8'), jumps);

  if (!process.argv.includes('--skip-package')) { log('npm run package (our VSIX)'); sh('npm', ['run', '--silent', 'package'], 'npm run package', 15 * 60_000); }
  const ourVsix = path.join(repo, 'local-code-completion-linux-x64.vsix');
  if (!fs.existsSync(ourVsix)) throw new Error(`${ourVsix} missing (npm run package)`);
  const peer = rows.includes('llama-vscode') ? llamaVscodeVsix(repo) : { why: 'not asked for (--rows)' };
  if (peer.why) log(`llama.vscode row skipped: ${peer.why}`);
  const { path: model, randomWeights } = await benchModel();
  log(`model ${model}${randomWeights ? ' (random weights)' : ''}`);
  const server = llamaServerBinary();
  if (!server) log('llama-server is not built (bash bench/peer/buildLlamaServer.sh): the server rows are skipped');
  const serverVersion = server ? spawnSync(server, ['--version'], { encoding: 'utf8' }).stderr.trim().split('\n').filter((l) => /version|built/.test(l)).join('; ') : undefined;
  const tools = e2eTools(repo);

  const results: RowResult[] = [];
  const skipped: Record<string, string> = {};
  for (const row of rows) {
    if (row === 'llama-vscode' && !peer.vsix) { skipped[row] = peer.why ?? 'no VSIX'; continue; }
    if (row !== 'ours-builtin' && !server) { skipped[row] = 'llama-server is not built'; continue; }
    log(`==== ${row}`);
    try {
      results.push(await runRow(row, {
        repo, tools, model, randomWeights, file, script, settleMs, seed, server,
        vsix: row === 'llama-vscode' ? peer.vsix! : ourVsix,
        work: path.join(repo, '.cache', 'editor-bench', row),
      }));
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      log(`${row} FAILED: ${why}`);
      skipped[row] = `failed: ${why.split('\n')[0]}`;
    }
    writeReport(); // after every row: a run cut short keeps the rows it finished
  }
  printTable(results, skipped);
  log(`JSON: ${path.relative(process.cwd(), out)}`);
  if (results.length === 0) process.exitCode = 1;

  function writeReport(): void {
    const report = {
      date: started.toISOString(),
      machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), loadavgAtStart: loadAtStart },
      model: { name: path.basename(model), bytes: fs.statSync(model).size, randomWeights },
      llamaServer: server ? { version: serverVersion, flags: SERVER_FLAGS } : undefined,
      llamaVscode: peer.vsix ? { vsix: path.basename(peer.vsix), commit: peer.commit } : { skipped: peer.why },
      editor: 'code-server 4.139.1 (VS Code 1.139.1), Debian chromium headless via playwright-core',
      file: path.relative(repo, file), script: { seed, settleMs, places: script },
      rows: results, skipped,
    };
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  }
}

main().then(() => process.exit(), (e: unknown) => {
  console.error(`bench:editor failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
