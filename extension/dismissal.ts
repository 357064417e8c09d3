/**
 * Whether a suggestion may come back by itself. After Esc (our `localCompletion.dismissSuggestion`
 * binding hides it and notes the place), or once the user has moved on, a job that settles later
 * must not re-trigger the suggestion: it returns only when the user types or asks (Alt+\).
 * A place is the document, its version and the cursor offset. No `vscode` import.
 */
export interface Spot {
  uri: string;
  version: number;
  offset: number;
}

const same = (a: Spot | undefined, b: Spot): boolean => !!a && a.uri === b.uri && a.version === b.version && a.offset === b.offset;

export class DismissalTracker {
  private dismissedAt?: Spot;
  private partialAt?: Spot;

  /** Esc: the suggestion at this place was sent away. */
  dismissed(spot: Spot): void {
    this.dismissedAt = spot;
    this.partialAt = undefined;
  }

  /** A suggestion cut at the deadline was shown here; its rest may follow while the user stays. */
  partialShown(spot: Spot): void {
    this.partialAt = spot;
  }

  /** The user asked explicitly (Alt+\): an earlier dismissal no longer holds. */
  invoked(): void {
    this.dismissedAt = undefined;
  }

  /** True while the user has not dismissed the suggestion at this place (typing or moving ends it). */
  isDismissed(spot: Spot): boolean {
    return same(this.dismissedAt, spot);
  }

  /** The settled rest of a partial suggestion may be shown: still at that place, not dismissed. */
  allowsRetrigger(spot: Spot): boolean {
    const ok = same(this.partialAt, spot) && !this.isDismissed(spot);
    this.partialAt = undefined; // once: a second settle does not re-trigger again
    return ok;
  }
}
