/**
 * A small ring buffer of code the user recently edited or looked at (16 chunks of up to 32 lines,
 * as llama.vscode does). Chunks from the same place merge, so typing in one function keeps one
 * chunk up to date instead of filling the buffer; chunks already visible in the prompt's windows
 * are left out when the prompt is built.
 */

export interface Chunk {
  uri: string;
  /** Workspace-relative path shown to the model. */
  path: string;
  startLine: number;
  endLine: number;
  text: string;
  kind: 'edit' | 'view';
}

export class RecentChunks {
  private chunks: Chunk[] = [];

  constructor(readonly capacity = 16, readonly maxLines = 32) {}

  /** Lines around an edit at `row` of a document whose full text is given. */
  recordEdit(uri: string, path: string, text: string, row: number, offset: number): void {
    const half = this.maxLines >> 1;
    let start = Math.min(offset, text.length);
    for (let n = 0; n <= half && start > 0; n++) start = text.lastIndexOf('\n', start - 2) + 1;
    let end = offset;
    for (let n = 0; n < half && end >= 0 && end < text.length; n++) end = text.indexOf('\n', end + 1);
    const chunkText = text.slice(start, end < 0 ? text.length : end);
    const startLine = Math.max(0, row - countNewlines(text, start, offset));
    this.add({ uri, path, startLine, endLine: startLine + countNewlines(chunkText, 0, chunkText.length), text: chunkText, kind: 'edit' });
  }

  /** A visible range of an editor, given as its text and first line. */
  recordView(uri: string, path: string, text: string, startLine: number): void {
    const lines = text.split('\n').slice(0, this.maxLines);
    if (lines.filter((l) => l.trim()).length < 3) return;
    this.add({ uri, path, startLine, endLine: startLine + lines.length - 1, text: lines.join('\n'), kind: 'view' });
  }

  forget(uri: string): void {
    this.chunks = this.chunks.filter((c) => c.uri !== uri);
  }

  /**
   * Chunks for a prompt, oldest first (the newest sit nearest the cursor), without those whose
   * lines are mostly already in `visible` (the prompt's own windows), within maxChars.
   */
  forPrompt(visible: string, maxChars: number): Chunk[] {
    const seen = new Set(visible.split('\n').map((l) => l.trim()).filter(Boolean));
    const picked: Chunk[] = [];
    let used = 0;
    for (let i = this.chunks.length - 1; i >= 0; i--) {
      const c = this.chunks[i];
      const lines = c.text.split('\n').map((l) => l.trim()).filter(Boolean);
      if (!lines.length || lines.filter((l) => seen.has(l)).length * 2 >= lines.length) continue;
      if (used + c.text.length > maxChars) continue;
      used += c.text.length;
      picked.push(c);
      for (const l of lines) seen.add(l);
    }
    return picked.reverse();
  }

  get size(): number {
    return this.chunks.length;
  }

  private add(chunk: Chunk): void {
    if (!chunk.text.trim()) return;
    // A chunk overlapping one from the same document replaces it; identical text is one chunk.
    this.chunks = this.chunks.filter((c) => !(c.uri === chunk.uri && c.startLine <= chunk.endLine && chunk.startLine <= c.endLine) && c.text !== chunk.text);
    this.chunks.push(chunk);
    if (this.chunks.length > this.capacity) this.chunks.shift();
  }
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
