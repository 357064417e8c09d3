/**
 * Where the anchored prompt layout splits the prefix (FimRequest.anchor): the text typed since the
 * anchor goes after the FIM middle token, so each keystroke there only appends a token or two to
 * the prompt and everything before (snippets, prefix, suffix) stays in the engine's KV cache.
 *
 * The anchor is set after the indentation of the cursor's line and stays where it is while the
 * cursor stays after it and the typed part stays short; it moves (to the current line) when the
 * text before it changed, the cursor went before it, or the typed part grew past `maxTyped`.
 */

import { LRUCache } from 'lru-cache';

/** Characters before the anchor that identify it (long enough to be unique near the cursor). */
const HEAD_CHARS = 64;
const MAX_DOCUMENTS = 32;

export class PromptAnchors {
  // Recency is the last anchor set (reads peek).
  private readonly heads = new LRUCache<string, string>({ max: MAX_DOCUMENTS });

  /** `maxTyped`: the most characters kept after the middle token before the anchor moves. */
  constructor(private readonly maxTyped = 160) {}

  /** Characters at the end of `prefix` (the prompt's prefix window, ending at the cursor) to put after the middle token. */
  choose(documentKey: string, prefix: string): number {
    const head = this.heads.peek(documentKey);
    if (head !== undefined) {
      // Search only where a valid anchor can be: within maxTyped characters of the cursor.
      // A short head is the start of the window (top of the file): it must still be there.
      const from = Math.max(0, prefix.length - this.maxTyped - head.length);
      const at = head.length < HEAD_CHARS ? (prefix.startsWith(head) ? 0 : -1) : prefix.indexOf(head, from);
      const typed = prefix.length - at - head.length;
      if (at >= 0 && typed >= 0 && typed <= this.maxTyped) return typed;
    }
    // After the line's indentation: the bundled models were trained on middles that start there
    // (models/training/lm/data.py), and a plain indentation before the middle token measured worse.
    const lineStart = prefix.lastIndexOf('\n') + 1;
    const anchorAt = lineStart + /^[ \t]*/.exec(prefix.slice(lineStart))![0].length;
    const typed = prefix.length - anchorAt;
    // The first line of the window has nothing before it to anchor on; a line longer than the
    // bound keeps the old layout.
    if (lineStart === 0 || typed > this.maxTyped / 2) {
      this.heads.delete(documentKey);
      return 0;
    }
    this.heads.set(documentKey, prefix.slice(Math.max(0, anchorAt - HEAD_CHARS), anchorAt));
    return typed;
  }
}
