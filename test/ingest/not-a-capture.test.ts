/**
 * A file that is not a capture never becomes a run: no parsable line is exit 2 naming the file,
 * its first line and the reason, with nothing written; too many rejects (default 5 %,
 * `--max-reject-share`) is exit 2 as well unless the user raises the share.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../util/cli.ts";
import { REPO_ROOT } from "../util/datasets.ts";

const tmp = mkdtempSync(join(tmpdir(), "sandmine-notcap-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A real capture's first `n` lines with every `every`-th replaced by text that is not strace's. */
function damaged(n: number, every: number): string {
  const file = join(REPO_ROOT, "datasets/captures/redis/run-01");
  const text = gunzipSync(readFileSync(join(file, "trace.6151.gz"))).toString("utf8");
  return (
    text
      .split("\n")
      .slice(0, n)
      .map((l, i) => (i % every === every - 1 ? "this line is not strace output" : l))
      .join("\n") + "\n"
  );
}

describe("ingest refuses what is not a capture", () => {
  it("README.md: exit 2, the file, its first line and the reason; no dataset written", async () => {
    const ds = join(tmp, "readme-ds");
    const r = await runCli("ingest", join(REPO_ROOT, "README.md"), "--out", ds, "-q");
    expect(r.code).toBe(2);
    // refused at format detection (no strace line in the first 200) or after parsing (no line parsed)
    expect(r.err).toMatch(
      /README\.md: not a (recognised )?capture: (no strace line in the first \d+ lines|none of its \d+ lines parsed)/,
    );
    expect(existsSync(join(ds, "runs.parquet"))).toBe(false);
    expect(existsSync(join(ds, "events"))).toBe(false);
  });

  it("a capture with 10 % rejected lines: exit 2 by default, ingested with --max-reject-share 0.2", async () => {
    const dir = join(tmp, "app");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "run-01"), damaged(400, 10));
    const ds = join(tmp, "share-ds");
    const refused = await runCli("ingest", join(dir, "run-01"), "--out", ds, "-q");
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(
      /run-01: 40 of 400 lines rejected \(10\.0% > --max-reject-share 5\.0%; first: run-01:10: not strace output/,
    );
    expect(existsSync(join(ds, "runs.parquet"))).toBe(false);
    const taken = await runCli("ingest", join(dir, "run-01"), "--out", ds, "-q", "--max-reject-share", "0.2");
    expect(taken.code, taken.err).toBe(0);
    expect(taken.out).toContain("40 rejected");
  });

  it("a bad --max-reject-share is a usage error", async () => {
    const r = await runCli(
      "ingest",
      join(REPO_ROOT, "README.md"),
      "--out",
      join(tmp, "x"),
      "--max-reject-share",
      "7",
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain("--max-reject-share");
  });
});
