/**
 * `tsx test/bench/reach-profiles.ts`: what `synthesize --reachable allow` buys on the style
 * recordings (datasets/styles.yaml), per image: the profile mined from the benchmark runs alone
 * and the same widened by reach's non-dangerous S \ M calls (the image's Debian tree as rootfs:
 * $SANDMINE_CACHE, default /var/tmp/sandmine-cache), each checked (`sandmine check`) against the
 * held-out use-case run, and each compared with the runtime default (Docker's: calls allowed,
 * removed, dangerous ones removed). A measurement of counts, not of time. Results:
 * out/bench/reach-profiles.json and a table on stdout.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { REPO_ROOT } from "../util/datasets.ts";
import { runCli } from "../util/cli.ts";
import { DANGEROUS_SYSCALLS } from "../../schemas/dangerous-syscalls.ts";
import { DOCKER_DEFAULT_PROFILE } from "../../schemas/generated/docker-default.ts";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import { compileProfile } from "../../stages/seccomp/compile.ts";
import { allowedNames } from "../../stages/seccomp/lints.ts";
import { STYLE_TREES } from "../util/reach-trees.ts";

/** What a profile allows on x86_64 (Docker's default capabilities), unconditionally or for some arguments. */
const allowedOf = (p: DockerProfile): Set<string> => {
  const a = allowedNames(compileProfile(p, { arch: "x86_64" }));
  return new Set([...a.always, ...a.conditional]);
};
const DOCKER = allowedOf(DOCKER_DEFAULT_PROFILE);
const DANGER = new Set(DANGEROUS_SYSCALLS.map((d) => d.name));

const TREES = STYLE_TREES;

interface Entry {
  path: string;
  image: string;
  run: string;
  labels: Record<string, string>;
}
interface Check {
  denied: number;
  calls: { syscall: string; events: number }[];
}

async function cli(...args: string[]): Promise<string> {
  const r = await runCli(...args);
  if (r.code !== 0 && !(args[0] === "check" && r.code === 1))
    throw new Error(`sandmine ${args.join(" ")}: exit ${r.code}\n${r.err}`);
  return r.out;
}

async function main(): Promise<void> {
  const styles = join(REPO_ROOT, "datasets");
  const all = (
    parse(readFileSync(join(styles, "styles.yaml"), "utf8")) as { captures: Entry[] }
  ).captures.map((e) => ({ ...e, path: join(styles, e.path) }));
  const tmp = mkdtempSync(join(tmpdir(), "sandmine-reach-profiles-"));
  const ds = { bench: join(tmp, "bench"), usecase: join(tmp, "usecase") };
  for (const [role, dir] of [
    ["benchmark", ds.bench],
    ["usecase", ds.usecase],
  ] as const) {
    const m = join(tmp, `${role}.yaml`);
    writeFileSync(m, stringify({ captures: all.filter((e) => e.labels.role === role) }));
    await cli("ingest", "--manifest", m, "--out", dir, "-q");
  }
  const rows: Record<string, unknown>[] = [];
  for (const image of ["nginx", "redis", "memcached", "postgres"]) {
    const tree = TREES[image]!;
    if (!existsSync(tree)) {
      console.log(`${image}: skipped, no tree at ${tree} (bash datasets/record/build-images.sh rootfs)`);
      continue;
    }
    const row: Record<string, unknown> = { image, rootfs: tree };
    for (const kind of ["mined", "reachable"] as const) {
      const out = join(tmp, `${image}-${kind}.json`);
      const extra = kind === "reachable" ? ["--reachable", "allow", "--rootfs", tree] : [];
      await cli("synthesize", ds.bench, "--image", image, "--out", out, "--args", "none", ...extra);
      const c = JSON.parse(await cli("check", out, ds.usecase, "--image", image, "--json")) as Check;
      // counted from the profile written (the calls it allows, with or without conditions)
      const ours = allowedOf(JSON.parse(readFileSync(out, "utf8")) as DockerProfile);
      row[kind] = {
        allowed: ours.size,
        dockerDefault: DOCKER.size,
        removedFromDefault: [...DOCKER].filter((n) => !ours.has(n)).length,
        dangerousRemoved: [...DOCKER].filter((n) => DANGER.has(n) && !ours.has(n)),
        dangerousAllowed: [...ours].filter((n) => DANGER.has(n)),
        deniedEvents: c.denied,
        deniedCalls: c.calls.map((x) => x.syscall),
      };
    }
    rows.push(row);
  }
  console.log(
    "image      profile    allowed  Docker default  removed from it  dangerous: of the default's removed / allowed  use-case denials (events, calls)",
  );
  for (const r of rows) {
    for (const kind of ["mined", "reachable"] as const) {
      const k = r[kind] as Record<string, unknown> & {
        dangerousRemoved: string[];
        dangerousAllowed: string[];
        deniedCalls: string[];
      };
      console.log(
        [
          String(r.image).padEnd(10),
          kind.padEnd(10),
          String(k.allowed).padStart(7),
          String(k.dockerDefault).padStart(15),
          String(k.removedFromDefault).padStart(16),
          `  ${k.dangerousRemoved.length} / ${k.dangerousAllowed.length} (${k.dangerousAllowed.join(" ")})`,
          `  ${String(k.deniedEvents)} events, ${k.deniedCalls.length} calls: ${k.deniedCalls.join(" ")}`,
        ].join(" "),
      );
    }
  }
  mkdirSync(join(REPO_ROOT, "out", "bench"), { recursive: true });
  writeFileSync(join(REPO_ROOT, "out", "bench", "reach-profiles.json"), JSON.stringify(rows, null, 2) + "\n");
  rmSync(tmp, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
