/**
 * Worker-thread entry of the workspace index: parsing thousands of files must not run on the
 * extension host's event loop, where it would delay completion requests. It receives a folder (or
 * single files to refresh), indexes with its own parser instances, and posts plain FileEntry data.
 * Between files it rests for as long as the file took (half a core at most: the engine needs the rest).
 */
import { parentPort } from 'node:worker_threads';
import { Grammars } from './grammars';
import { indexFile, listSourceFiles, type ScanOptions } from './workspaceScanner';
import type { FileEntry } from './workspaceIndex';

export type ToIndexWorker =
  | { type: 'scan'; root: string; options?: ScanOptions }
  | { type: 'files'; root: string; paths: string[] }
  | { type: 'stop' };

export type FromIndexWorker =
  | { type: 'entry'; entry: FileEntry }
  | { type: 'missing'; path: string }
  | { type: 'done'; files: number; ms: number }
  | { type: 'error'; message: string };

const grammars = new Grammars();
let stopped = false;
const post = (m: FromIndexWorker) => parentPort?.postMessage(m);

async function run(root: string, paths: string[], options: ScanOptions = {}): Promise<void> {
  const started = performance.now();
  let files = 0;
  for (const rel of paths) {
    if (stopped) return;
    const t = performance.now();
    const entry = await indexFile(root, rel, grammars, options).catch(() => undefined);
    if (entry) {
      post({ type: 'entry', entry });
      files++;
    } else {
      post({ type: 'missing', path: rel });
    }
    const rest = performance.now() - t;
    await new Promise((resolve) => setTimeout(resolve, Math.min(200, rest)));
  }
  post({ type: 'done', files, ms: Math.round(performance.now() - started) });
}

parentPort?.on('message', (m: ToIndexWorker) => {
  if (m.type === 'stop') {
    stopped = true;
    grammars.dispose();
    parentPort?.close();
    return;
  }
  const work = m.type === 'scan'
    ? listSourceFiles(m.root, { ...m.options, isCancelled: () => stopped }).then((paths) => run(m.root, paths, m.options))
    : run(m.root, m.paths);
  work.catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
});
