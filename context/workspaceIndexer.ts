/**
 * Keeps the WorkspaceIndex filled from disk without touching the host's event loop: a worker
 * thread scans the folder once, then refreshes files the editor reports as created, changed or
 * deleted (batched). The worker exits when idle, so its parsers hold no memory meanwhile.
 * Open documents are indexed by the DocumentStore instead (their text may be unsaved).
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromIndexWorker, ToIndexWorker } from './indexWorker';
import type { ScanOptions } from './workspaceScanner';
import type { WorkspaceIndex } from './workspaceIndex';

export interface IndexerLog {
  info(message: string): void;
  warn(message: string): void;
}

const BATCH_MS = 1500;

export class WorkspaceIndexer {
  private worker?: Worker;
  private pending = new Set<string>();
  private timer?: NodeJS.Timeout;
  private busy = false;
  scanned?: Promise<void>;

  constructor(
    private readonly index: WorkspaceIndex,
    readonly root: string,
    private readonly log?: IndexerLog,
    /** Paths open in the editor: the DocumentStore owns their entries (their text may be unsaved). */
    private readonly isOpen: (relPath: string) => boolean = () => false,
    private readonly workerPath = path.join(__dirname, 'indexWorker.js'),
    /**
     * Put before every path this indexer reports (`other/` for a second folder of a multi-root
     * workspace, whose paths are relative to the folders' common parent); '' for one folder.
     */
    readonly prefix = '',
  ) {}

  /** Indexes the whole folder in the background; resolves when done. */
  start(options: ScanOptions = {}): Promise<void> {
    this.scanned ??= this.runWorker({ type: 'scan', root: this.root, options });
    return this.scanned;
  }

  /** A file was created, changed or deleted on disk (path as the index holds it, prefix included). */
  fileChanged(relPath: string): void {
    this.pending.add(relPath.startsWith(this.prefix) ? relPath.slice(this.prefix.length) : relPath);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), BATCH_MS);
    this.timer.unref?.();
  }

  private flush(): void {
    if (this.busy) {
      this.fileChanged([...this.pending][0] ?? '');
      return;
    }
    const paths = [...this.pending].filter(Boolean);
    this.pending.clear();
    if (paths.length) void this.runWorker({ type: 'files', root: this.root, paths });
  }

  private runWorker(message: ToIndexWorker): Promise<void> {
    this.busy = true;
    return new Promise<void>((resolve) => {
      const worker = this.worker = new Worker(this.workerPath);
      worker.unref();
      const finish = () => {
        this.busy = false;
        if (this.worker === worker) this.worker = undefined;
        worker.postMessage({ type: 'stop' } satisfies ToIndexWorker);
        resolve();
      };
      worker.on('message', (m: FromIndexWorker) => {
        if (m.type === 'entry' && !this.isOpen(this.prefix + m.entry.path)) this.index.set({ ...m.entry, path: this.prefix + m.entry.path });
        else if (m.type === 'missing' && !this.isOpen(this.prefix + m.path)) this.index.remove(this.prefix + m.path);
        else if (m.type === 'done') {
          if (message.type === 'scan') this.log?.info(`workspace index: ${m.files} files in ${m.ms} ms`);
          finish();
        } else if (m.type === 'error') {
          this.log?.warn(`workspace index: ${m.message}`);
          finish();
        }
      });
      worker.on('error', (err) => {
        this.log?.warn(`workspace index worker failed: ${err.message}`);
        finish();
      });
      worker.on('exit', () => { if (this.busy && this.worker === worker) finish(); });
      worker.postMessage(message);
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
