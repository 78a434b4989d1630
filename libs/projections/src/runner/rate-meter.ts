/**
 * Events per second over a moving window: the runner records each committed batch, and the
 * rate is what was committed within the last `windowMs`, divided by the part of the window
 * the meter has existed for (so a fresh runner does not report a tenth of its real rate).
 */
export class RateMeter {
  private readonly samples: Array<{ at: number; count: number }> = [];
  private readonly startedAt: number;

  constructor(
    private readonly windowMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {
    if (!(windowMs > 0)) throw new RangeError('windowMs must be positive');
    this.startedAt = now();
  }

  record(count: number): void {
    this.samples.push({ at: this.now(), count });
    this.prune();
  }

  /** The rate, counting `pending` events as if committed now (for the row the same transaction writes). */
  perSecond(pending = 0): number {
    this.prune();
    const now = this.now();
    const total = this.samples.reduce((sum, sample) => sum + sample.count, pending);
    if (total === 0) return 0;
    const span = Math.min(this.windowMs, Math.max(now - this.startedAt, 1_000));
    return (total * 1_000) / span;
  }

  private prune(): void {
    const horizon = this.now() - this.windowMs;
    while (this.samples.length > 0 && this.samples[0].at <= horizon) this.samples.shift();
  }
}
