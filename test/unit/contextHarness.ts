/**
 * Test harness for the context layer: a workspace of in-memory files (indexed with the real
 * grammars), documents opened with a cursor marker, and the pipeline's view of them (the plan the
 * context source makes and its post-processing). Not a test file itself.
 */
import type { PipelineSettings } from '../../completion/completionPipeline';
import type { ContextPlan } from '../../completion/contextSource';
import { SyntaxContextSource } from '../../completion/syntaxContextSource';
import { ContextBuilder } from '../../context/contextBuilder';
import { DocumentStore } from '../../context/documentStore';
import { Grammars } from '../../context/grammars';
import { languageOfPath } from '../../context/languages';
import { indexText } from '../../context/workspaceScanner';
import { WorkspaceIndex } from '../../context/workspaceIndex';
import { stopIndex } from '../../models/engine/stopRules';

/** Marks the cursor in test snippets (a character no language here uses). */
export const CURSOR = '‸';

export const SETTINGS: PipelineSettings = { maxTokens: 128, multiline: true, prefixTokens: 768, suffixTokens: 128 };

/** One Grammars per test process: loading a grammar takes 10-250 ms. */
export const grammars = new Grammars();

export interface Opened {
  uri: string;
  offset: number;
  prefix: string;
  suffix: string;
  plan: ContextPlan | { skip: string };
  /** The plan, asserting that it is not a skip. */
  request(): ContextPlan;
  /** Post-processing of a raw model output, as the engine's cut rules would deliver it. */
  finish(raw: string): string;
}

export class Workspace {
  readonly index = new WorkspaceIndex();
  readonly store = new DocumentStore(grammars, this.index);
  readonly builder = new ContextBuilder(this.store, this.index, 'demo');
  readonly source = new SyntaxContextSource(this.builder, grammars, { contextTokens: 1024 });
  private opened = 0;

  /** Adds files to the workspace index (as the background indexer would). */
  async add(files: Record<string, string>): Promise<void> {
    for (const [path, text] of Object.entries(files)) {
      const languageId = languageOfPath(path)!;
      const grammar = await grammars.load(languageId);
      const entry = grammar && indexText(grammar, path, languageId, text, 5000);
      if (entry) this.index.set(entry);
    }
  }

  /** Opens a document whose text contains one CURSOR marker and plans a completion there. */
  async open(path: string, marked: string, settings: PipelineSettings = SETTINGS, languageId = languageOfPath(path) ?? 'plaintext'): Promise<Opened> {
    const offset = marked.indexOf(CURSOR);
    if (offset < 0) throw new Error('no cursor marker');
    const text = marked.replace(CURSOR, '');
    await grammars.load(languageId);
    const uri = `file:///ws/${path}#${this.opened++}`;
    this.store.open({ uri, languageId, text, path });
    this.store.settle(uri);
    const prefix = text.slice(0, offset);
    const suffix = text.slice(offset);
    const plan = this.source.plan({ prefix, suffix, languageId, uri, offset }, settings);
    const request = () => {
      if ('skip' in plan) throw new Error(`skipped: ${plan.skip}`);
      return plan;
    };
    return { uri, offset, prefix, suffix, plan, request, finish: (raw) => request().finish(engineCut(raw, request())) };
  }
}

/** The engine's decode-loop cut: the first line, or the stop rule (models/engine/stopRules.ts). */
export function engineCut(raw: string, plan: ContextPlan): string {
  const r = plan.request;
  let lineEnd = -1;
  if (r.singleLine) {
    for (let start = 0; ;) {
      const nl = raw.indexOf('\n', start);
      if (nl < 0) break;
      if (raw.slice(0, nl).trim() !== '') { lineEnd = nl; break; }
      start = nl + 1;
    }
  }
  const ruleEnd = r.stop ? stopIndex(raw, r.stop) : -1;
  const cuts = [lineEnd, ruleEnd].filter((c) => c >= 0);
  return cuts.length ? raw.slice(0, Math.min(...cuts)) : raw;
}
