/**
 * `sandmine ingest --sysdig-format P`: sysdig text written with a custom `-p` format (LID-DS's)
 * ingests through the CLI into the same rows as the `-j` output it was written from.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quoteString, withDb } from "../../pipeline/duckdb.ts";
import { expected, scapAvailability } from "../scap/captures.ts";
import { runCli } from "../util/cli.ts";

const LIDDS = "%evt.rawtime %user.uid %proc.pid %proc.name %thread.tid %syscall.type %evt.dir %evt.args";
const CAPTURE = "falcosecurity-libs/curl_google.scap";

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "sandmine-sysdig-format-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The LID-DS line of each `-j` event (uid 1000, pid = tid: curl is single-threaded). */
function liddsText(json: string): string {
  return (
    json
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => {
        const o = JSON.parse(l) as Record<string, string | number>;
        const ts = /"evt\.outputtime":(\d+)/.exec(l)![1]!;
        const tid = o["thread.tid"]!;
        return `${ts} 1000 ${tid} ${o["proc.name"]} ${tid} ${o["evt.type"]} ${o["evt.dir"]} ${o["evt.info"]}`;
      })
      .join("\n") + "\n"
  );
}

const COLUMNS =
  "syscall, tid, nr, ret, errno_name, arg0, arg1, arg2, ts_ns, duration_ns, comm, path, args_raw";

async function rowsOf(out: string, image: string): Promise<Record<string, unknown>[]> {
  const glob = quoteString(join(out, "events", `image=${image}`, "**", "*.parquet"));
  return withDb((db) =>
    db.query(`SELECT ${COLUMNS} FROM read_parquet(${glob}) ORDER BY ts_ns, tid, syscall, args_raw`),
  );
}

describe.skipIf(scapAvailability.skipReason !== null)("ingest --sysdig-format", () => {
  it("ingests LID-DS-format text into the rows of the -j output it was written from", async () => {
    const json = expected(CAPTURE, ".jsonl")!;
    const jsonFile = join(tmp, "curl.jsonl");
    const textFile = join(tmp, "curl.lidds.txt");
    writeFileSync(jsonFile, json);
    writeFileSync(textFile, liddsText(json));
    const out = join(tmp, "ds");
    const a = await runCli("ingest", jsonFile, "--out", out, "--image", "json", "--run", "r", "-q");
    expect({ code: a.code, err: a.err }).toEqual({ code: 0, err: "" });
    const b = await runCli(
      "ingest",
      textFile,
      "--out",
      out,
      "--image",
      "lidds",
      "--run",
      "r",
      "--sysdig-format",
      LIDDS,
      "--workers",
      "2",
      "-q",
    );
    expect({ code: b.code, err: b.err }).toEqual({ code: 0, err: "" });
    const ra = await rowsOf(out, "json");
    const rb = await rowsOf(out, "lidds");
    expect(ra.length).toBeGreaterThan(500);
    expect(rb).toEqual(ra);
    const runs = await withDb((db) =>
      db.query<{ image: string; lines_read: bigint; rejected: bigint; events: bigint }>(
        `SELECT image, lines_read, rejected, events FROM read_parquet(${quoteString(join(out, "runs.parquet"))}) ORDER BY image`,
      ),
    );
    expect(runs.map((r) => [r.image, Number(r.rejected), Number(r.events)])).toEqual([
      ["json", 0, ra.length],
      ["lidds", 0, ra.length],
    ]);
    expect(Number(runs[1]!.lines_read)).toBe(json.split("\n").filter((l) => l !== "").length);
  });

  it("without the option the text is not recognised; a bad format is a usage error", async () => {
    const textFile = join(tmp, "plain.txt");
    writeFileSync(textFile, liddsText(expected(CAPTURE, ".jsonl")!));
    const out = join(tmp, "ds2");
    const none = await runCli("ingest", textFile, "--out", out, "-q");
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/not a recognised capture/);
    const bad = await runCli("ingest", textFile, "--out", out, "--sysdig-format", "%evt.num %fd.name");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/%fd\.name is not supported/);
    const strace = await runCli(
      "ingest",
      textFile,
      "--out",
      out,
      "--format",
      "strace",
      "--sysdig-format",
      LIDDS,
    );
    expect(strace.code).toBe(2);
    expect(strace.err).toMatch(/--sysdig-format goes with --format auto or sysdig-text/);
  });
});
