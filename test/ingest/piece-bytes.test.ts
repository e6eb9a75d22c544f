/**
 * The dataset does not depend on how the work was cut: ingests with the default piece size, with
 * 64 KiB and 4 KiB pieces, and with 1 and 2 workers give the same bytes in every file (events
 * files, commit records, tables, manifest), on gzip `-ff` captures (small files packed into tasks)
 * and on plain single-file captures (cut inside files); file hashes are of whole files.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, requireOrSkip, sharedDatasets } from "../util/datasets.ts";
import { runCli } from "../util/cli.ts";
import { datasetHashes } from "../dataset/child.ts";

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "sandmine-pieces-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const shared = requireOrSkip(sharedDatasets(), "shared strace datasets");

describe("--piece-bytes and --workers change no byte of the dataset", () => {
  it("default, 64 KiB and 4 KiB pieces, 1 and 2 workers", async () => {
    const inputs = [
      join(REPO_ROOT, "datasets", "captures", "nginx", "run-02"),
      join(REPO_ROOT, "datasets", "captures", "memcached", "run-03"),
      ...(shared.path
        ? ["tracecode-toolkit-strace/cp-r", "pdtpartners-nix-snapshotter"].map((p) =>
            join(shared.path!, "strace", p),
          )
        : []),
    ];
    const variants: string[][] = [
      ["--workers", "2"],
      ["--workers", "1", "--piece-bytes", "65536"],
      ["--workers", "2", "--piece-bytes", "4096"],
    ];
    const hashes: Record<string, string>[] = [];
    for (const [i, v] of variants.entries()) {
      const out = join(tmp, `v${i}`);
      const r = await runCli("ingest", ...inputs, "--out", out, "-q", ...v);
      expect(r.code, r.err).toBe(0);
      hashes.push(datasetHashes(out));
    }
    expect(hashes[1]).toEqual(hashes[0]);
    expect(hashes[2]).toEqual(hashes[0]);
    const manifest = JSON.parse(readFileSync(join(tmp, "v2", "manifest.json"), "utf8")) as {
      inputs: { files: { name: string; sha256: string }[]; source: string }[];
    };
    for (const input of manifest.inputs) {
      for (const f of input.files) {
        const path = statSync(input.source).isDirectory() ? join(input.source, f.name) : input.source;
        expect(f.sha256, f.name).toBe(createHash("sha256").update(readFileSync(path)).digest("hex"));
      }
    }
  }, 600_000);
});
