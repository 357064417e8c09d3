/**
 * How many files of the workspace use each name. A module's definitions are not used equally:
 * `cast_int`, `lua_assert` or `Ensure` appear in most files that include or import their module,
 * a rarely used macro in few. When only part of an imported module fits the prompt, the names the
 * rest of the workspace uses most are the ones the code at the cursor is likeliest to use next.
 */
import { codeOnly, identifiersIn } from './identifiers';
import { lineCommentOf } from './languages';

/** Per file, at most this many distinct names are counted (a generated file stays one file). */
const MAX_NAMES_PER_FILE = 4000;

/** The distinct names a file's code uses (comments and strings left out). */
export function usedNames(languageId: string, text: string): string[] {
  return [...identifiersIn(codeOnly(text, lineCommentOf(languageId))).keys()].slice(0, MAX_NAMES_PER_FILE);
}

/** Files using each name, kept up to date as entries come and go. */
export class NameUsage {
  private readonly counts = new Map<string, number>();

  add(names: readonly string[] | undefined): void {
    for (const n of names ?? []) this.counts.set(n, (this.counts.get(n) ?? 0) + 1);
  }

  remove(names: readonly string[] | undefined): void {
    for (const n of names ?? []) {
      const c = (this.counts.get(n) ?? 0) - 1;
      if (c > 0) this.counts.set(n, c);
      else this.counts.delete(n);
    }
  }

  count(name: string): number {
    return this.counts.get(name) ?? 0;
  }
}

/**
 * A score factor from 1 (a name no other file uses) to 1 + weight (one that every file uses),
 * on a log scale: use in 5 of 50 files counts for more than half of use in all 50.
 */
export function popularity(uses: number, files: number, weight: number): number {
  if (uses <= 0 || files <= 1) return 1;
  return 1 + weight * Math.min(1, Math.log1p(uses) / Math.log1p(files));
}
