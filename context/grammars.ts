/**
 * Loads web-tree-sitter and the grammars lazily, one language at a time (all twelve at once cost
 * ~100 ms and ~70 MB). Assets are found next to the bundle (dist/grammars/<package>/...) in the
 * packaged extension, or in node_modules when running from out/ (tests, benchmarks).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, Query } from 'web-tree-sitter';
import { extraTagPatterns } from './extraTags';
import { languageSpec } from './languages';

export interface LoadedGrammar {
  languageId: string;
  language: Language;
  /** One parser per language; parsing is synchronous, so sharing it is safe. */
  parser: Parser;
  /** Definitions query: the grammar's own tags.scm plus patterns it lacks (extraTags.ts). */
  tags: Query;
  /** A second parser for background parses in slices (see DocumentTree.parseInSlices). */
  backgroundParser: Parser;
}

/** Where a file of a package lives: dist/grammars/<pkg>/<file> when bundled, else node_modules. */
export function locateAsset(pkg: string, file: string): string | undefined {
  for (const base of assetRoots()) {
    const candidate = path.join(base, pkg, file);
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

let roots: string[] | undefined;
function assetRoots(): string[] {
  if (roots) return roots;
  roots = [path.join(__dirname, 'grammars')];
  // From out/context/ (or any depth), the nearest node_modules up the tree.
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const nm = path.join(dir, 'node_modules');
    if (fs.existsSync(nm)) roots.push(nm);
    if (path.dirname(dir) === dir) break;
  }
  return roots;
}

let runtime: Promise<void> | undefined;

function initRuntime(): Promise<void> {
  runtime ??= (async () => {
    const wasm = locateAsset('web-tree-sitter', 'web-tree-sitter.wasm');
    await Parser.init(wasm ? { locateFile: () => wasm } : undefined);
  })();
  return runtime;
}

export class Grammars {
  private readonly loading = new Map<string, Promise<LoadedGrammar | undefined>>();
  private readonly ready = new Map<string, LoadedGrammar>();
  /** Why a language could not load (missing asset, bad wasm), for the log. */
  readonly failures = new Map<string, string>();

  /** The grammar if it is already loaded: the keystroke path never waits for a load. */
  get(languageId: string): LoadedGrammar | undefined {
    return this.ready.get(languageId);
  }

  load(languageId: string): Promise<LoadedGrammar | undefined> {
    let pending = this.loading.get(languageId);
    if (!pending) {
      pending = this.loadNow(languageId).catch((err: unknown) => {
        this.failures.set(languageId, err instanceof Error ? err.message : String(err));
        return undefined;
      });
      this.loading.set(languageId, pending);
    }
    return pending;
  }

  private async loadNow(languageId: string): Promise<LoadedGrammar | undefined> {
    const spec = languageSpec(languageId);
    if (!spec) return undefined;
    await initRuntime();
    const wasmPath = locateAsset(spec.grammarPackage, spec.wasm);
    if (!wasmPath) throw new Error(`grammar ${spec.grammarPackage}/${spec.wasm} not found`);
    const language = await Language.load(wasmPath);
    const parser = new Parser();
    parser.setLanguage(language);
    const backgroundParser = new Parser();
    backgroundParser.setLanguage(language);
    const grammar = { languageId, language, parser, backgroundParser, tags: buildTagsQuery(language, languageId, spec.tagsFrom) };
    this.ready.set(languageId, grammar);
    return grammar;
  }

  dispose(): void {
    for (const g of this.ready.values()) {
      g.tags.delete();
      g.parser.delete();
      g.backgroundParser.delete();
    }
    this.ready.clear();
    this.loading.clear();
  }
}

function buildTagsQuery(language: Language, languageId: string, packages: string[]): Query {
  const sources: string[] = [];
  for (const pkg of packages) {
    const file = locateAsset(pkg, 'queries/tags.scm');
    if (file) sources.push(fs.readFileSync(file, 'utf8'));
  }
  // Each extra pattern is checked on its own, so one that a grammar version rejects costs only itself.
  for (const pattern of extraTagPatterns(languageId)) {
    try {
      new Query(language, pattern).delete();
      sources.push(pattern);
    } catch { /* node type not in this grammar version */ }
  }
  try {
    return new Query(language, sources.join('\n'));
  } catch {
    return new Query(language, sources.slice(packages.length).join('\n') || '(ERROR) @ignore');
  }
}

/** One process-wide set: grammars are immutable and parsers are reused. */
export const sharedGrammars = new Grammars();
