/**
 * Remembers recent suggestions by the text around the cursor, so that most keystrokes need no
 * engine call at all:
 * - the same place again (backspace, re-trigger) gets its suggestion back;
 * - typing the characters the suggestion predicted ("typing through") gets the rest of it;
 * - an empty answer is remembered too, so a dead spot is not asked again.
 * The key is what determines a completion: the document and the text just before and just after
 * the cursor (the model, settings and prompt layout are part of `scope`). The document is part of
 * it because the same lines in two files (a copied header, an import block) continue differently:
 * the prompt's cross-file context and the file's own code differ.
 */
import { LRUCache } from 'lru-cache';

/** Characters of context that identify a place (longer contexts rarely change the answer). */
const PREFIX_KEY_CHARS = 1500;
const SUFFIX_KEY_CHARS = 400;
/** How many recent entries are tried for typing-through. */
const TYPE_THROUGH_CANDIDATES = 24;

interface Entry {
  document: string;
  prefixTail: string;
  suffixHead: string;
  text: string;
}

export interface Recalled {
  text: string;
  /** Characters of the remembered suggestion the user has typed since. */
  typed: number;
}

export class SuggestionMemory {
  private readonly entries = new LRUCache<string, Entry>({ max: 250 });

  constructor(private scope = '') {}

  /** A new model or settings: earlier suggestions no longer apply. */
  setScope(scope: string): void {
    if (scope !== this.scope) this.entries.clear();
    this.scope = scope;
  }

  /** `document` names the file (its URI); '' where there is none (benchmarks). */
  remember(prefix: string, suffix: string, text: string, document = ''): void {
    const entry = { document, prefixTail: prefix.slice(-PREFIX_KEY_CHARS), suffixHead: suffix.slice(0, SUFFIX_KEY_CHARS), text };
    this.entries.set(this.key(document, entry.prefixTail, entry.suffixHead), entry);
  }

  /** The suggestion for this place, or the rest of one the user is typing through. */
  recall(prefix: string, suffix: string, document = ''): Recalled | undefined {
    const suffixHead = suffix.slice(0, SUFFIX_KEY_CHARS);
    const exact = this.entries.get(this.key(document, prefix.slice(-PREFIX_KEY_CHARS), suffixHead));
    if (exact) return { text: exact.text, typed: 0 };
    let n = 0;
    for (const entry of this.entries.values()) { // most recent first
      if (++n > TYPE_THROUGH_CANDIDATES) break;
      if (entry.document !== document || entry.suffixHead !== suffixHead || !entry.text) continue;
      const typed = typedThrough(prefix, entry);
      if (typed > 0 && typed < entry.text.length) return { text: entry.text.slice(typed), typed };
    }
    return undefined;
  }

  clear(): void {
    this.entries.clear();
  }

  private key(document: string, prefixTail: string, suffixHead: string): string {
    return `${this.scope}\u0000${document}\u0000${prefixTail}\u0000${suffixHead}`;
  }
}

/**
 * How many characters of entry.text the prefix has typed since the entry was made: the prefix
 * must end with the entry's own prefix followed by that much of its text. 0 when it does not.
 */
export function typedThrough(prefix: string, entry: { prefixTail: string; text: string }): number {
  const max = Math.min(entry.text.length, prefix.length);
  for (let typed = max; typed > 0; typed--) {
    if (!prefix.endsWith(entry.text.slice(0, typed))) continue;
    const before = prefix.slice(0, prefix.length - typed);
    const tail = entry.prefixTail.slice(-Math.min(entry.prefixTail.length, before.length, PREFIX_KEY_CHARS - typed));
    if (before.endsWith(tail)) return typed;
  }
  return 0;
}
