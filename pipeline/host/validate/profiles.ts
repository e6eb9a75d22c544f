/**
 * The profiles a validation runs: the files given on the command line, else the experiment's
 * `profiles:` list (files relative to the experiment, or synthesized from the dataset).
 */
import { join, resolve } from "node:path";
import type { ProfileSpec } from "../../../schemas/experiment.ts";
import type { DockerProfile } from "../../../schemas/seccomp-profile.ts";
import { allowedNames } from "../../../stages/host/complain.ts";
import { readProfileFile } from "../../profile/load.ts";
import { writeProfiles } from "../../profile/synthesize.ts";
import type { Ctx, Resolved } from "./context.ts";

/** Synthesizes the experiment image's x86_64 profile into `file` (without `excludeRuns`). */
export async function synthesizeTo(
  c: Ctx,
  args: "none" | "safe" | "learned",
  file: string,
  excludeRuns?: string[],
): Promise<DockerProfile> {
  if (!c.o.dataset)
    throw new Error(`a synthesize profile needs --dataset DATASET (recorded with sandmine record)`);
  const { synthesized } = await writeProfiles(
    {
      dataset: c.o.dataset,
      image: c.le.exp.name,
      args,
      arches: ["x86_64"],
      withRuntime: true,
      ...(excludeRuns ? { excludeRuns } : {}),
    },
    file,
    ["docker"],
  );
  return synthesized[0]!.profile;
}

/** The profiles to validate, in order; synthesized ones are written first. */
export async function resolveProfiles(c: Ctx): Promise<Resolved[]> {
  if (c.o.profileFiles && c.o.profileFiles.length > 0)
    return c.o.profileFiles.map((f) => ({
      label: f.replace(/^.*\//, "").replace(/\.json$/, ""),
      file: resolve(f),
      source: "file",
      profile: readProfileFile(f),
      args: null,
    }));
  const specs: ProfileSpec[] = c.le.exp.profiles ?? [];
  if (specs.length === 0)
    throw new Error("no profiles to validate: give --profile FILE or list profiles: in the experiment");
  const out: Resolved[] = [];
  for (const p of specs) {
    if (p.file) {
      const file = resolve(c.le.base, p.file);
      out.push({
        label: p.label ?? p.file.replace(/^.*\//, "").replace(/\.json$/, ""),
        file,
        source: "file",
        profile: readProfileFile(file),
        args: null,
      });
    } else {
      const args = p.synthesize!.args;
      const file = join(c.o.profilesOut ?? c.work, `${c.le.exp.name}.${args}.json`);
      const profile = await synthesizeTo(c, args, file);
      c.o.log(`synthesized ${file} (--args ${args}, ${allowedNames(profile).length} syscalls allowed)`);
      out.push({ label: p.label ?? args, file, source: `synthesize --args ${args}`, profile, args });
    }
  }
  return out;
}
