/**
 * Run by a FOREIGN Node (linux-arm64 under qemu, win32-x64 under Wine): forks the engine process
 * from an unpacked VSIX with that same Node, loads a model, asks for one FIM completion and prints
 * one JSON line: { info, result } or { error, stage }. Only Node built-ins: it runs on any Node.
 * Usage: node engineDriver.js <extension>/dist/engine.js <model.gguf>
 */
import { fork } from 'node:child_process';
import type { EngineToHost, FimRequest, HostToEngine, LoadOptions } from '../../models/engine/engineProtocol';

const [enginePath, modelPath] = process.argv.slice(2);
const started = Date.now();
const child = fork(enginePath, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: [] });
let stderr = '';
child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
child.stdout?.on('data', () => undefined);
const logs: string[] = [];
let stage = 'start';

const waitFor = (id: number) => new Promise<EngineToHost>((resolve, reject) => {
  const onMessage = (m: EngineToHost) => {
    if (m.type === 'log') { logs.push(`${m.level}: ${m.message}`); return; }
    if ('id' in m && m.id === id && m.type !== 'progress') { child.off('message', onMessage); resolve(m); }
  };
  child.on('message', onMessage);
  child.once('exit', (code, signal) => reject(new Error(`engine exited (${signal ?? code}) during ${stage}: ${stderr.slice(-2000)}`)));
});
const send = (m: HostToEngine) => child.send(m);
const done = (out: object) => {
  process.stdout.write(`${JSON.stringify({ ...out, ms: Date.now() - started, logs: logs.slice(-20) })}\n`, () => {
    child.kill();
    process.exit(0);
  });
};

async function main(): Promise<void> {
  const options: LoadOptions = { modelPath, contextSize: 512, threads: 2, gpu: 'auto', speculation: 'off' };
  stage = 'load';
  const loading = waitFor(1);
  send({ type: 'load', id: 1, options });
  const loaded = await loading;
  if (loaded.type !== 'loaded') return done({ stage, error: loaded.type === 'failed' ? loaded.error : loaded });
  stage = 'complete';
  const request: FimRequest = {
    prefix: 'function add(a, b) {\n  return ', suffix: ';\n}\n', maxPrefixTokens: 256, maxSuffixTokens: 32, maxTokens: 8, singleLine: false,
  };
  const completing = waitFor(2);
  send({ type: 'complete', id: 2, request });
  const completed = await completing;
  if (completed.type !== 'completed') return done({ stage, error: completed.type === 'failed' ? completed.error : completed });
  done({ info: loaded.info, result: completed.result });
}

main().catch((err: Error) => done({ stage, error: { message: err.message } }));
