/**
 * The demo's profile steps: for each image, synthesize the `safe` profile in every format into
 * DATASET/profiles/, check all three argument modes against the image's own events, and the
 * held-out runs (each run replayed through the profile mined from the other runs). One table per
 * step; the comparisons with the runtimes' defaults in full go to a file.
 */
import { join, relative } from "node:path";
import { quoteString, withDb } from "./duckdb.ts";
import { heldOut, mineAndCheck } from "./profile/held-out.ts";
import { defaultCompare, writeProfiles } from "./profile/synthesize.ts";
import { datasetImages } from "./analyze/prepare.ts";
import { table } from "./analyze/text-tables.ts";
import { paint } from "./terminal.ts";
import { ARG_MODES } from "../schemas/profile-report.ts";
import type { DefaultComparison } from "../schemas/profile-report.ts";

const w = (s: string): void => void process.stdout.write(s);

/** A path as the demo prints it: relative to the repository root (where npm run demo runs). */
export const shown = (path: string): string => relative(process.cwd(), path) || ".";

/** The line that starts a step of the demo. */
export const heading = (step: string): string => `\n${paint().bold(`sandmine demo: ${step}`)}\n`;

/** A runtime default's short name for a column: docker, podman, or the file's name. */
const shortName = (d: DefaultComparison): string => d.runtime ?? d.profile.replace(/^.*\//, "");

export async function demoProfiles(
  dataset: string,
  writeTable: (name: string, text: string) => string,
): Promise<number> {
  const images = datasetImages(dataset);
  const compare = defaultCompare();
  const dir = join(dataset, "profiles");
  w(heading(`synthesize (safe, docker/oci/k8s, x86_64 and aarch64) → ${shown(dir)}`));
  const rows: (string | number)[][] = [];
  const header = ["image", "arch", "allowed", "arg rules", "runc init only", "ENOSYS", "BPF"];
  const details: string[] = [];
  /** the runtime defaults compared with, as the first profile's report names them */
  let defaultsSeen: string[] = [];
  let files = 0;
  for (const image of images) {
    const written = await writeProfiles(
      { dataset, image, args: "safe", arches: ["x86_64", "aarch64"], withRuntime: true },
      join(dir, `${image}.json`),
      ["docker", "oci", "k8s"],
      compare,
    );
    files += written.files.length;
    for (const s of written.synthesized) {
      const r = s.report;
      if (rows.length === 0) defaultsSeen = r.defaults.map(shortName);
      rows.push([
        image,
        r.arch,
        r.allowed,
        r.conditional,
        r.syscalls.filter((e) => e.provenance?.runtime_only).length,
        r.enosys.length,
        r.filter_size.libseccomp ?? r.filter_size.estimate,
        ...r.defaults.map(
          (d) => `${d.only_default.length} of ${d.allowed_default} (${d.dangerous_removed.length})`,
        ),
      ]);
      for (const d of r.defaults) {
        details.push(
          `${image} ${r.arch} vs ${d.profile}: ${d.allowed_default} allowed there, ${d.only_default.length} removed ` +
            `(${d.dangerous_removed.length} with known exploits: ${d.dangerous_removed.join(", ")})` +
            (d.only_ours.length ? `; not in it: ${d.only_ours.join(", ")}` : ""),
        );
      }
      details.push(...written.kubernetes.map((k) => `${image} ${k}`));
    }
    details.push(`${image}: ${written.files.map((f) => shown(f)).join(" ")}`, "");
  }
  const columns = defaultsSeen.map((d) => `removed of ${d}'s`);
  w(table([...header, ...columns], rows) + "\n");
  const file = writeTable("synthesize.txt", details.join("\n"));
  if (columns.length)
    w(`removed: the default's allowed syscalls the profile denies (with known exploits: in parentheses)\n`);
  w(`${files} files in ${shown(dir)}; each profile against the runtimes' defaults and its files: ${file}\n`);

  w(heading(`check — every recorded event of each image against its own profile`));
  let failed = 0;
  await withDb(async (db) => {
    const checks: (string | number)[][] = [];
    for (const image of images) {
      for (const args of ARG_MODES) {
        const { synthesized: s, result: r } = await mineAndCheck(db, dataset, image, args);
        if (r.denied) failed++;
        checks.push([
          image,
          args,
          s.report.allowed,
          s.report.conditional,
          s.profile.syscalls.length,
          r.checked,
          r.denied,
        ]);
      }
    }
    w(table(["image", "args", "allowed", "arg rules", "rule entries", "checked", "denied"], checks) + "\n");

    w(heading(`held-out runs — each run replayed through the safe profile mined without it`));
    const held: (string | number)[][] = [];
    for (const image of images) {
      const runs = (
        await db.query<{ run: string }>(
          `SELECT DISTINCT run FROM read_parquet(${quoteString(join(dataset, "runs.parquet"))}) WHERE image = $1 ORDER BY run`,
          [image],
        )
      ).map((r) => r.run);
      for (const h of await heldOut(db, dataset, image, runs, "safe")) {
        held.push([h.image, h.run, h.events, h.denied, h.distinct, h.syscalls.join(", ")]);
      }
    }
    w(table(["image", "run", "events", "denied", "distinct", "syscalls denied"], held) + "\n");
  });
  return failed ? 1 : 0;
}
