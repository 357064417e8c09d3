/**
 * Whether the document now is the one before with the offered change made: the change was taken
 * (Tab on its ghost text or preview), not typed over. VS Code may insert only the part after the
 * old text, so the whole documents are compared.
 */
export function isTaken(before: string, change: { offset: number; oldText: string; newText: string }, after: string): boolean {
  const grown = change.newText.length - change.oldText.length;
  return after.length === before.length + grown
    && after.startsWith(change.newText, change.offset)
    && after.startsWith(before.slice(0, change.offset))
    && after.endsWith(before.slice(change.offset + change.oldText.length));
}
