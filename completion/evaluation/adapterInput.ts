/**
 * The pipeline input the editor adapter (extension/inlineProvider.ts readAround) would give for a
 * task's cursor: a generous number of lines on each side, which the pipeline cuts to its budget.
 * Shared by the evaluation and bench/context so both see what the editor sends.
 */
import type { CompletionInput } from '../completionPipeline';
import type { FimTask } from './sampleTasks';

/** The adapter reads this many lines around the cursor. */
const PREFIX_LINES = 400;
const SUFFIX_LINES = 100;

export function adapterInput(task: Pick<FimTask, 'prefix' | 'suffix' | 'languageId'>, uri: string | undefined): CompletionInput {
  return {
    prefix: lastLines(task.prefix, PREFIX_LINES), suffix: firstLines(task.suffix, SUFFIX_LINES),
    languageId: task.languageId, uri, offset: task.prefix.length,
  };
}

function lastLines(text: string, n: number): string {
  let at = text.length;
  for (let i = 0; i < n && at > 0; i++) at = text.lastIndexOf('\n', at - 1);
  return at <= 0 ? text : text.slice(at + 1);
}

function firstLines(text: string, n: number): string {
  let at = -1;
  for (let i = 0; i < n; i++) {
    at = text.indexOf('\n', at + 1);
    if (at < 0) return text;
  }
  return text.slice(0, at);
}
