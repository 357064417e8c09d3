/**
 * Walks a workspace folder with node fs and indexes each source file (definitions + imports),
 * yielding to the event loop between files. Skips dependency/build folders, .gitignore'd paths,
 * minified and huge files. Runs inside the index worker in the editor, in-process in benchmarks.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Tree } from 'web-tree-sitter';
import { looksMinified } from './documentTree';
import type { Grammars, LoadedGrammar } from './grammars';
import { GitIgnore, skipDirName, skipFileName } from './ignoreRules';
import { extractImports } from './imports';
import { languageOfPath } from './languages';
import { usedNames } from './nameUsage';
import { extractSymbols } from './symbols';
import type { FileEntry } from './workspaceIndex';

export interface ScanOptions {
  maxFiles?: number;
  maxFileBytes?: number;
  /** Parse budget per file. */
  parseMs?: number;
  /** Checked between files. */
  isCancelled?: () => boolean;
}

export interface ScanSummary {
  files: number;
  skipped: number;
  ms: number;
}

const DEFAULTS = { maxFiles: 5000, maxFileBytes: 512 * 1024, parseMs: 250 };

/** Workspace-relative source files, breadth-first, within the limits. */
export async function listSourceFiles(root: string, options: ScanOptions = {}): Promise<string[]> {
  const maxFiles = options.maxFiles ?? DEFAULTS.maxFiles;
  const found: string[] = [];
  const queue: { dir: string; ignores: GitIgnore[] }[] = [{ dir: '', ignores: [] }];
  while (queue.length && found.length < maxFiles) {
    if (options.isCancelled?.()) break;
    const { dir, ignores: inherited } = queue.shift()!;
    const abs = path.join(root, dir);
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(abs, { withFileTypes: true });
    } catch {
      continue;
    }
    const ignores = [...inherited];
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      const source = await fs.readFile(path.join(abs, '.gitignore'), 'utf8').catch(() => '');
      ignores.push(new GitIgnore(dir, source));
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      const isDir = e.isDirectory();
      if (isDir ? skipDirName(e.name) : !e.isFile() || skipFileName(e.name) || !languageOfPath(e.name)) continue;
      if (ignores.some((g) => g.ignores(g.base ? rel.slice(g.base.length + 1) : rel, isDir))) continue;
      if (isDir) queue.push({ dir: rel, ignores });
      else if (found.length < maxFiles) found.push(rel);
    }
  }
  return found;
}

/** A file's index entry from its parsed text: definitions, imports and the names its code uses. */
export function entryOf(grammar: LoadedGrammar, tree: Tree, relPath: string, languageId: string, text: string): FileEntry {
  return { path: relPath, languageId, defs: extractSymbols(grammar, tree, text), imports: extractImports(languageId, text), uses: usedNames(languageId, text) };
}

/** Definitions and imports of one file's text; undefined when it cannot be parsed in budget. */
export function indexText(grammar: LoadedGrammar, relPath: string, languageId: string, text: string, parseMs = DEFAULTS.parseMs): FileEntry | undefined {
  if (looksMinified(text)) return undefined;
  const deadline = performance.now() + parseMs;
  const tree = grammar.parser.parse(text, null, { progressCallback: () => performance.now() > deadline });
  if (!tree) {
    grammar.parser.reset();
    return undefined;
  }
  try {
    return entryOf(grammar, tree, relPath, languageId, text);
  } finally {
    tree.delete();
  }
}

/** Reads and indexes one file; undefined when skipped. */
export async function indexFile(root: string, relPath: string, grammars: Grammars, options: ScanOptions = {}): Promise<FileEntry | undefined> {
  const languageId = languageOfPath(relPath);
  if (!languageId) return undefined;
  const abs = path.join(root, relPath);
  const stat = await fs.stat(abs).catch(() => undefined);
  if (!stat?.isFile() || stat.size > (options.maxFileBytes ?? DEFAULTS.maxFileBytes)) return undefined;
  const grammar = await grammars.load(languageId);
  if (!grammar) return undefined;
  const text = await fs.readFile(abs, 'utf8').catch(() => undefined);
  if (text === undefined || text.includes('\u0000')) return undefined;
  return indexText(grammar, relPath, languageId, text, options.parseMs);
}

/** Indexes every source file under root, handing each entry to sink as it is done. */
export async function scanWorkspace(
  root: string, grammars: Grammars, sink: (entry: FileEntry) => void, options: ScanOptions = {},
): Promise<ScanSummary> {
  const started = performance.now();
  const files = await listSourceFiles(root, options);
  let indexed = 0;
  for (const rel of files) {
    if (options.isCancelled?.()) break;
    const entry = await indexFile(root, rel, grammars, options).catch(() => undefined);
    if (entry) {
      sink(entry);
      indexed++;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { files: indexed, skipped: files.length - indexed, ms: Math.round(performance.now() - started) };
}
