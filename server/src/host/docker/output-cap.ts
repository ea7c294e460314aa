/**
 * Caps what a flooding build writes to a view (VS Code's output channel keeps everything it is given): the
 * first `limitBytes` pass through, then one notice, then only a count. The full log goes elsewhere (a file),
 * so nothing is lost; the editor just never holds hundreds of megabytes.
 *
 * Pure: the sink is a callback.
 */
export class CappedOutput {
  private written = 0;
  private dropped = 0;
  private noticed = false;

  constructor(
    private readonly limitBytes: number,
    private readonly sink: (text: string) => void,
    /** Where the full output is, for the notice. */
    private readonly fullLog?: string,
  ) {}

  write(text: string): void {
    if (this.written < this.limitBytes) {
      const room = this.limitBytes - this.written;
      if (text.length <= room) {
        this.sink(text);
        this.written += text.length;
        return;
      }
      // Cut at a line end when one is near, so the view does not end mid-line.
      let cut = text.lastIndexOf('\n', room);
      if (cut < room - 4096 || cut < 0) cut = room;
      else cut += 1;
      this.sink(text.slice(0, cut));
      this.written += cut;
      this.dropped += text.length - cut;
      this.notice();
      return;
    }
    this.dropped += text.length;
    this.notice();
  }

  /** Characters passed on and dropped so far. */
  get counts(): { written: number; dropped: number } {
    return { written: this.written, dropped: this.dropped };
  }

  /** A closing line when something was dropped. */
  summary(): string | undefined {
    if (this.dropped === 0) return undefined;
    return `[Dockwright: ${(this.dropped / 1e6).toFixed(1)} MB more output not shown here${this.fullLog ? `; the full log is ${this.fullLog}` : ''}]\n`;
  }

  private notice(): void {
    if (this.noticed) return;
    this.noticed = true;
    this.sink(`\n[Dockwright: the build writes a lot of output; only the first ${(this.limitBytes / 1e6).toFixed(1)} MB is shown here${this.fullLog ? ` (the full log is ${this.fullLog})` : ''}]\n`);
  }
}
