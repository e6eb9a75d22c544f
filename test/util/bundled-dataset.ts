/**
 * The bundled captures (datasets/captures.yaml) ingested into a fresh temporary folder, for tests
 * that run later stages on real data. The caller removes `tmp` afterwards.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { runCli } from "./cli.ts";
import { REPO_ROOT } from "./datasets.ts";

export interface BundledDataset {
  /** the temporary folder (remove it in afterAll) */
  tmp: string;
  /** the dataset inside it */
  ds: string;
}

/** Ingests the bundled captures into `<tmp>/ds`; fails the test when ingest does. */
export async function ingestBundled(prefix: string): Promise<BundledDataset> {
  const tmp = mkdtempSync(join(tmpdir(), `sandmine-${prefix}-`));
  const ds = join(tmp, "ds");
  const r = await runCli(
    "ingest",
    "--manifest",
    join(REPO_ROOT, "datasets", "captures.yaml"),
    "--out",
    ds,
    "-q",
  );
  expect(r.code, r.err).toBe(0);
  return { tmp, ds };
}
