// Crash-restart budget: allows at most `max` automatic restarts within a sliding window.
// Pure (no vscode import) so it can be unit tested on its own.

export class RestartBudget {
  private readonly crashes: number[] = [];

  constructor(
    readonly max = 5,
    readonly windowMs = 3 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a crash. Returns true when another automatic restart is allowed. */
  tryConsume(): boolean {
    const t = this.now();
    while (this.crashes.length > 0 && t - this.crashes[0] > this.windowMs) this.crashes.shift();
    if (this.crashes.length >= this.max) return false;
    this.crashes.push(t);
    return true;
  }

  /** Number of restarts spent inside the current window. */
  get used(): number {
    return this.crashes.length;
  }

  /** Forget past crashes (after a manual restart). */
  reset(): void {
    this.crashes.length = 0;
  }
}
