/**
 * Host side of model validation. The cheap checks (absolute path, a regular file, the GGUF magic,
 * a bounded walk over the header's structure: ggufStructure.ts) run here in plain TypeScript; the GGUF header itself is parsed in a short-lived child process
 * (validatorProcess.ts) that checks a whole batch of files and answers over IPC. A file that
 * crashes or hangs the reader costs that child only: the file is refused with a message, a fresh
 * child takes the rest of the batch, and the extension host never loads native llama.cpp code.
 */
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EngineError, type EngineErrorInfo } from './engineProtocol';
import { checkGgufStructure } from './ggufStructure';
import { checkModelFileBasics, type ModelFileFacts } from './modelFileFacts';

/** raw: skip the structure walk, so the GGUF reader sees the file as it is (the fuzz test counts its crashes). */
export type HostToValidator = { type: 'validate'; paths: string[]; raw?: boolean };
export type ValidatorToHost =
  | { type: 'ready' }
  | { type: 'result'; index: number; facts?: ModelFileFacts; error?: EngineErrorInfo }
  | { type: 'done' };

export interface Validated {
  path: string;
  /** Present when the file can be used for completion. */
  facts?: ModelFileFacts;
  /** Why it cannot, in words that say what to do. */
  error?: EngineErrorInfo;
  /** The validator process died or hung on this file (a signal, an exit code or the timeout). */
  crashed?: string;
}

export interface ValidatorOptions {
  /** The validator's entry script; by default dist/validator.js beside the host bundle. */
  script?: string;
  /** Longest wait for one file's answer (the first includes the child's start), default 15 s. */
  fileTimeoutMs?: number;
  /** false: no structure walk here or in the child (only to measure the reader itself). */
  structureCheck?: boolean;
}

const DEFAULT_FILE_TIMEOUT_MS = 15_000;

/** dist/validator.js next to dist/extension.js; validatorProcess.js next to this file in out/. */
export function defaultValidatorScript(): string {
  const bundled = path.join(__dirname, 'validator.js');
  return fs.existsSync(bundled) ? bundled : path.join(__dirname, 'validatorProcess.js');
}

/** Never throws: every file comes back with facts or with an error message. */
export async function validateModelFiles(paths: readonly string[], options: ValidatorOptions = {}): Promise<Validated[]> {
  const results: (Validated | undefined)[] = new Array(paths.length);
  for (let i = 0; i < paths.length; i++) {
    try {
      const size = await checkModelFileBasics(paths[i]);
      if (options.structureCheck !== false) await checkGgufStructure(paths[i], size);
    } catch (err) {
      results[i] = { path: paths[i], error: errorInfo(err) };
    }
  }
  let todo = paths.map((_, i) => i).filter((i) => !results[i]);
  const script = options.script ?? defaultValidatorScript();
  const timeoutMs = options.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS;
  while (todo.length) {
    const run = await runChild(script, todo.map((i) => paths[i]), timeoutMs, options.structureCheck === false);
    for (const a of run.answers) results[todo[a.index]] = { path: paths[todo[a.index]], facts: a.facts, error: a.error };
    const rest = todo.filter((i) => !results[i]);
    if (!rest.length) break;
    if (!run.started) {
      // Not one file's fault: the validator itself cannot run here.
      for (const i of rest) {
        results[i] = { path: paths[i], error: { code: 'internal', message: `The model validator could not start (${run.failure}). Reinstall the extension.` } };
      }
      break;
    }
    const culprit = rest[0];
    const what = run.timedOut ? `did not finish within ${Math.round(timeoutMs / 1000)} s` : `crashed the GGUF reader (${run.failure})`;
    results[culprit] = {
      path: paths[culprit],
      crashed: run.failure,
      error: { code: 'model-not-gguf', message: `${paths[culprit]} is damaged: reading its GGUF header ${what}. Download the model again or choose another file.` },
    };
    todo = rest.slice(1);
  }
  return results as Validated[];
}

/** One file: its facts, or an EngineError that says what is wrong and what to do. */
export async function validateModelFile(modelPath: string, options: ValidatorOptions = {}): Promise<ModelFileFacts> {
  const [result] = await validateModelFiles([modelPath], options);
  if (result.facts) return result.facts;
  throw new EngineError(result.error?.code ?? 'internal', result.error?.message ?? `${modelPath} could not be checked.`);
}

interface ChildRun {
  answers: Array<{ index: number; facts?: ModelFileFacts; error?: EngineErrorInfo }>;
  /** The child said it was ready (it loaded): a later death is the current file's doing. */
  started: boolean;
  timedOut: boolean;
  failure?: string;
}

function runChild(script: string, paths: string[], timeoutMs: number, raw: boolean): Promise<ChildRun> {
  return new Promise((resolve) => {
    const run: ChildRun = { answers: [], started: false, timedOut: false };
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const child = fork(script, [], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      // A huge array count in a header must exhaust the child's heap, not the machine's memory.
      execArgv: ['--max-old-space-size=1024'],
      // Inside desktop VS Code execPath is Electron: make it behave as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        run.timedOut = true;
        run.failure = `no answer within ${timeoutMs} ms`;
        child.kill('SIGKILL');
      }, timeoutMs);
    };
    arm();
    child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
    child.on('message', (m: ValidatorToHost) => {
      if (m.type === 'ready') {
        run.started = true;
        child.send({ type: 'validate', paths, raw } satisfies HostToValidator);
        arm();
      } else if (m.type === 'result') {
        run.answers.push({ index: m.index, facts: m.facts, error: m.error });
        arm();
      } else if (m.type === 'done') {
        clearTimeout(timer);
      }
    });
    child.on('error', (err) => {
      run.failure ??= err.message;
      // A process that never spawned sends no 'exit'.
      if (child.pid === undefined) {
        clearTimeout(timer);
        resolve(run);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (run.answers.length < paths.length && !run.failure) {
        const lines = stderr.split('\n').map((l) => l.replace(/^[\s#]+/, '')).filter(Boolean);
        const last = lines.find((l) => /Assertion failed|FATAL|out of memory|Error/.test(l)) ?? lines.at(-1);
        run.failure = `${signal ? `signal ${signal}` : `exit code ${code}`}${last ? `: ${last.slice(0, 200)}` : ''}`;
      }
      resolve(run);
    });
  });
}

function errorInfo(err: unknown): EngineErrorInfo {
  if (err instanceof EngineError) return { code: err.code, message: err.message };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}
