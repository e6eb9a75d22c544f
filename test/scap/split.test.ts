/**
 * One run per container image: a host capture's container rows go to the image the container
 * meta-events name, host rows stay in the capture's image, `--image` keeps everything together,
 * every block is still counted once, and the bytes do not depend on the worker count.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quoteString, withDb } from "../../pipeline/duckdb.ts";
import { EventBatch } from "../../stages/columns/event-batch.ts";
import { ImageSplit, imagesOf } from "../../stages/scap/image-split.ts";
import { listFiles } from "../util/datasets.ts";
import { runCli } from "../util/cli.ts";
import { scapAvailability } from "./captures.ts";

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "sandmine-split-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface RunRow {
  image: string;
  run: string;
  files: bigint;
  bytes: bigint;
  lines_read: bigint;
  events: bigint;
  event_lines: bigint;
  rejected: bigint;
  skipped: bigint;
  unfinished_never_resumed: bigint;
}

async function runs(out: string): Promise<RunRow[]> {
  return withDb((db) =>
    db.query<RunRow>(
      `SELECT image, run, files, bytes, lines_read, events, event_lines, rejected, skipped, unfinished_never_resumed
       FROM read_parquet(${quoteString(join(out, "runs.parquet"))}) ORDER BY image, run`,
    ),
  );
}

async function rowsByImage(out: string): Promise<{ image: string; n: bigint; ids: string | null }[]> {
  return withDb((db) =>
    db.query(
      `SELECT image, count(*) AS n, string_agg(DISTINCT container_id, ',' ORDER BY container_id) AS ids
       FROM read_parquet(${quoteString(join(out, "events", "*", "*", "*.parquet"))}, hive_partitioning = true)
       GROUP BY image ORDER BY image`,
    ),
  );
}

describe("ImageSplit", () => {
  it("routes only containers with a real image other than the capture's own", () => {
    const map = imagesOf([
      { id: "aaaaaaaaaaaa", image: "nginx", name: "web" },
      { id: "bbbbbbbbbbbb", image: "incomplete", name: "incomplete" },
      { id: "cccccccccccc", image: "", name: "x" },
      { id: "dddddddddddd", image: "host-image", name: "y" },
    ]);
    expect([...map]).toEqual([
      ["aaaaaaaaaaaa", "nginx"],
      ["dddddddddddd", "host-image"],
    ]);
    const batches = new Map<string, EventBatch>();
    const s = new ImageSplit(map, batches, "host-image");
    expect(s.route(null)).toBeNull();
    expect(s.route("bbbbbbbbbbbb")).toBeNull();
    expect(s.route("dddddddddddd")).toBeNull();
    expect(s.route("eeeeeeeeeeee")).toBeNull();
    const t = s.route("aaaaaaaaaaaa")!;
    expect(t.batch).toBe(batches.get("nginx"));
    expect(s.route("aaaaaaaaaaaa")).toBe(t);
    expect([...s.counts.keys()]).toEqual(["nginx"]);
  });
});

describe.skipIf(scapAvailability.skipReason !== null)("a host capture split by container image", () => {
  const file = () => join(scapAvailability.path!, "falcosecurity-falco/psp/run_as_user_0_container.scap");
  const other = () => join(scapAvailability.path!, "falcosecurity-falco/open-multiple-files.scap");

  it("puts the 225 rows of container 697956520d89 in image nginx, the 1,168 host rows in the capture's", async () => {
    const out = join(tmp, "split");
    const r = await runCli("ingest", file(), "--out", out, "-q");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("nginx/run_as_user_0_container: 225 events of its containers");
    expect(await rowsByImage(out)).toEqual([
      { image: "nginx", n: 225n, ids: "697956520d89" },
      { image: "psp", n: 1168n, ids: null },
    ]);
    const [nginx, host] = await runs(out);
    expect(nginx).toMatchObject({ image: "nginx", run: "run_as_user_0_container", files: 0n, bytes: 0n });
    expect(nginx!.events).toBe(225n);
    expect(host).toMatchObject({ image: "psp", files: 1n, rejected: 0n });
    expect(host!.events).toBe(1168n);
    // every block once: the rows add up to the whole capture (4,272 blocks, 1,572 skipped)
    for (const x of [nginx!, host!]) expect(x.lines_read).toBe(x.event_lines + x.rejected + x.skipped);
    expect(nginx!.lines_read + host!.lines_read).toBe(4272n);
    expect(host!.skipped).toBe(1572n);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(manifest.inputs[0].split_images).toEqual(["nginx"]);
  });

  it("does not overwrite a split-off run already in the dataset without --replace", async () => {
    const out = join(tmp, "exists");
    expect((await runCli("ingest", file(), "--out", out, "-q", "--image", "nginx", "--run", "r")).code).toBe(
      0,
    );
    const again = await runCli("ingest", file(), "--out", out, "-q", "--run", "r");
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/run "r" of image "nginx" \(containers of .*\) already exists/);
    expect((await runCli("ingest", file(), "--out", out, "-q", "--run", "r", "--replace")).code).toBe(0);
    expect((await runs(out)).map((x) => [x.image, x.run, Number(x.events)])).toEqual([
      ["nginx", "r", 225],
      ["psp", "r", 1168],
    ]);
  });

  it("--replace with --image removes the runs an earlier ingest split off", async () => {
    const out = join(tmp, "resplit");
    expect((await runCli("ingest", file(), "--out", out, "-q")).code).toBe(0);
    const r = await runCli("ingest", file(), "--out", out, "-q", "--image", "psp", "--replace");
    expect(r.code, r.err).toBe(0);
    expect(await rowsByImage(out)).toEqual([{ image: "psp", n: 1393n, ids: "697956520d89" }]);
    expect((await runs(out)).map((x) => [x.image, Number(x.events)])).toEqual([["psp", 1393]]);
    expect(listFiles(out).some((f) => f.includes("image=nginx"))).toBe(false);
  });

  it("keeps every row in the image --image names", async () => {
    const out = join(tmp, "one-image");
    expect((await runCli("ingest", file(), "--out", out, "-q", "--image", "host")).code).toBe(0);
    expect(await rowsByImage(out)).toEqual([{ image: "host", n: 1393n, ids: "697956520d89" }]);
    const [only] = await runs(out);
    expect(only!.lines_read).toBe(4272n);
  });

  it("refuses a split-off run that coincides with another run of the same ingest", async () => {
    mkdirSync(join(tmp, "nginx"));
    const link = join(tmp, "nginx", "run_as_user_0_container.scap");
    symlinkSync(file(), link);
    const r = await runCli("ingest", file(), link, "--out", join(tmp, "clash"), "-q");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/run "run_as_user_0_container" of image "nginx" would hold both/);
  });

  it("writes the same bytes with 1 and 2 workers", async () => {
    const outs = [join(tmp, "w1"), join(tmp, "w2")];
    for (const [i, out] of outs.entries()) {
      const r = await runCli("ingest", file(), other(), "--out", out, "--workers", String(i + 1), "-q");
      expect(r.code, r.err).toBe(0);
    }
    const files = (d: string) => listFiles(d).map((f) => relative(d, f));
    expect(files(outs[1]!)).toEqual(files(outs[0]!));
    expect(
      files(outs[0]!).filter((f) => f.startsWith("events/image=nginx/") && f.endsWith(".parquet")),
    ).toHaveLength(1);
    for (const f of files(outs[0]!))
      expect(readFileSync(join(outs[1]!, f)).equals(readFileSync(join(outs[0]!, f))), f).toBe(true);
  });
});
