/**
 * Variants of the pipeline's engine request, for re-deciding its choices on real weights with
 * everything else equal (the bench's pipeline runs naive: classic layout, whole prompt):
 * - anchored: the text typed on the cursor's line goes after the middle token (promptAnchor.ts),
 *   as the live pipeline sends it at a fresh place;
 * - jump64: the first prompt at a jump, 64 prefix tokens (the engine keeps the last 64);
 * - nocontext: no snippets (the repo-level header and file name stay);
 * - comments: snippets as line comments before the prefix, no repo-level tokens;
 * - bare: no snippets, no repo-level tokens (our windows and post-processing only).
 */
import { PromptAnchors } from '../../completion/promptAnchor';
import type { StreamingBackend } from '../../completion/engineJob';
import type { FimRequest } from '../../models/engine/engineProtocol';

export const VARIANTS = ['anchored', 'jump64', 'nocontext', 'comments', 'bare'] as const;

export function patchRequest(request: FimRequest, variants: readonly string[]): FimRequest {
  let r = { ...request };
  for (const v of variants) {
    if (v === 'anchored') {
      const anchor = new PromptAnchors().choose('bench', r.prefix);
      r = { ...r, ...(anchor ? { anchor } : {}) };
    } else if (v === 'jump64') r = { ...r, maxPrefixTokens: 64 };
    else if (v === 'nocontext') r = { ...r, context: undefined };
    else if (v === 'comments') r = { ...r, filePath: undefined, repoName: undefined };
    else if (v === 'bare') r = { ...r, context: undefined, filePath: undefined, repoName: undefined };
    else throw new Error(`unknown variant ${v} (${VARIANTS.join(', ')})`);
  }
  return r;
}

export function withVariants(engine: StreamingBackend, variants: readonly string[]): StreamingBackend {
  if (!variants.length) return engine;
  return { complete: (request, signal, onText) => engine.complete(patchRequest(request, variants), signal, onText) };
}
