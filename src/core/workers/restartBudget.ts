/** At most `max` restarts in any `windowMs` (a sliding window), not a lifetime cap. */
export class RestartBudget {
  private readonly times: number[] = [];

  constructor(
    readonly max: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(max >= 0) || !(windowMs > 0)) throw new Error(`RestartBudget: max must be >= 0 and windowMs > 0 (got ${max}, ${windowMs})`);
  }

  /** Takes one restart if the window has room; false when the limit is reached. */
  tryTake(): boolean {
    this.prune();
    if (this.times.length >= this.max) return false;
    this.times.push(this.now());
    return true;
  }

  /** restarts taken in the current window */
  used(): number {
    this.prune();
    return this.times.length;
  }

  /** when the next restart will be allowed (epoch ms; now when there is room) */
  nextAllowedAt(): number {
    this.prune();
    if (this.max === 0) return Infinity;
    if (this.times.length < this.max) return this.now();
    return this.times[this.times.length - this.max]! + this.windowMs;
  }

  private prune(): void {
    const cutoff = this.now() - this.windowMs;
    while (this.times.length > 0 && this.times[0]! <= cutoff) this.times.shift();
  }
}
