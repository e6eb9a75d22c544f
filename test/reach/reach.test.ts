/**
 * `sandmine reach` end to end: the memcached runs of datasets/styles ingested, the host's `/`
 * as the image's root filesystem (a test shortcut only: a Debian bookworm host has the image's libc6
 * 2.36 build and memcached 1.6.18 with a security update; a real image is given as a directory, such
 * as the tree `record` runs, or a `docker export` tar), and a tar of the files memcached loads, with the image's symlinks.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReachResult } from "../../pipeline/reach/reach.ts";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import { RISK_ORDER } from "../../stages/reach/compare.ts";
import { runCli } from "../util/cli.ts";
import { REPO_ROOT } from "../util/datasets.ts";
import { MEMCACHED, skipWithout } from "./host-binaries.ts";

const skip = skipWithout([MEMCACHED, "/lib/x86_64-linux-gnu/libevent-2.1.so.7"], true);

describe.skipIf(skip !== null)(`reach on memcached${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let tmp: string;
  let ds: string;
  let first: ReachResult;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), "sandmine-reach-"));
    ds = join(tmp, "ds");
    const manifest = join(tmp, "m.yaml");
    const styles = join(REPO_ROOT, "datasets", "styles");
    writeFileSync(
      manifest,
      `captures:\n` +
        `  - { path: ${styles}/raw-n/memcached/run-01, image: memcached, run: raw-01, format: strace }\n` +
        `  - { path: ${styles}/usecase/memcached/stats-binary, image: memcached, run: uc, format: strace }\n`,
    );
    const ing = await runCli("ingest", "--manifest", manifest, "--out", ds, "-q");
    expect(ing.code, ing.err).toBe(0);
    const r = await runCli("reach", "/", "--dataset", ds, "--image", "memcached", "--json");
    expect(r.code, r.err).toBe(0);
    first = JSON.parse(r.out) as ReachResult;
  }, 600_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("analyses the program the runs executed and what it loads, libc per function", () => {
    expect(first.programs.map((p) => p.path)).toEqual(["/usr/bin/memcached"]);
    const files = first.files.map((f) => f.path);
    expect(files).toContain("/usr/bin/memcached");
    expect(files.some((f) => f.includes("libevent-2.1.so.7"))).toBe(true);
    expect(first.files.find((f) => f.path.endsWith("/libc.so.6"))?.closures).toBe(true);
    expect(first.programs[0]!.missing).toEqual([]);
  });

  it("S holds what memcached's event loop and threads need; every member of M \\ S is explained", () => {
    for (const s of ["epoll_wait", "epoll_ctl", "accept4", "clone3", "exit_group", "read", "sendmsg"])
      expect(first.reachableSet, s).toContain(s);
    expect(first.comparison.gaps.filter((g) => g.reason === "unexplained")).toEqual([]);
    for (const g of first.comparison.gaps) expect(g.reason).toBe("runtime"); // runc init's own calls
    expect(first.comparison.mined).toBe(first.minedSet.length);
    expect(first.comparison.both + first.comparison.gaps.length).toBe(first.comparison.mined);
    expect(first.comparison.both + first.comparison.unseen.length).toBe(first.comparison.reachable);
  });

  it("S \\ M is ranked: CVE-listed calls first, then by likelihood", () => {
    const u = first.comparison.unseen;
    const risk = RISK_ORDER;
    for (let i = 1; i < u.length; i++) expect(risk[u[i - 1]!.risk]).toBeGreaterThanOrEqual(risk[u[i]!.risk]);
    expect(u.every((x) => x.origins.length > 0)).toBe(true);
    expect(u.some((x) => x.risk !== "none")).toBe(true);
  });

  it("a second run takes every file from the cache and gives the same sets", async () => {
    const r = await runCli("reach", "/", "--dataset", ds, "--image", "memcached", "--json");
    expect(r.code, r.err).toBe(0);
    const again = JSON.parse(r.out) as ReachResult;
    expect(again.files.every((f) => f.cached)).toBe(true);
    expect(again.reachableSet).toEqual(first.reachableSet);
    expect(again.comparison).toEqual(first.comparison);
  });

  it("a docker-export-style tar of the files (with /lib a symlink into usr) gives the same S", async () => {
    const tar = join(tmp, "rootfs.tar");
    // the files and their soname symlinks (libevent-2.1.so.7 -> libevent-2.1.so.7.0.1)
    const files = first.files.map((f) => f.path.slice(1).replace(/\.so\..*$/, ".so*"));
    execFileSync("bash", [
      "-c",
      `cd / && tar -cf ${tar} lib lib64 usr/lib64 etc/ld.so.conf etc/ld.so.conf.d ${files.join(" ")}`,
    ]);
    const r = await runCli(
      "reach",
      tar,
      "--dataset",
      ds,
      "--image",
      "memcached",
      "--json",
      "--no-cache",
      "--workers",
      "1",
    );
    expect(r.code, r.err).toBe(0);
    const t = JSON.parse(r.out) as ReachResult;
    expect(t.files.every((f) => !f.cached)).toBe(true);
    expect(t.files.map((f) => f.path)).toEqual(first.files.map((f) => f.path));
    expect(t.programs[0]!.missing).toEqual([]);
    expect(t.reachableSet).toEqual(first.reachableSet);
    expect(t.comparison).toEqual(first.comparison); // one file at a time or several: the same result
  }, 600_000);

  it("coverage --rootfs: Chao2 beside |M| and |S|, flagged only above |S ∪ M|", async () => {
    const r = await runCli("coverage", ds, "--image", "memcached", "--rootfs", "/", "--json");
    expect(r.code, r.err).toBe(0);
    const c = JSON.parse(r.out.split("\n")[0]!) as {
      chao2: number;
      static_bound: { mined: number; reachable: number; union: number; chao2: number; exceeds: boolean };
    };
    const union = new Set([...first.minedSet, ...first.reachableSet]).size;
    expect(c.static_bound).toMatchObject({
      mined: first.minedSet.length,
      reachable: first.reachableSet.length,
      union,
      chao2: c.chao2,
      exceeds: c.chao2 > union,
    });
    const all = await runCli("coverage", ds, "--all-images", "--rootfs", "/");
    expect(all.code).toBe(2);
    expect(all.err).toMatch(/--rootfs takes one image/);
  }, 600_000);

  it("synthesize --reachable allow: the mined profile plus S \\ M's non-dangerous calls, in one command", async () => {
    const mined = join(tmp, "mined.json");
    const wide = join(tmp, "synth-wide.json");
    const a = await runCli("synthesize", ds, "--image", "memcached", "--out", mined, "--args", "none");
    expect(a.code, a.err).toBe(0);
    const b = await runCli(
      "synthesize",
      ds,
      "--image",
      "memcached",
      "--out",
      wide,
      "--args",
      "none",
      "--reachable",
      "allow",
      "--rootfs",
      "/",
    );
    expect(b.code, b.err).toBe(0);
    const names = (f: string) =>
      new Set((JSON.parse(readFileSync(f, "utf8")) as DockerProfile).syscalls.flatMap((x) => x.names));
    const before = names(mined);
    const after = names(wide);
    const harmless = first.comparison.unseen.filter((u) => u.risk === "none").map((u) => u.syscall);
    for (const n of before) expect(after.has(n), n).toBe(true);
    for (const n of harmless) expect(after.has(n), n).toBe(true);
    for (const u of first.comparison.unseen.filter((x) => x.risk !== "none")) {
      if (!before.has(u.syscall)) expect(after.has(u.syscall), u.syscall).toBe(false);
    }
    expect(b.out).toMatch(new RegExp(`reachable \\(allow\\): ${harmless.length} calls`));
    // the profile report beside it says what was added (with origins) and the widened attack surface
    type Rep = {
      allowed: number;
      rules: { profile_rules: number; type_rules: number };
      syscalls: { name: string; verdict: string; notes?: string[] }[];
      defaults: { runtime?: string; allowed_ours: number }[];
      filter_size: { estimate: number };
      reachable: {
        added: { syscall: string; origin: string }[];
        mined: { allowed: number; rules: { profile_rules: number }; filter_size: { estimate: number } };
        docker_default: { allowed_default: number; allowed_ours: number; removed: number };
      };
    };
    const rep = JSON.parse(readFileSync(wide.replace(/\.json$/, ".report.json"), "utf8")) as Rep;
    const minedRep = JSON.parse(readFileSync(mined.replace(/\.json$/, ".report.json"), "utf8")) as Rep;
    expect(rep.reachable.added.map((x) => x.syscall).sort()).toEqual([...harmless].sort());
    for (const x of rep.reachable.added) expect(x.origin).toMatch(/^\//);
    expect(rep.reachable.docker_default.allowed_default).toBe(301);
    // the report's figures describe the widened profile; the mined one's are kept under reachable.mined
    expect(rep.reachable.mined.allowed).toBe(minedRep.allowed);
    expect(rep.reachable.mined.rules.profile_rules).toBe(minedRep.rules.profile_rules);
    expect(rep.allowed).toBe(minedRep.allowed + harmless.length);
    expect(rep.rules.profile_rules).toBe(minedRep.rules.profile_rules + harmless.length);
    expect(rep.filter_size.estimate).toBeGreaterThan(minedRep.filter_size.estimate);
    const docker = rep.defaults.find((d) => d.runtime === "docker")!;
    expect(docker.allowed_ours).toBe(rep.reachable.docker_default.allowed_ours);
    expect(docker.allowed_ours).toBeGreaterThan(
      minedRep.defaults.find((d) => d.runtime === "docker")!.allowed_ours,
    );
    for (const n of harmless) {
      const e = rep.syscalls.find((x) => x.name === n)!;
      expect(e.verdict, n).toBe("allow");
      expect(e.notes?.[0], n).toMatch(/^static: \//);
    }
    const html = join(tmp, "rep");
    const shown = await runCli("report", ds, "--out", html, "--reports", tmp, "-q");
    expect(shown.code, shown.err).toBe(0);
    const page = readFileSync(join(html, "report.html"), "utf8");
    expect(page).toContain(
      `Widened by static reach (--reachable allow): ${harmless.length} call(s) the runs never made`,
    );
    expect(page).toContain(`allows ${rep.reachable.docker_default.allowed_ours} of Docker's 301`);
    expect(page).toContain("The counts above are the widened profile's");
    const bad = await runCli("synthesize", ds, "--image", "memcached", "--out", wide, "--reachable", "allow");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--reachable MODE and --rootfs DIR go together/);
  }, 600_000);

  it("--widen adds S \\ M's non-dangerous calls to a profile, each with its static origin", async () => {
    const profile = join(tmp, "p.json");
    const out = join(tmp, "wide.json");
    writeFileSync(
      profile,
      JSON.stringify({
        defaultAction: "SCMP_ACT_ERRNO",
        syscalls: [{ names: first.minedSet, action: "SCMP_ACT_ALLOW" }],
      }),
    );
    const r = await runCli(
      "reach",
      "/",
      "--dataset",
      ds,
      "--image",
      "memcached",
      "--widen",
      profile,
      "--out",
      out,
      "--reachable",
      "log",
    );
    expect(r.code, r.err).toBe(0);
    const wide = JSON.parse(readFileSync(out, "utf8")) as DockerProfile;
    const added = wide.syscalls.slice(1);
    const harmless = first.comparison.unseen.filter((u) => u.risk === "none").map((u) => u.syscall);
    expect(added.map((x) => x.names[0]).sort()).toEqual([...harmless].sort());
    for (const rule of added) {
      expect(rule.action).toBe("SCMP_ACT_LOG");
      expect(rule.comment).toMatch(/^static: \//);
    }
    const side = JSON.parse(readFileSync(join(tmp, "wide.reachable.json"), "utf8")) as {
      withheld: { syscall: string }[];
    };
    expect(side.withheld.map((w) => w.syscall).sort()).toEqual(
      first.comparison.unseen
        .filter((u) => u.risk !== "none")
        .map((u) => u.syscall)
        .sort(),
    );
  });

  it("bad input: a missing rootfs and an unknown image are exit 2 with the reason", async () => {
    const a = await runCli("reach", join(tmp, "nope"), "--dataset", ds, "--image", "memcached");
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/no such directory or archive/);
    const b = await runCli("reach", "/", "--dataset", ds, "--image", "nosuch");
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/no runs of image nosuch/);
  });
});
