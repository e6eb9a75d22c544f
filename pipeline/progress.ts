/**
 * Progress for long work: a bar on a terminal, plain lines (at most every 2 s) otherwise.
 */

/** Reports done/total of a named step to stderr. */
export class Progress {
  private last = 0;
  private readonly tty = Boolean(process.stderr.isTTY);
  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly quiet = false,
  ) {}

  update(done: number, detail = ""): void {
    if (this.quiet) return;
    const now = Date.now();
    const final = done >= this.total;
    if (!final && now - this.last < (this.tty ? 100 : 2000)) return;
    this.last = now;
    const pct = this.total === 0 ? 100 : Math.floor((100 * done) / this.total);
    if (this.tty) {
      const width = 30;
      const fill = Math.round((width * pct) / 100);
      process.stderr.write(
        `\r${this.label} [${"#".repeat(fill)}${" ".repeat(width - fill)}] ${pct}% ${done}/${this.total} ${detail}\x1b[K`,
      );
      if (final) process.stderr.write("\n");
    } else {
      process.stderr.write(`${this.label}: ${done}/${this.total} (${pct}%) ${detail}\n`);
    }
  }
}
