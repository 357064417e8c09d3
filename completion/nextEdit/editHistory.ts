/**
 * The recent edits of each document: what text was replaced by what, and where. Keystrokes that
 * touch the edit before them are merged into it, so typing a new name over an old one is one
 * edit (`count` -> `total`), not five. Small on purpose: a few documents, a few edits each.
 * Plain data in (UTF-16 offsets of the text before the change); no VS Code.
 */

export interface TextEdit {
  /** Offset of the replaced text in the document before the change. */
  offset: number;
  length: number;
  text: string;
}

export interface RecordedEdit {
  /** Where the new text starts in the current document (kept up to date as later edits shift it). */
  offset: number;
  oldText: string;
  newText: string;
  /** Time of the last keystroke merged into it (ms, the caller's clock). */
  at: number;
}

const MAX_EDITS = 8;
const MAX_DOCUMENTS = 8;
/** Larger documents are not followed (no proposal there). */
const MAX_CHARS = 1_000_000;

interface Followed {
  text: string;
  edits: RecordedEdit[];
}

export class EditHistory {
  private readonly docs = new Map<string, Followed>();

  constructor(private readonly maxEdits = MAX_EDITS, private readonly maxDocuments = MAX_DOCUMENTS) {}

  /** Start following a document from this text (again: its history is dropped). */
  open(uri: string, text: string): void {
    this.docs.delete(uri);
    if (text.length > MAX_CHARS) return;
    this.docs.set(uri, { text, edits: [] });
    while (this.docs.size > this.maxDocuments) this.docs.delete(this.docs.keys().next().value as string);
  }

  close(uri: string): void {
    this.docs.delete(uri);
  }

  text(uri: string): string | undefined {
    return this.docs.get(uri)?.text;
  }

  /** Recent edits, oldest first. */
  edits(uri: string): readonly RecordedEdit[] {
    return this.docs.get(uri)?.edits ?? [];
  }

  /** The newest edit, when it still changes something. */
  last(uri: string): RecordedEdit | undefined {
    const edits = this.edits(uri);
    return edits[edits.length - 1];
  }

  /**
   * One change event (its changes all refer to the text before the event, as VS Code's do).
   * Returns the newest edit after merging, or undefined for a document not followed.
   */
  apply(uri: string, changes: readonly TextEdit[], at: number): RecordedEdit | undefined {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    // From the end backwards: each change's offsets stay valid for the ones before it.
    for (const c of [...changes].sort((a, b) => b.offset - a.offset)) this.applyOne(doc, c, at);
    if (doc.text.length > MAX_CHARS) {
      this.docs.delete(uri);
      return undefined;
    }
    // Bring the document to the front of the LRU order.
    this.docs.delete(uri);
    this.docs.set(uri, doc);
    return doc.edits[doc.edits.length - 1];
  }

  private applyOne(doc: Followed, c: TextEdit, at: number): void {
    const before = doc.text;
    const end = c.offset + c.length;
    doc.text = before.slice(0, c.offset) + c.text + before.slice(end);
    const shift = c.text.length - c.length;
    const last = doc.edits[doc.edits.length - 1];
    const lastEnd = last ? last.offset + last.newText.length : -1;
    const merging = !!last && c.offset <= lastEnd && end >= last.offset;
    for (const e of doc.edits) if (e.offset >= end && !(merging && e === last)) e.offset += shift;
    if (last && merging) {
      // Touches the newest edit: grow it to the union of both ranges.
      const start = Math.min(c.offset, last.offset);
      const stop = Math.max(end, lastEnd);
      last.oldText = before.slice(start, last.offset) + last.oldText + before.slice(lastEnd, stop);
      last.newText = doc.text.slice(start, stop + shift);
      last.offset = start;
      last.at = at;
      if (last.oldText === last.newText) doc.edits.pop();
    } else {
      doc.edits.push({ offset: c.offset, oldText: before.slice(c.offset, end), newText: c.text, at });
      if (doc.edits.length > this.maxEdits) doc.edits.shift();
    }
    // Older edits that this change overlaps no longer describe the text: drop them.
    doc.edits = doc.edits.filter((e, i) => i === doc.edits.length - 1 || e.offset + e.newText.length <= c.offset || e.offset >= c.offset + c.text.length);
  }
}

/** The edit without the text its old and new sides share at both ends. */
export function minimalEdit(e: Pick<RecordedEdit, 'offset' | 'oldText' | 'newText'>): { offset: number; oldText: string; newText: string } {
  let head = 0;
  const max = Math.min(e.oldText.length, e.newText.length);
  while (head < max && e.oldText[head] === e.newText[head]) head++;
  let tail = 0;
  while (tail < max - head && e.oldText[e.oldText.length - 1 - tail] === e.newText[e.newText.length - 1 - tail]) tail++;
  return { offset: e.offset + head, oldText: e.oldText.slice(head, e.oldText.length - tail), newText: e.newText.slice(head, e.newText.length - tail) };
}

const ID = /[\p{L}\p{N}_$]/u;

/** The smallest replacement of old by new, grown to whole identifiers (a range the editor shows as one word). */
export function wholeWords(e: Pick<RecordedEdit, 'offset' | 'oldText' | 'newText'>): { offset: number; oldText: string; newText: string } {
  const { oldText, newText } = e;
  const m = minimalEdit({ offset: 0, oldText, newText });
  let start = m.offset;
  let tail = oldText.length - (m.offset + m.oldText.length);
  while (start > 0 && ID.test(oldText[start - 1])) start--;
  while (tail > 0 && ID.test(oldText[oldText.length - tail])) tail--;
  return { offset: e.offset + start, oldText: oldText.slice(start, oldText.length - tail), newText: newText.slice(start, newText.length - tail) };
}

/** Offsets of `needle` in `text` that do not cut an identifier at either end. */
export function boundedOffsets(text: string, needle: string): number[] {
  const out: number[] = [];
  if (!needle) return out;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    const cutsBefore = ID.test(needle[0]) && at > 0 && ID.test(text[at - 1]);
    const end = at + needle.length;
    const cutsAfter = ID.test(needle[needle.length - 1]) && end < text.length && ID.test(text[end]);
    if (!cutsBefore && !cutsAfter) out.push(at);
  }
  return out;
}
