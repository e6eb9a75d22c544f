/**
 * Held-out runs on the host: for each recorded run k, the profile mined without run k runs the
 * tests run k recorded, enforced and in complain mode; what fails or is logged is what a profile
 * learned without that run would have broken.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { HeldOutRow } from "../../../schemas/validation-report.ts";
import { complain } from "./complain.ts";
import type { Ctx, Resolved } from "./context.ts";
import { runTests } from "./enforce.ts";
import { synthesizeTo } from "./profiles.ts";

/** Run ids of the experiment's image in the dataset, with the tests each one ran. */
function datasetRuns(dataset: string, image: string): { run: string; tests: string[] }[] {
  const m = JSON.parse(readFileSync(join(dataset, "manifest.json"), "utf8")) as {
    inputs?: { image: string; run: string; labels?: Record<string, string> }[];
  };
  return (m.inputs ?? [])
    .filter((r) => r.image === image)
    .map((r) => ({
      run: r.run,
      tests: Object.keys(r.labels ?? {})
        .filter((k) => k.startsWith("test:"))
        .map((k) => k.slice(5)),
    }))
    .sort((a, b) => (a.run < b.run ? -1 : 1));
}

/** The held-out rows of a synthesized profile `p` (null for a file, or fewer than 2 runs). */
export async function heldOut(c: Ctx, p: Resolved): Promise<HeldOutRow[] | null> {
  if (!p.args || !c.o.dataset) return null;
  const runs = datasetRuns(c.o.dataset, c.le.exp.name);
  if (runs.length < 2) return null;
  const rows: HeldOutRow[] = [];
  for (const r of runs) {
    const file = join(c.work, `${p.label}.without-${r.run}.json`);
    const profile = await synthesizeTo(c, p.args, file, [r.run]);
    const only = new Set(r.tests.length > 0 ? r.tests : c.le.exp.tests.map((t) => t.name));
    const held: Resolved = { ...p, label: `${p.label}.without-${r.run}`, file, profile };
    const enf = await runTests(c, { kind: "profile", file }, false, only);
    const cmp = await complain(c, held, only, false);
    rows.push({
      heldOut: r.run,
      profile: file,
      tests: only.size,
      failed: enf.error
        ? [`(container: ${enf.error})`]
        : enf.tests.filter((t) => !t.passed).map((t) => t.name),
      denials: cmp.summary.map((s) => s.syscall),
    });
    c.o.log(
      `held-out ${r.run}: ${rows.at(-1)!.failed.length} failed, ${rows.at(-1)!.denials.length} syscalls logged`,
    );
  }
  return rows;
}
