/**
 * `sandmine ingest` end to end through the CLI entry (pool, workers, Parquet, DuckDB tables):
 * exit statuses, nothing lost, determinism across worker counts, phases on a runc-traced capture.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quoteString, withDb } from "../../pipeline/duckdb.ts";
import { bundledCaptures, listFiles, requireOrSkip, sharedDatasets } from "../util/datasets.ts";
import { runCli } from "../util/cli.ts";

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "sandmine-ingest-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function sql<T>(q: string): Promise<T[]> {
  return withDb((db) => db.query<T>(q));
}

const shared = requireOrSkip(sharedDatasets(), "shared strace datasets");
const strace = shared.path ? join(shared.path, "strace") : "";

describe("usage errors exit with status 2 and say why", () => {
  it("rejects a missing path", async () => {
    const r = await runCli("ingest", join(tmp, "nope"), "--out", join(tmp, "ds-missing"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no such file or folder/);
  });
  it("rejects a file that is not a capture, naming it", async () => {
    const f = join(tmp, "prose.txt");
    writeFileSync(f, "This is a letter.\nIt has two lines.\n");
    const r = await runCli("ingest", f, "--out", join(tmp, "ds-prose"));
    expect(r.code).toBe(2);
    expect(r.err).toContain(f);
    expect(r.err).toMatch(/not a recognised capture/);
  });
  it("rejects corrupt gzip data", async () => {
    const f = join(tmp, "bad.gz");
    writeFileSync(
      f,
      Buffer.concat([gzipSync('read(0, "", 1) = 0\n').subarray(0, 12), Buffer.from("garbage")]),
    );
    const r = await runCli("ingest", f, "--out", join(tmp, "ds-gz"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/corrupt gzip/);
  });
  it("rejects bad options", async () => {
    expect((await runCli("ingest", "x", "--out", join(tmp, "o"), "--workers", "0")).code).toBe(2);
    expect((await runCli("ingest", "--out", join(tmp, "o"))).code).toBe(2);
    expect((await runCli("ingest", "x", "--bogus")).code).toBe(2);
    expect((await runCli("frobnicate")).code).toBe(2);
  });
  it("prints help with every option", async () => {
    const r = await runCli("ingest", "--help");
    expect(r.code).toBe(0);
    for (const o of ["--out", "--image", "--run", "--format", "--workers", "--manifest"])
      expect(r.out).toContain(o);
  });
});

describe.skipIf(shared.skipReason !== null)("real captures", () => {
  it("ingests the shared strace captures with nothing lost, same bytes for 1 and 2 workers", async () => {
    const inputs = [
      "tracecode-toolkit-strace/cp-r",
      "pdtpartners-nix-snapshotter",
      "arastoob-strace-parser",
    ].map((p) => join(strace, p));
    // small pieces so that one file is cut and parsed by both workers
    const outs = [join(tmp, "w1"), join(tmp, "w2")];
    for (const [i, out] of outs.entries()) {
      const r = await runCli(
        "ingest",
        ...inputs,
        "--out",
        out,
        "--workers",
        String(i + 1),
        "--piece-bytes",
        "65536",
        "-q",
      );
      expect(r.code, r.err).toBe(0);
    }
    const files = (d: string) => listFiles(d).map((f) => relative(d, f));
    expect(files(outs[1]!)).toEqual(files(outs[0]!));
    for (const f of files(outs[0]!)) {
      expect(readFileSync(join(outs[1]!, f)).equals(readFileSync(join(outs[0]!, f))), f).toBe(true);
    }
    expect(files(outs[0]!).filter((f) => f.startsWith("events/")).length).toBeGreaterThan(3);
    const runs = await sql<{
      run: string;
      lines_read: bigint;
      event_lines: bigint;
      rejected: bigint;
      skipped: bigint;
    }>(
      `SELECT run, lines_read, event_lines, rejected, skipped FROM read_parquet(${quoteString(join(outs[0]!, "runs.parquet"))}) ORDER BY run`,
    );
    expect(runs.map((r) => r.run)).toEqual(["arastoob-strace-parser", "cp-r", "pdtpartners-nix-snapshotter"]);
    for (const r of runs) expect(r.lines_read).toBe(r.event_lines + r.rejected + r.skipped);
    const wc = (p: string) => readFileSync(p, "latin1").split("\n").length - 1;
    expect(runs.find((r) => r.run === "cp-r")!.lines_read).toBe(
      BigInt(wc(join(strace, "tracecode-toolkit-strace/cp-r/cp.1242528"))),
    );
    const rejects = await sql<{ n: bigint }>(
      `SELECT count(*) AS n FROM read_parquet(${quoteString(join(outs[0]!, "rejects.parquet"))})`,
    );
    expect(rejects[0]!.n).toBe(runs.reduce((n, r) => n + r.rejected, 0n));
  });

  it("skips a capture committed with the same content; refuses other content under its run unless --replace", async () => {
    const out = join(tmp, "twice");
    const cap = join(strace, "arastoob-strace-parser");
    const other = join(strace, "tracecode-toolkit-strace/cp-r");
    expect((await runCli("ingest", cap, "--out", out, "-q")).code).toBe(0);
    const again = await runCli("ingest", cap, "--out", out, "-q");
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/unchanged/);
    const clash = ["--image", "strace", "--run", "arastoob-strace-parser"];
    const refused = await runCli("ingest", other, "--out", out, "-q", ...clash);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/already exists/);
    expect((await runCli("ingest", cap, "--out", out, "-q", "--replace")).code).toBe(0);
    expect((await runCli("ingest", cap, "--out", out, "-q", "--run", "second")).code).toBe(0);
    const runs = await sql<{ run: string }>(
      `SELECT run FROM read_parquet(${quoteString(join(out, "runs.parquet"))}) ORDER BY run`,
    );
    expect(runs.map((r) => r.run)).toEqual(["arastoob-strace-parser", "second"]);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(manifest.inputs.map((i: { run: string }) => i.run)).toEqual(["arastoob-strace-parser", "second"]);
    expect(manifest.inputs[0].files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

const bundled = bundledCaptures();
describe.skipIf(bundled === null)("bundled runc-traced captures", () => {
  it("assigns runtime, init and workload phases from the filter load and the entrypoint's execve", async () => {
    const image = readdirSync(bundled!).sort()[0]!;
    const run = readdirSync(join(bundled!, image), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort()[0]!;
    const out = join(tmp, "phases");
    const r = await runCli("ingest", join(bundled!, image, run), "--out", out, "-q", "--json");
    expect(r.code, r.err).toBe(0);
    const summary = JSON.parse(r.out.trim().split("\n").pop()!);
    expect(summary.rejected).toBe(0);
    const ev = quoteString(join(out, "events", "*", "*", "*.parquet"));
    const phases = await sql<{ phase: string; n: bigint }>(
      `SELECT phase, count(*) AS n FROM read_parquet(${ev}, hive_partitioning = true) GROUP BY phase ORDER BY phase`,
    );
    expect(phases.map((p) => p.phase)).toEqual(["init", "runtime", "workload"]);
    // the filter is loaded by runc init, the workload starts with the entrypoint's execve
    const marks = await sql<{ phase: string; syscall: string; args: string }>(
      `SELECT phase, syscall, left(args_raw, 40) AS args FROM read_parquet(${ev}, hive_partitioning = true)
       WHERE (syscall = 'prctl' AND args_raw LIKE 'PR_SET_SECCOMP%' AND ret = 0) OR (syscall = 'execve' AND phase = 'init')`,
    );
    expect(marks.some((m) => m.syscall === "prctl" && m.phase === "runtime")).toBe(true);
    expect(marks.some((m) => m.syscall === "execve" && m.phase === "init")).toBe(true);
    // nothing the container's entrypoint does after its execve is labelled runtime
    const late = await sql<{ n: bigint }>(
      `WITH e AS (SELECT * FROM read_parquet(${ev}, hive_partitioning = true))
       SELECT count(*) AS n FROM e WHERE phase <> 'workload' AND tid IN (SELECT tid FROM e WHERE phase = 'workload')
         AND seq > (SELECT min(seq) FROM e e2 WHERE e2.tid = e.tid AND e2.phase = 'workload')`,
    );
    expect(late[0]!.n).toBe(0n);
  });
});
