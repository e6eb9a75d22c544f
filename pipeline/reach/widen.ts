/**
 * Writes a mined profile widened by reach's S \ M (stages/reach/profile-reachable.ts): reads a
 * Docker/OCI JSON profile, adds the reachable-but-unseen calls that are not dangerous, writes the
 * result (and the additions with their origins beside it, FILE.reachable.json).
 */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import { DANGEROUS_SYSCALLS } from "../../schemas/dangerous-syscalls.ts";
import { DOCKER_DEFAULT_PROFILE } from "../../schemas/generated/docker-default.ts";
import { compareWithDefault } from "../../stages/seccomp/compare.ts";
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
  await noteInReport(out, w, mode);
  return w;
}

/**
 * The profile report synthesize wrote beside OUT (OUT.report.json) describes the mined profile;
 * its `reachable` field says what was added (each rule's static origin), what was withheld, and
 * the widened profile's attack surface against Docker's default (x86_64, default capabilities).
 */
async function noteInReport(out: string, w: Widened, mode: ReachableMode): Promise<void> {
  const file = out.replace(/\.json$/, "") + ".report.json";
  if (!existsSync(file)) return;
  const report = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
  const c = compareWithDefault(w.profile, DOCKER_DEFAULT_PROFILE, { arch: "x86_64" });
  const danger = new Set(DANGEROUS_SYSCALLS.map((d) => d.name));
  report.reachable = {
    mode,
    added: w.added,
    withheld: w.withheld,
    docker_default: {
      allowed_default: c.default,
      allowed_ours: c.ours,
      removed: c.onlyDefault.length,
      dangerous_removed: c.onlyDefault.filter((n) => danger.has(n)),
    },
  };
  await writeFile(file, JSON.stringify(report, null, 1) + "\n");
}
