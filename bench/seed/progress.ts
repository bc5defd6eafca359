/** A small progress bar on stderr: redrawn in place on a terminal, a line per tenth otherwise. */
export class ProgressBar {
  private done = 0;
  private lastTenth = -1;
  private readonly started = Date.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  tick(amount: number): void {
    this.done = Math.min(this.total, this.done + amount);
    const fraction = this.total === 0 ? 1 : this.done / this.total;
    const elapsed = (Date.now() - this.started) / 1000;
    const eta = fraction > 0 ? Math.round(elapsed / fraction - elapsed) : 0;
    const line = `${this.label} [${'#'.repeat(Math.round(fraction * 30)).padEnd(30, '.')}] ${(
      fraction * 100
    ).toFixed(0)}% ${this.done}/${this.total} ${Math.round(elapsed)}s elapsed, ~${eta}s left`;
    if (this.stream.isTTY) {
      this.stream.write(`\r${line}`);
      if (this.done >= this.total) {
        this.stream.write('\n');
      }
    } else {
      const tenth = Math.floor(fraction * 10);
      if (tenth !== this.lastTenth) {
        this.lastTenth = tenth;
        this.stream.write(`${line}\n`);
      }
    }
  }
}
