/**
 * The container runtimes' default profiles to compare against: Docker's (a file the caller names,
 * e.g. ../shared/datasets/profiles/docker-default.json) and Podman's (Debian's
 * golang-github-containers-common installs it as /usr/share/containers/seccomp.json).
 */
import { existsSync, readFileSync } from "node:fs";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import { parseProfile } from "../../stages/profile/parse.ts";

export const PODMAN_DEFAULT = "/usr/share/containers/seccomp.json";

export interface RuntimeDefault {
  runtime: "docker" | "podman";
  path: string;
  profile: DockerProfile;
}

/** The defaults that can be read here: Docker's from `dockerPath` when given, Podman's when installed. */
export function runtimeDefaults(dockerPath?: string, podmanPath = PODMAN_DEFAULT): RuntimeDefault[] {
  const out: RuntimeDefault[] = [];
  if (dockerPath !== undefined)
    out.push({
      runtime: "docker",
      path: dockerPath,
      profile: parseProfile(readFileSync(dockerPath, "utf8"), dockerPath),
    });
  if (existsSync(podmanPath))
    out.push({
      runtime: "podman",
      path: podmanPath,
      profile: parseProfile(readFileSync(podmanPath, "utf8"), podmanPath),
    });
  return out;
}
