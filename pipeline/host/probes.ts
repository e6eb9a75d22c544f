/**
 * Attack probes: the C sources in datasets/probes/ built with `gcc -static` into a temp folder,
 * copied into a temporary image on top of the experiment's (`/sandmine-probes/NAME`), and run
 * in the experiment's container under a confinement. The answer is the probe's
 * `probe NAME errno=N` line, or its exit status when it could not write.
 */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "./repo-root.ts";
import { PROBES, type Probe } from "../../schemas/probes.ts";
import type { ProbeRun } from "../../schemas/validation-report.ts";
import { errnoName } from "../../stages/host/errno.ts";
import type { Cleanup } from "./cleanup.ts";
import { ownedTempDir } from "./owned-temp.ts";
import { uniqueName, type Docker } from "./docker.ts";
import { buildOnTop } from "./images.ts";
import { runOk } from "./proc.ts";
import type { Session } from "./types.ts";

// from the repository root: in the CLI bundle `../..` of this module is out/
export const PROBE_SOURCES = join(REPO, "datasets", "probes") + "/";

/** Builds every probe; returns the folder holding the static binaries. */
export async function buildProbes(cleanup: Cleanup, names: string[]): Promise<string> {
  const dir = ownedTempDir(cleanup, "probes");
  const bin = join(dir, "sandmine-probes");
  mkdirSync(bin);
  chmodSync(dir, 0o755);
  chmodSync(bin, 0o755);
  await Promise.all(
    names.map((n) =>
      runOk("gcc", ["-static", "-O2", "-Wall", "-o", join(bin, n), join(PROBE_SOURCES, `${n}.c`)], {
        timeout: 300,
      }),
    ),
  );
  writeFileSync(join(dir, "Dockerfile"), "FROM base\nCOPY sandmine-probes/ /sandmine-probes/\n");
  return dir;
}

/** The experiment's image with the probes in /sandmine-probes/ (removed at the end). */
export async function probeImage(
  docker: Docker,
  cleanup: Cleanup,
  probesDir: string,
  image: string,
): Promise<string> {
  const ref = `sandmine-tmp/${uniqueName("probes")}:latest`;
  await buildOnTop(docker, cleanup, probesDir, image, ref);
  return ref;
}

export function parseProbeOutput(name: string, status: number | null, output: string): ProbeRun {
  const m = new RegExp(`^probe ${name} errno=(\\d+)`, "m").exec(output);
  let errno: number | null = m ? Number(m[1]) : null;
  // no line: the exit status carries the errno unless the probe died or docker failed (125-127)
  if (errno === null && status !== null && status < 125) errno = status;
  return { errno, errnoName: errnoName(errno), status, output: output.trim().slice(0, 300) };
}

/**
 * Runs the probes in one container of the probe image under `conf`, each through `docker exec`
 * (an exec'd process gets the container's seccomp filter, as the entrypoint does). A container
 * that does not start is an error, not an answer: no probe ran, so none can count as let through.
 */
export async function runProbes(
  start: () => Promise<Session>,
  probes: Probe[],
): Promise<Map<string, ProbeRun>> {
  const out = new Map<string, ProbeRun>();
  const s = await start();
  try {
    for (const p of probes) {
      const r = await s.run({ exec: [`/sandmine-probes/${p.name}`], timeout: 30 });
      out.set(p.name, parseProbeOutput(p.name, r.status, r.stdout + r.stderr));
    }
  } finally {
    await s.stop();
  }
  return out;
}

export const probesByName = (names: string[]): Probe[] => PROBES.filter((p) => names.includes(p.name));
