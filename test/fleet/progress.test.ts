/**
 * The job's progress display (pipeline/progress.ts): what it draws on a terminal and off one, from
 * the steps run inside it, on a clock the test moves; silent when quiet.
 */
import { describe, expect, it } from "vitest";
import { JobProgress, Progress, duration, type ProgressOutput } from "../../pipeline/progress.ts";

function fakeOutput(tty: boolean): ProgressOutput & { text: string; clock: number } {
  const o = {
    tty,
    text: "",
    clock: 0,
    write: (t: string) => void (o.text += t),
    now: () => o.clock,
  };
  return o;
}

describe("JobProgress", () => {
  it("off a terminal: a plain line at most every 2 s, units done, events/s and an ETA from the weighted steps", () => {
    const out = fakeOutput(false);
    const job = new JobProgress("ingest", "captures", 10, { scan: 1, parse: 4 }, false, out);
    job.skip(2);
    out.clock = 1000;
    job.step("scan", 5, 5, {});
    out.clock = 1500; // within 2 s of the last line: not drawn
    job.step("parse", 1, 8, { finished: 1, events: 500 });
    out.clock = 4000;
    job.step("parse", 4, 8, { finished: 4, events: 4000 });
    const lines = out.text.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe("ingest: 2/10 captures · 1s · ETA 4s");
    // 6 of 10 done (2 skipped, 4 finished); work 0.2 + 0.8 * 4/8 = 0.6 done in 4 s: 2.7 s to go
    expect(lines[1]).toBe("ingest: 6/10 captures · 4000 events · 1000 events/s · 4s · ETA 3s");
    job.finish();
    job.finish();
    expect(out.text.trimEnd().split("\n")).toHaveLength(3);
  });

  it("on a terminal: one line redrawn in place, ended by a newline when finished", () => {
    const out = fakeOutput(true);
    const job = new JobProgress("coverage", "images", 2, {}, false, out);
    out.clock = 200;
    job.step("images", 1, 2, { finished: 1 });
    out.clock = 400;
    job.step("images", 2, 2, { finished: 2 });
    job.finish();
    expect(out.text).toBe(
      "\rcoverage: 1/2 images · 0s · ETA 0s\x1b[K\rcoverage: 2/2 images · 0s\x1b[K\rcoverage: 2/2 images · 0s\x1b[K\n",
    );
  });

  it("quiet: nothing at all", () => {
    const out = fakeOutput(false);
    const job = new JobProgress("ingest", "captures", 3, {}, true, out);
    job.step("parse", 3, 3, { finished: 3, events: 10 });
    job.finish();
    expect(out.text).toBe("");
    expect(job.done()).toBe(3);
  });

  it("a step's Progress created inside run() feeds the job instead of printing its own line", async () => {
    const out = fakeOutput(false);
    const job = new JobProgress("ingest", "captures", 4, { parse: 1 }, false, out);
    await job.run(async () => {
      const p = new Progress("parse", 2);
      out.clock = 3000;
      p.update(1, "1 events", { finished: 2, events: 100 });
    });
    expect(out.text).toBe("ingest: 2/4 captures · 100 events · 33 events/s · 3s · ETA 3s\n");
  });

  it("durations", () => {
    expect([duration(0), duration(59.4), duration(75), duration(3600 + 120)]).toEqual([
      "0s",
      "59s",
      "1m15s",
      "1h02m",
    ]);
  });
});
