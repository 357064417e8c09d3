/**
 * Builds the token sequence of a fill-in-the-middle prompt from the model's own special tokens.
 *
 * With repo-level tokens (Qwen2.5-Coder's <|repo_name|> and <|file_sep|>) context snippets are
 * shown as other files of the repository; otherwise as line comments before the prefix. Everything
 * that stays the same between keystrokes comes first, so the engine's KV cache keeps it.
 * Each piece is tokenized on its own: text typed by the user never turns into control tokens.
 *
 * With `request.anchor` the text typed since the anchor follows the middle token
 * (`<fim_prefix>P<fim_suffix>S<fim_middle>typed`): the model's middle simply starts with what the
 * user typed and generation continues it, while a keystroke only appends (or, backspacing, drops)
 * tokens at the very end, so the prefix, suffix and snippets stay in the KV cache.
 *
 * A model trained suffix-first in exactly the layout of fimOrder.ts (`special.spm`) gets
 * `<fim_prefix><fim_suffix>S<fim_middle>P typed`: the prefix is already last, so typing appends the
 * same way. The prefix is cut where the anchored layout cuts it (before the typed text), so its
 * first token does not move while the user types on the line.
 */
import type { FimRequest } from './engineProtocol';

export type TokenId = number;

export interface FimTokens<T extends TokenId = TokenId> {
  prefix: T;
  suffix: T;
  middle: T;
  repoName?: T;
  fileSep?: T;
  /** Suffix first (the model was trained on exactly fimOrder.ts's SPM layout). */
  spm?: boolean;
}

export interface BuiltPrompt<T extends TokenId = TokenId> {
  tokens: T[];
  contextTokens: number;
}

export function buildFimPrompt<T extends TokenId>(
  tokenize: (text: string) => T[],
  special: FimTokens<T>,
  request: FimRequest,
  contextSize: number,
): BuiltPrompt<T> {
  const anchor = Math.max(0, Math.min(request.anchor ?? 0, request.prefix.length));
  const typed = anchor ? tokenize(request.prefix.slice(request.prefix.length - anchor)) : [];
  const room = contextSize - request.maxTokens - typed.length - 8;
  const suffix = tokenize(request.suffix).slice(0, Math.max(0, Math.min(request.maxSuffixTokens, room >> 2)));
  const prefixCap = Math.max(0, Math.min(request.maxPrefixTokens, room - suffix.length));
  const prefixAll = tokenize(anchor ? request.prefix.slice(0, request.prefix.length - anchor) : request.prefix);
  const prefix = prefixAll.length > prefixCap ? prefixAll.slice(prefixAll.length - prefixCap) : prefixAll;
  const contextCap = Math.max(0, Math.min(request.maxContextTokens ?? 0, room - suffix.length - prefix.length));
  const repoLevel = special.repoName !== undefined && special.fileSep !== undefined && request.filePath !== undefined;
  const pieces = contextPieces(tokenize, special, request, repoLevel);
  // Keep the snippets nearest the cursor (the end of the list) within the cap.
  let used = 0;
  let first = pieces.length;
  while (first > 0 && used + pieces[first - 1].length <= contextCap) used += pieces[--first].length;
  const context = pieces.slice(first).flat();

  // Snippets shown as comments belong to the prefix's text; as other files, before this file.
  const inPrefix = repoLevel ? [] : context;
  const fim = special.spm
    ? [special.prefix, special.suffix, ...suffix, special.middle, ...inPrefix, ...prefix, ...typed]
    : [special.prefix, ...inPrefix, ...prefix, special.suffix, ...suffix, special.middle, ...typed];
  if (repoLevel) {
    const head = [special.repoName!, ...tokenize(`${request.repoName ?? 'workspace'}\n`)];
    const file = [special.fileSep!, ...tokenize(`${request.filePath}\n`)];
    return { tokens: [...head, ...context, ...file, ...fim], contextTokens: used };
  }
  return { tokens: fim, contextTokens: used };
}

function contextPieces<T extends TokenId>(
  tokenize: (text: string) => T[], special: FimTokens<T>, request: FimRequest, repoLevel: boolean,
): T[][] {
  const snippets = request.context ?? [];
  if (repoLevel) return snippets.map((s) => [special.fileSep!, ...tokenize(`${s.path}\n${withNewline(s.text)}`)]);
  const lc = request.lineComment;
  if (!lc) return [];
  return snippets.map((s) => tokenize(
    `${lc} ${s.path}\n${withNewline(s.text).split('\n').slice(0, -1).map((l) => `${lc} ${l}`).join('\n')}\n`,
  ));
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
