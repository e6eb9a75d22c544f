/**
 * Progress for long work on stderr: a bar on a terminal, plain lines (at most every 2 s) otherwise.
 * A step (`Progress`: the scan pass, the parse pass, an image of `--all-images`) reports done/total.
 * Inside `withJob`, the steps of one command feed one display for the whole job instead (captures
 * or images done of the total, events/s, ETA), so a fleet's ingest shows one line, not one per pass.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** What a step knows besides its own done count: units of the whole job finished, events so far. */
export interface JobCounts {
  /** captures (images) of the job finished so far by this step */
  finished?: number;
  /** events read so far by this step */
  events?: number;
}

/** Where a display writes, and its clock: stderr and `Date.now` (tests give their own). */
export interface ProgressOutput {
  tty: boolean;
  write(text: string): void;
  now(): number;
}

const stderrOutput = (): ProgressOutput => ({
  tty: Boolean(process.stderr.isTTY),
  write: (t) => void process.stderr.write(t),
  now: () => Date.now(),
});

/** Redraws at most every 100 ms on a terminal, prints a line at most every 2 s otherwise. */
const interval = (tty: boolean): number => (tty ? 100 : 2000);

const jobs = new AsyncLocalStorage<JobProgress>();

/** Reports done/total of a named step to stderr (or to the job display it runs in). */
export class Progress {
  private last = 0;
  private readonly job = jobs.getStore();
  private readonly out = stderrOutput();
  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly quiet = false,
  ) {}

  update(done: number, detail = "", counts: JobCounts = {}): void {
    if (this.job) return this.job.step(this.label, done, this.total, counts);
    if (this.quiet) return;
    const now = this.out.now();
    const final = done >= this.total;
    if (!final && now - this.last < interval(this.out.tty)) return;
    this.last = now;
    const pct = this.total === 0 ? 100 : Math.floor((100 * done) / this.total);
    if (this.out.tty) {
      const width = 30;
      const fill = Math.round((width * pct) / 100);
      this.out.write(
        `\r${this.label} [${"#".repeat(fill)}${" ".repeat(width - fill)}] ${pct}% ${done}/${this.total} ${detail}\x1b[K`,
      );
      if (final) this.out.write("\n");
    } else {
      this.out.write(`${this.label}: ${done}/${this.total} (${pct}%) ${detail}\n`);
    }
  }
}

/** A step's share of the job's work when the ETA is estimated (the rest: steps not named here). */
export type StepWeights = Readonly<Record<string, number>>;

/** `1234567` → `1.2M`. */
function compact(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  return String(Math.round(n));
}

/** `75` → `1m15s`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/**
 * One display for a whole job of `total` units (captures of an ingest, images of `--all-images`):
 * units done, events and events/s, and an ETA from the steps' progress weighted by `weights`.
 * Silent when `quiet`.
 */
export class JobProgress {
  private readonly t0: number;
  private last = -Infinity;
  private skipped = 0;
  /** units of the batches before the current one (all done), their events, the current batch's units */
  private before = 0;
  private eventsBefore = 0;
  private batchUnits: number | null = null;
  private readonly steps = new Map<string, { done: number; total: number; counts: JobCounts }>();
  private finishedLine = false;
  constructor(
    private readonly label: string,
    private readonly noun: string,
    private readonly total: number,
    private readonly weights: StepWeights,
    private readonly quiet = false,
    private readonly out: ProgressOutput = stderrOutput(),
  ) {
    this.t0 = out.now();
  }

  /** Runs `fn` with every `Progress` created inside it feeding this display. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    return jobs.run(this, fn);
  }

  /** Units that need no work (a capture committed before with the same content): done from the start. */
  skip(n: number): void {
    this.skipped += n;
  }

  /**
   * The next `units` of the job run as a batch of their own (an ingest in batches): the steps start
   * again from 0 for it, the batches before count as done.
   */
  batch(units: number): void {
    if (this.batchUnits !== null) {
      this.before += this.batchUnits;
      this.eventsBefore = this.events();
      this.steps.clear();
    }
    this.batchUnits = units;
  }

  step(label: string, done: number, total: number, counts: JobCounts): void {
    const prev = this.steps.get(label);
    this.steps.set(label, { done, total, counts: { ...prev?.counts, ...counts } });
    this.draw(false);
  }

  /** Units done: the skipped ones and those the furthest step finished. */
  done(): number {
    let finished = 0;
    for (const s of this.steps.values()) finished = Math.max(finished, s.counts.finished ?? 0);
    return Math.min(this.total, this.skipped + this.before + finished);
  }

  private events(): number {
    let n = 0;
    for (const s of this.steps.values()) n = Math.max(n, s.counts.events ?? 0);
    return this.eventsBefore + n;
  }

  /** Share of the work done, 0..1: each step's done/total times its weight. */
  private fraction(): number {
    const weight = Object.values(this.weights).reduce((a, b) => a + b, 0);
    if (weight === 0) return this.total === 0 ? 1 : this.done() / this.total;
    let f = 0;
    for (const [label, w] of Object.entries(this.weights)) {
      const s = this.steps.get(label);
      if (s) f += w * (s.total === 0 ? 1 : s.done / s.total);
    }
    if (this.batchUnits === null) return f / weight;
    const work = this.total - this.skipped;
    return work <= 0 ? 1 : (this.before + (this.batchUnits * f) / weight) / work;
  }

  /** The display's text now. */
  line(): string {
    const seconds = (this.out.now() - this.t0) / 1000;
    const events = this.events();
    const rate = seconds > 0 ? events / seconds : 0;
    const f = this.fraction();
    const eta = f > 0 && f < 1 ? ` · ETA ${duration((seconds * (1 - f)) / f)}` : "";
    return (
      `${this.label}: ${this.done()}/${this.total} ${this.noun}` +
      (events > 0 ? ` · ${compact(events)} events · ${compact(rate)} events/s` : "") +
      ` · ${duration(seconds)}${eta}`
    );
  }

  private draw(final: boolean): void {
    if (this.quiet) return;
    const now = this.out.now();
    if (!final && now - this.last < interval(this.out.tty)) return;
    this.last = now;
    if (this.out.tty) this.out.write(`\r${this.line()}\x1b[K${final ? "\n" : ""}`);
    else this.out.write(this.line() + "\n");
  }

  /** Draws the last state (once). */
  finish(): void {
    if (this.finishedLine) return;
    this.finishedLine = true;
    this.draw(true);
  }
}
