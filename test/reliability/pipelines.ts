/**
 * The two pipelines the editor can run, on a real engine: plain text windows, and the tree-sitter
 * context as the extension assembles it (ContextLayer: grammars, document store, workspace index,
 * context builder). Plus the adapter's cut of the document around the cursor (extension/inlineProvider.ts
 * readAround: 400 lines before, 100 after), without VS Code.
 */
import { CompletionPipeline, type CompletionInput, type FimBackend } from '../../completion/completionPipeline';
import { ContextLayer } from '../../completion/contextLayer';
import type { DocumentStore } from '../../context/documentStore';

export const SETTINGS = { maxTokens: 16, multiline: false, prefixTokens: 768, suffixTokens: 128, deadlineMs: 100 };

export interface Pipelines {
  plain: CompletionPipeline;
  syntax: CompletionPipeline;
  store: DocumentStore;
  layer: ContextLayer;
  /** Failures of the syntax path (the product falls back to plain text; tests want to see them). */
  errors: unknown[];
}

/** The extension's own assembly of the syntax context (ContextLayer), grammars loaded up front. */
export async function makePipelines(backend: FimBackend, preload: string[] = ['typescript', 'javascript', 'python']): Promise<Pipelines> {
  const errors: unknown[] = [];
  const layer = new ContextLayer({ onError: (err) => errors.push(err) });
  await Promise.all(preload.map((l) => layer.grammars.load(l)));
  return { plain: new CompletionPipeline(backend), syntax: new CompletionPipeline(backend, { context: layer.source }), store: layer.store, layer, errors };
}

/** What the inline provider reads around a cursor at `offset` in `text`. */
export function aroundCursor(text: string, offset: number, languageId: string, uri?: string): CompletionInput {
  let start = offset;
  for (let lines = 0; start > 0; start--) if (text.charCodeAt(start - 1) === 10 && ++lines > 400) break;
  let end = offset;
  for (let lines = 0; end < text.length; end++) if (text.charCodeAt(end) === 10 && ++lines > 100) break;
  return { prefix: text.slice(start, offset), suffix: text.slice(offset, end), languageId, uri, offset };
}

/** Longest stall of this process's event loop while `work` runs (a 5 ms timer's lateness). */
export async function withLagMonitor<T>(work: () => Promise<T>): Promise<{ value: T; maxLagMs: number }> {
  let maxLagMs = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    maxLagMs = Math.max(maxLagMs, now - last - 5);
    last = now;
  }, 5);
  try {
    const value = await work();
    maxLagMs = Math.max(maxLagMs, performance.now() - last - 5);
    return { value, maxLagMs };
  } finally {
    clearInterval(timer);
  }
}
