/**
 * What each stage's code version covers: recording keys on the recorder's code only, so a change in
 * ingest (stages/strace/, pipeline/ingest/, the DuckDB boundary) makes ingest stale, not record.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, codeFiles } from "../../pipeline/run/code-version.ts";
import { fileLabel } from "../../pipeline/run/file-label.ts";

const stage = (name: string) => codeFiles(join(ROOT, "pipeline", "run", "stages", `${name}.ts`));

describe("stage code versions", () => {
  it("record reaches the recorder, not ingest or DuckDB", () => {
    const files = Object.keys(stage("record"));
    expect(files).toContain("pipeline/host/record-traces.ts");
    expect(files).toContain("pipeline/host/session.ts");
    expect(files.filter((f) => /^(pipeline\/ingest|stages\/strace)\//.test(f))).toEqual([]);
    expect(files).not.toContain("pipeline/duckdb.ts");
    expect(files).not.toContain("npm:@duckdb/node-api");
  });

  it("ingest reaches the strace parser", () => {
    const files = Object.keys(stage("ingest"));
    expect(files.some((f) => f.startsWith("stages/strace/"))).toBe(true);
    expect(files).toContain("pipeline/ingest/ingest.ts");
  });

  it("files are named relative to the repository, not by where the clone is", () => {
    expect(fileLabel(join(ROOT, "datasets", "record", "images", "nginx", "Dockerfile"))).toBe(
      "datasets/record/images/nginx/Dockerfile",
    );
    expect(fileLabel("/bin/busybox")).toBe("/bin/busybox");
  });
});
