/**
 * The document's indentation style (tabs, or spaces in units of N), and re-indenting a
 * multi-line completion to it: models trained mostly on 4-space code happily write 4 spaces into
 * a tab-indented Go file. Files that mix styles are left alone.
 */

export interface IndentStyle {
  tabs: boolean;
  /** Spaces per level (for space-indented files). */
  unit: number;
}

/** Dominant style of the first lines of text; undefined when unclear or mixed. */
export function detectIndent(text: string, maxLines = 2000): IndentStyle | undefined {
  let tabs = 0;
  let spaces = 0;
  const widths = new Map<number, number>();
  let prev = 0;
  let lines = 0;
  for (let start = 0; start < text.length && lines < maxLines; lines++) {
    const nl = text.indexOf('\n', start);
    const line = text.slice(start, nl < 0 ? text.length : nl);
    start = nl < 0 ? text.length : nl + 1;
    if (!line.trim()) continue;
    if (line[0] === '\t') tabs++;
    else if (line[0] === ' ') {
      const w = line.length - line.trimStart().length;
      // A one-space indent is usually a continuation (` * ` in block comments), not a level.
      if (line.trimStart().startsWith('*')) continue;
      spaces++;
      const step = Math.abs(w - prev);
      if (step >= 2 && step <= 8) widths.set(step, (widths.get(step) ?? 0) + 1);
      prev = w;
      continue;
    }
    prev = 0;
  }
  if (tabs + spaces < 3) return undefined;
  if (tabs > spaces * 4) return { tabs: true, unit: 4 };
  if (spaces > tabs * 4) {
    const unit = [...widths.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 4;
    return { tabs: false, unit };
  }
  return undefined;
}

/**
 * Re-indents the lines after the first (the first continues the cursor's line) from the style the
 * model used to the document's. Only whole indentation levels are converted.
 */
export function applyIndentStyle(completion: string, style: IndentStyle | undefined): string {
  if (!style || !completion.includes('\n')) return completion;
  const lines = completion.split('\n');
  // The model's own unit: 4 spaces, unless it indented by odd multiples of 2.
  const spaceLeads = lines.slice(1).map((l) => /^ */.exec(l)![0].length).filter((n) => n > 0);
  const modelUnit = spaceLeads.some((n) => n % 4 !== 0) ? 2 : 4;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const lead = /^[ \t]*/.exec(line)![0];
    if (!lead) continue;
    if (style.tabs && !lead.includes('\t') && lead.length % modelUnit === 0) {
      lines[i] = '\t'.repeat(lead.length / modelUnit) + line.slice(lead.length);
    } else if (!style.tabs && /^\t+$/.test(lead)) {
      lines[i] = ' '.repeat(lead.length * style.unit) + line.slice(lead.length);
    }
  }
  return lines.join('\n');
}
