/**
 * Rate limit for the log of a failure that repeats (a full or read-only state volume fails every
 * snapshot): the first failure is logged, then at most one line per interval, saying how many
 * were not logged in between; the first success after failures is reported once.
 */
export class FailureLog {
  private consecutive = 0;
  private suppressed = 0;
  private lastLoggedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a failure; returns the fields to log with it, or undefined when this one is not to be logged. */
  failed(): { consecutiveFailures: number; notLogged: number } | undefined {
    this.consecutive++;
    const t = this.now();
    if (t - this.lastLoggedAt < this.intervalMs) {
      this.suppressed++;
      return undefined;
    }
    const out = { consecutiveFailures: this.consecutive, notLogged: this.suppressed };
    this.lastLoggedAt = t;
    this.suppressed = 0;
    return out;
  }

  /** Records a success; returns how many failures came right before it (0: nothing to report). */
  succeeded(): number {
    const n = this.consecutive;
    this.consecutive = 0;
    this.suppressed = 0;
    this.lastLoggedAt = Number.NEGATIVE_INFINITY;
    return n;
  }
}
