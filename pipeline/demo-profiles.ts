/**
 * The demo's profile steps: for each image, synthesize the `safe` profile in every format into
 * DATASET/profiles/, check all three argument modes against the image's own events, and the
 * held-out runs (each run replayed through the profile mined from the other runs).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { quoteString, withDb } from "./duckdb.ts";
import { heldOut, mineAndCheck } from "./profile/held-out.ts";
import { PODMAN_DEFAULT, writeProfiles } from "./profile/synthesize.ts";
import { datasetImages } from "./analyze/prepare.ts";
import { ARG_MODES } from "../schemas/profile-report.ts";

const w = (s: string): void => void process.stdout.write(s);

/** Runtime default profiles to compare with, when this machine has them. */
function defaultProfiles(): string[] {
  const docker = join(process.cwd(), "..", "shared", "datasets", "profiles", "docker-default.json");
  return [PODMAN_DEFAULT, docker].filter((f) => existsSync(f));
}

export async function demoProfiles(dataset: string): Promise<number> {
  const images = datasetImages(dataset);
  const compare = defaultProfiles();
  w(`\nsandmine demo: synthesize (safe, docker/oci/k8s) → ${join(dataset, "profiles")}\n`);
  for (const image of images) {
    const { synthesized, files } = await writeProfiles(
      { dataset, image, args: "safe", arches: ["x86_64", "aarch64"], withRuntime: true },
      join(dataset, "profiles", `${image}.json`),
      ["docker", "oci", "k8s"],
      compare,
    );
    for (const s of synthesized) {
      const r = s.report;
      w(
        `  ${image} ${r.arch}: ${r.allowed} syscalls allowed, ${r.conditional} with argument rules, ` +
          `${r.syscalls.filter((e) => e.provenance?.runtime_only).length} only for runc's init, ${r.enosys.length} ENOSYS, ` +
          `filter ${r.filter_size.libseccomp ?? r.filter_size.estimate} BPF instructions\n`,
      );
      for (const d of r.defaults) {
        w(
          `    vs ${d.profile}: ${d.allowed_default} allowed there, ${d.only_default.length} removed ` +
            `(${d.dangerous_removed.length} with known exploits: ${d.dangerous_removed.join(", ")})\n`,
        );
      }
    }
    w(`    ${files.length} files: ${files.map((f) => f.slice(dataset.length + 1)).join(" ")}\n`);
  }

  w(`\nsandmine demo: check — every recorded event of each image against its own profile\n`);
  w(
    `${"image".padEnd(12)}${"args".padEnd(9)}${"allowed".padStart(8)}${"cond.".padStart(7)}${"rules".padStart(7)}${"checked".padStart(9)}${"denied".padStart(8)}\n`,
  );
  let failed = 0;
  await withDb(async (db) => {
    for (const image of images) {
      for (const args of ARG_MODES) {
        const { synthesized: s, result: r } = await mineAndCheck(db, dataset, image, args);
        if (r.denied) failed++;
        w(
          `${image.padEnd(12)}${args.padEnd(9)}${String(s.report.allowed).padStart(8)}${String(s.report.conditional).padStart(7)}` +
            `${String(s.profile.syscalls.length).padStart(7)}${String(r.checked).padStart(9)}${String(r.denied).padStart(8)}\n`,
        );
      }
    }
    w(`\nsandmine demo: held-out runs — each run replayed through the safe profile mined without it\n`);
    w(
      `${"image".padEnd(12)}${"run".padEnd(10)}${"events".padStart(8)}${"denied".padStart(8)}${"distinct".padStart(9)}  syscalls\n`,
    );
    for (const image of images) {
      const runs = (
        await db.query<{ run: string }>(
          `SELECT DISTINCT run FROM read_parquet(${quoteString(join(dataset, "runs.parquet"))}) WHERE image = $1 ORDER BY run`,
          [image],
        )
      ).map((r) => r.run);
      for (const h of await heldOut(db, dataset, image, runs, "safe")) {
        w(
          `${h.image.padEnd(12)}${h.run.padEnd(10)}${String(h.events).padStart(8)}${String(h.denied).padStart(8)}${String(h.distinct).padStart(9)}  ${h.syscalls.join(", ")}\n`,
        );
      }
    }
  });
  return failed ? 1 : 0;
}
