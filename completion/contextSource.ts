/**
 * The seam between the pipeline and whatever knows the code around the cursor. The pipeline asks
 * a context source for the request to send (prefix/suffix windows, context snippets, one line or a
 * block and where a block stops) and for the function that turns the model's raw text into the
 * suggestion. Without one, the pipeline uses its plain-text windows and post-processing.
 */
import type { FimRequest } from '../models/engine/engineProtocol';
import type { CompletionInput, PipelineSettings } from './pipelineTypes';
import { postprocess } from './postprocess';
import { windowPrefix, windowSuffix } from '../context/promptWindows';

export interface ContextPlan {
  request: FimRequest;
  /** Text after the cursor on its line, and the lines after that. */
  lineSuffix: string;
  followingText: string;
  /** Raw model text -> suggestion ('' for nothing). */
  finish(raw: string): string;
  /** Why one line or a block, for the log. */
  mode?: string;
}

export interface ContextSource {
  /** Called on every keystroke that reaches the pipeline: must stay within a few milliseconds. */
  plan(input: CompletionInput, settings: PipelineSettings): ContextPlan | { skip: string };
}

/** The cursor's line split at the cursor, and the text after that line. */
export function splitAtCursor(input: Pick<CompletionInput, 'prefix' | 'suffix'>) {
  const lineStart = input.prefix.lastIndexOf('\n') + 1;
  const lineEnd = input.suffix.indexOf('\n');
  return {
    linePrefix: input.prefix.slice(lineStart),
    lineSuffix: lineEnd < 0 ? input.suffix : input.suffix.slice(0, lineEnd),
    followingText: lineEnd < 0 ? '' : input.suffix.slice(lineEnd + 1),
  };
}

/** The plain-text plan (line windows, text post-processing): what the pipeline does without a source. */
export function plainPlan(input: CompletionInput, settings: PipelineSettings): ContextPlan {
  const { lineSuffix, followingText } = splitAtCursor(input);
  const request: FimRequest = {
    prefix: windowPrefix(input.prefix, settings.prefixTokens),
    suffix: windowSuffix(input.suffix, settings.suffixTokens),
    maxPrefixTokens: settings.prefixTokens,
    maxSuffixTokens: settings.suffixTokens,
    maxTokens: settings.maxTokens,
    singleLine: !settings.multiline,
  };
  return {
    request, lineSuffix, followingText, mode: 'plain',
    finish: (raw) => postprocess({ completion: raw, lineSuffix, followingText, multiline: !request.singleLine }),
  };
}
