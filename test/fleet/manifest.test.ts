/**
 * Fleet manifests: CSV as well as YAML, and paths with globs, each match a capture of its own
 * (image and run from its folder and name unless given). On a synthetic fleet from the bundled
 * captures: a CSV manifest of globs ingests exactly the dataset's events that the YAML manifest
 * listing each capture does; bad manifests are exit 2 naming the file and line or entry.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expandGlob } from "../../pipeline/ingest/glob.ts";
import { capturesFromManifest } from "../../pipeline/ingest/inputs.ts";
import { CsvError, parseCsv } from "../../stages/csv/parse.ts";
import { runCli } from "../util/cli.ts";
import { bundledCaptures, requireOrSkip } from "../util/datasets.ts";
import { writeFleet, type Fleet } from "../util/fleet.ts";

describe("parseCsv", () => {
  it("reads quoted fields with commas, quotes and newlines, CRLF, and skips blank lines", () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\n\n"two\nlines",\n')).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["x, y", 'say "hi"'] },
      { line: 4, fields: ["two\nlines", ""] },
    ]);
  });
  it("refuses an unclosed quote and text after a closing quote, with the line", () => {
    expect(() => parseCsv('a\n"open')).toThrow(CsvError);
    expect(() => parseCsv('a\n"x"y')).toThrow("text after a closing quote");
  });
});

describe("expandGlob", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "sandmine-glob-"));
    for (const p of ["a/run-1/t.1", "a/run-2/t.1", "b/run-1/t.1", "b/deep/run-3/t.1", "a/.hidden/t.1"]) {
      mkdirSync(join(dir, p, ".."), { recursive: true });
      writeFileSync(join(dir, p), "x");
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const rel = (xs: string[]) => xs.map((x) => relative(dir, x));
  it("matches names with * ? [..], folders at any depth with **, no dot names unless asked, sorted", () => {
    expect(rel(expandGlob(dir, "*/run-?"))).toEqual(["a/run-1", "a/run-2", "b/run-1"]);
    expect(rel(expandGlob(dir, "[a]/run-[!1]"))).toEqual(["a/run-2"]);
    expect(rel(expandGlob(dir, "**/run-*"))).toEqual(["a/run-1", "a/run-2", "b/deep/run-3", "b/run-1"]);
    expect(rel(expandGlob(dir, "a/*"))).toEqual(["a/run-1", "a/run-2"]);
    expect(rel(expandGlob(dir, "a/.h*"))).toEqual(["a/.hidden"]);
    expect(expandGlob(dir, "c/*")).toEqual([]);
  });
});

const avail = requireOrSkip(bundledCaptures(), "bundled captures (datasets/captures)");

describe.skipIf(avail.skipReason !== null)("ingest --manifest: CSV and globs", () => {
  let tmp: string;
  let fleet: Fleet;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), "sandmine-manifest-"));
    fleet = writeFleet(join(tmp, "fleet"), { images: 3, capturesPerImage: 2, seed: 3 });
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  /** sha256 of each events file of a dataset, by path. */
  function events(ds: string): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (d: string): void => {
      for (const e of readdirSync(d).sort()) {
        const p = join(d, e);
        if (statSync(p).isDirectory()) walk(p);
        else if (e.endsWith(".parquet"))
          out[relative(ds, p)] = createHash("sha256").update(readFileSync(p)).digest("hex");
      }
    };
    walk(join(ds, "events"));
    return out;
  }

  it("a CSV of globs (image from the folder, a label column) = the YAML manifest listing each capture", async () => {
    const csv = join(fleet.dir, "fleet.csv");
    writeFileSync(csv, 'path,format,team\n"*/run-*",strace,payments\n');
    const listed = capturesFromManifest(csv, "auto");
    expect(listed.map((c) => `${c.image}/${c.run}`)).toEqual(
      fleet.captures.map((c) => `${c.image}/${c.run}`).sort(),
    );
    expect(listed.every((c) => c.labels.team === "payments" && c.format === "strace")).toBe(true);
    const a = await runCli(
      "ingest",
      "--manifest",
      fleet.manifest,
      "--out",
      join(tmp, "yaml"),
      "-q",
      "--json",
    );
    expect(a.code, a.err).toBe(0);
    const b = await runCli("ingest", "--manifest", csv, "--out", join(tmp, "csv"), "-q", "--json");
    expect(b.code, b.err).toBe(0);
    const ea = events(join(tmp, "yaml"));
    expect(Object.keys(ea).length).toBeGreaterThanOrEqual(6);
    expect(events(join(tmp, "csv"))).toEqual(ea);
  }, 600_000);

  it("bad manifests: exit 2 naming the file and the line or entry", async () => {
    const cases: [string, string, string][] = [
      [
        "nothing.yaml",
        "captures:\n  - { path: 'nope-*/run-*' }\n",
        "captures[0]: path nope-*/run-* matches no file or folder",
      ],
      [
        "run.yaml",
        "captures:\n  - { path: '*/run-*', run: r1 }\n",
        "captures[0]: run r1 names one run, but path */run-* matches 6",
      ],
      ["nopath.csv", "image,run\nx,y\n", "nopath.csv:1: the header row has no path column"],
      ["format.csv", "path,format\n*/run-01,pcap\n", 'format.csv:2: format "pcap" is not one of'],
      ["fields.csv", "path,image\n*/run-01\n", "fields.csv:2: 1 fields, the header has 2"],
    ];
    for (const [name, text, message] of cases) {
      const file = join(fleet.dir, name);
      writeFileSync(file, text);
      const r = await runCli("ingest", "--manifest", file, "--out", join(tmp, "bad"), "-q");
      expect(r.code, name).toBe(2);
      expect(r.err, name).toContain(message);
    }
  });
});
