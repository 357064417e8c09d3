/**
 * The tree-sitter context source: the ContextBuilder's windows and snippets, the tree's line-vs-
 * block decision with its decode-loop stop rule, and post-processing that re-parses candidate
 * readings of the model's text against the same document state.
 */
import type { ContextBuilder } from '../context/contextBuilder';
import { topLevelStretch } from '../context/syntaxNodes';
import type { Grammars } from '../context/grammars';
import { insertionErrors } from '../context/insertionCheck';
import type { FimRequest } from '../models/engine/engineProtocol';
import type { CompletionInput, PipelineSettings } from './pipelineTypes';
import { decideMode } from './completionMode';
import { plainPlan, splitAtCursor, type ContextPlan, type ContextSource } from './contextSource';
import { lexiconFor } from './bracketBalance';
import { finishCompletion } from './finishCompletion';
import { detectIndent } from './indentStyle';
import { skipReason } from './triggerRules';

export interface SyntaxSourceOptions {
  /** Token budget for context snippets (definitions, outlines, recent chunks). */
  contextTokens: number;
  /** Told about a failure of the syntax path (the completion falls back to plain text). */
  onError?: (err: unknown) => void;
}

/** Bracket balance is judged over at most this much code around the cursor. */
const BALANCE_CHARS = 100_000;

export class SyntaxContextSource implements ContextSource {
  constructor(
    readonly builder: ContextBuilder,
    private readonly grammars: Grammars,
    public options: SyntaxSourceOptions = { contextTokens: 1024 },
  ) {}

  plan(input: CompletionInput, settings: PipelineSettings): ContextPlan | { skip: string } {
    const { linePrefix, lineSuffix } = splitAtCursor(input);
    const skip = skipReason(linePrefix, lineSuffix);
    if (skip) return { skip };
    // A bug or an unexpected tree here must cost the context, never the completion.
    try {
      const plan = this.syntaxPlan(input, settings);
      const finish = plan.finish;
      return { ...plan, finish: (raw) => {
        try {
          return finish(raw);
        } catch (err) {
          this.options.onError?.(err);
          return plainPlan(input, settings).finish(raw);
        }
      } };
    } catch (err) {
      this.options.onError?.(err);
      return plainPlan(input, settings);
    }
  }

  private syntaxPlan(input: CompletionInput, settings: PipelineSettings): ContextPlan {
    const { linePrefix, lineSuffix, followingText } = splitAtCursor(input);
    const built = this.builder.build({
      uri: input.uri, languageId: input.languageId, offset: input.offset, prefix: input.prefix, suffix: input.suffix,
      prefixTokens: settings.prefixTokens, suffixTokens: settings.suffixTokens, contextTokens: this.options.contextTokens,
    });
    const exempt = [built.lineComment ?? '', ...(/^(c|cpp|csharp)$/.test(input.languageId) ? ['#'] : [])].filter(Boolean);
    const mode = decideMode(built.syntax, lineSuffix, settings.multiline, exempt, 4, followingText);
    const request: FimRequest = {
      prefix: built.prefix,
      suffix: built.suffix,
      context: built.snippets.length ? built.snippets : undefined,
      maxContextTokens: this.options.contextTokens,
      filePath: built.filePath,
      repoName: built.repoName,
      lineComment: built.lineComment,
      stop: mode.stop,
      maxPrefixTokens: settings.prefixTokens,
      maxSuffixTokens: settings.suffixTokens,
      maxTokens: settings.maxTokens,
      singleLine: mode.singleLine,
    };
    const doc = built.uri && built.syntax ? this.builder.store.get(built.uri) : undefined;
    const grammar = this.grammars.get(input.languageId);
    const lexicon = lexiconFor(input.languageId, built.lineComment);
    // The tree is used only while the document is still the one the request was built from.
    const current = () => (doc && built.offset !== undefined && doc.version === built.version && this.builder.store.get(built.uri!) === doc ? doc : undefined);
    const finish = (raw: string) => {
      const same = current();
      const tree = same?.tree();
      // Balance between the top-level lines around the cursor (no bracket open there).
      const [from, to] = tree ? topLevelStretch(tree.rootNode, same!.text, built.offset!, BALANCE_CHARS) : [0, 0];
      return finishCompletion({
        completion: raw, linePrefix, lineSuffix, followingText, lexicon,
        before: tree ? same!.text.slice(from, built.offset) : built.prefix,
        after: tree ? same!.text.slice(built.offset, to) : built.suffix,
        singleLine: mode.singleLine, stop: mode.stop,
        indent: !mode.singleLine && doc ? detectIndent(doc.text) : undefined,
        errorsWith: same && grammar ? (insert) => insertionErrors(same, grammar, built.offset!, insert) : undefined,
      });
    };
    return { request, lineSuffix, followingText, finish, mode: mode.reason };
  }
}
