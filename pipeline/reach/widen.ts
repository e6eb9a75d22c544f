/**
 * Writes a mined profile widened by reach's S \ M (stages/reach/profile-reachable.ts): reads a
 * Docker/OCI JSON profile, adds the reachable-but-unseen calls that are not dangerous, writes the
 * result (and the additions with their origins beside it, FILE.reachable.json).
 */
import { readFile, writeFile } from "node:fs/promises";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import type { Unseen } from "../../stages/reach/compare.ts";
import {
  widenWithReachable,
  type ReachableMode,
  type Widened,
} from "../../stages/reach/profile-reachable.ts";
import { UsageError } from "../errors.ts";

export async function widenProfileFile(
  input: string,
  out: string,
  unseen: readonly Unseen[],
  mode: ReachableMode,
): Promise<Widened> {
  const text = await readFile(input, "utf8").catch(() => {
    throw new UsageError(`${input}: cannot read the profile`);
  });
  let profile: DockerProfile;
  try {
    profile = JSON.parse(text) as DockerProfile;
  } catch (e) {
    throw new UsageError(`${input}: not JSON (${(e as Error).message})`);
  }
  if (
    typeof profile !== "object" ||
    profile === null ||
    !Array.isArray(profile.syscalls) ||
    typeof profile.defaultAction !== "string"
  ) {
    throw new UsageError(`${input}: not a Docker/OCI seccomp profile (needs defaultAction and syscalls)`);
  }
  const w = widenWithReachable(profile, unseen, mode);
  await writeFile(out, JSON.stringify(w.profile, null, 2) + "\n");
  await writeFile(
    out.replace(/\.json$/, "") + ".reachable.json",
    JSON.stringify({ mode, added: w.added, withheld: w.withheld }, null, 2) + "\n",
  );
  return w;
}
