/**
 * Reading profile files for the commands: any format `parseProfile` knows, with unreadable or
 * invalid files as usage errors (exit 2, the file named), and the report `synthesize` wrote beside.
 */
import { existsSync, readFileSync } from "node:fs";
import type { ProfileReport } from "../../schemas/profile-report.ts";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import { parseProfile, ProfileError } from "../../stages/profile/parse.ts";
import { UsageError } from "../errors.ts";

/** The profile in `file` (Docker/OCI JSON or SPO YAML), 64-bit values exact. */
export function readProfileFile(file: string): DockerProfile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(
      `${file}: cannot read the profile (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  try {
    return parseProfile(text, file);
  } catch (e) {
    if (e instanceof ProfileError) throw new UsageError(e.message);
    throw e;
  }
}

/** The report `synthesize` wrote beside a profile (`STEM.report.json`), if any. */
export function reportBeside(profile: string): ProfileReport | undefined {
  const file = profile.replace(/(\.oci)?\.(json|ya?ml)$/, "") + ".report.json";
  if (file === profile || !existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, "utf8")) as ProfileReport;
}
