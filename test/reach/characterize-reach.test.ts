/**
 * `characterize --rootfs`: the comparison of the mined set with the statically reachable one, on a
 * real image tree (the Debian bookworm tree `record` runs: datasets/record/build-images.sh base,
 * which CI builds) and the bundled nginx recordings (datasets/captures), as a user reads it: the
 * characterize output's `reach` fields and text, reach.json beside characterize's outputs, and the
 * report's section.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIKELIHOODS } from "../../stages/reach/program.ts";
import { RISK_ORDER } from "../../stages/reach/compare.ts";
import type { ReachSourceRecord, ReachSummary } from "../../stages/reach/summary.ts";
import { imageLog, staleReason } from "../../pipeline/reach/provenance.ts";
import { runCli } from "../util/cli.ts";
import { REPO_ROOT } from "../util/datasets.ts";
import { skipWithout } from "./host-binaries.ts";

const TREE = join(process.env.SANDMINE_CACHE ?? "/var/tmp/sandmine-cache", "bookworm-rootfs");

function skipReason(): string | null {
  if (!existsSync(join(TREE, "usr/sbin/nginx"))) {
    const reason = `${TREE} has no nginx (build it: bash datasets/record/build-images.sh base)`;
    if (process.env.CI) throw new Error(`${reason}; .ci/run builds it when CI is set`);
    return reason;
  }
  return skipWithout([], true);
}
const skip = skipReason();

describe.skipIf(skip !== null)(`characterize --rootfs on nginx${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let tmp: string;
  let ds: string;
  let json: { image: string; syscalls: { syscall: string }[]; reach: ReachSummary };
  let text: string;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), "sandmine-char-reach-"));
    ds = join(tmp, "ds");
    const caps = join(REPO_ROOT, "datasets", "captures", "nginx");
    writeFileSync(
      join(tmp, "m.yaml"),
      `captures:\n` +
        `  - { path: ${caps}/run-01, image: nginx, run: run-01, format: strace }\n` +
        `  - { path: ${caps}/run-04, image: nginx, run: run-04, format: strace }\n`,
    );
    const ing = await runCli("ingest", "--manifest", join(tmp, "m.yaml"), "--out", ds, "-q");
    expect(ing.code, ing.err).toBe(0);
    const j = await runCli("characterize", ds, "--image", "nginx", "--rootfs", TREE, "--json");
    expect(j.code, j.err).toBe(0);
    json = JSON.parse(j.out) as typeof json;
    const t = await runCli("characterize", ds, "--image", "nginx", "--rootfs", TREE);
    expect(t.code, t.err).toBe(0);
    text = t.out;
  }, 600_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("the JSON output carries M, S, M \\ S each explained, and S \\ M by risk and by likelihood", () => {
    const r = json.reach;
    expect(r.programs.map((p) => p.path)).toEqual(["/usr/sbin/nginx"]);
    const characterized = new Set(json.syscalls.map((s) => s.syscall));
    for (const m of r.mined) expect(characterized.has(m), m).toBe(true);
    for (const s of ["accept4", "epoll_wait", "sendfile", "writev", "openat"]) {
      expect(r.mined, s).toContain(s);
      expect(r.reachable, s).toContain(s);
    }
    expect(r.gaps.length).toBeGreaterThan(0); // runc init's own calls before nginx's execve
    for (const g of r.gaps) {
      expect(g.reason, g.syscall).not.toBe("unexplained");
      expect(g.detail).not.toBe("");
    }
    expect(r.both + r.gaps.length).toBe(r.mined.length);
    expect(r.both + r.byRisk.length).toBe(r.reachable.length);
    for (let i = 1; i < r.byRisk.length; i++)
      expect(RISK_ORDER[r.byRisk[i - 1]!.risk]).toBeGreaterThanOrEqual(RISK_ORDER[r.byRisk[i]!.risk]);
    expect([...r.byLikelihood].sort()).toEqual(r.byRisk.map((u) => u.syscall).sort());
    const lk = new Map(r.byRisk.map((u) => [u.syscall, LIKELIHOODS.indexOf(u.likelihood)]));
    for (let i = 1; i < r.byLikelihood.length; i++)
      expect(lk.get(r.byLikelihood[i - 1]!)!).toBeGreaterThanOrEqual(lk.get(r.byLikelihood[i]!)!);
    expect(Object.values(r.riskCounts).reduce((a, b) => a + b, 0)).toBe(r.byRisk.length);
    expect(r.limits.map((l) => l.kind)).toEqual(expect.arrayContaining(["vdso", "stdio-vtable", "runtime"]));
  });

  it("reach.json beside characterize's outputs holds the same comparison; the text shows it", () => {
    const file = join(ds, "characterize", "image=nginx", "reach.json");
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(json.reach);
    const r = json.reach;
    expect(text).toContain(
      `|M| ${r.mined.length}, |S| ${r.reachable.length}, both ${r.both}, |M\\S| ${r.gaps.length}, |S\\M| ${r.byRisk.length}`,
    );
    for (const g of r.gaps) expect(text).toContain(`  ${g.syscall}  ${g.reason}: `);
    expect(text).toMatch(/S \\ M by risk: \d+ warning/);
    expect(text).toMatch(/S \\ M by likelihood: \d+ from the program's own code/);
    expect(text).toContain("stdio-vtable: ");
  });

  it("the report shows the comparison in the image's section, and report --json carries it", async () => {
    const out = join(tmp, "rep");
    const r = await runCli("report", ds, "--out", out, "-q");
    expect(r.code, r.err).toBe(0);
    const html = readFileSync(join(out, "report.html"), "utf8");
    const s = json.reach;
    expect(html).toContain(`id="reach-section-nginx"`);
    expect(html).toContain(`data-figure="image.nginx.reach.unseen" data-value="${s.byRisk.length}"`);
    expect(html).toContain(`data-figure="image.nginx.reach.gaps" data-value="${s.gaps.length}"`);
    const gapsTable = html.slice(
      html.indexOf(`id="reach-gaps-nginx"`),
      html.indexOf(`id="reach-risk-nginx"`),
    );
    for (const g of s.gaps) expect(gapsTable).toContain(`<td>${g.syscall}</td><td>${g.reason}</td>`);
    const j = await runCli("report", ds, "--json");
    expect(j.code, j.err).toBe(0);
    const data = JSON.parse(j.out) as { images: { image: string; reach?: ReachSummary }[] };
    expect(data.images.find((i) => i.image === "nginx")?.reach).toEqual(s);
  }, 600_000);

  it("--exclude-runs holds runs out of M; --rootfs needs one image", async () => {
    const r = await runCli(
      "characterize",
      ds,
      "--image",
      "nginx",
      "--rootfs",
      TREE,
      "--exclude-runs",
      "run-04",
      "--json",
    );
    expect(r.code, r.err).toBe(0);
    const held = (JSON.parse(r.out) as typeof json).reach;
    expect(held.excludedRuns).toEqual(["run-04"]);
    expect(held.mined.length).toBeLessThanOrEqual(json.reach.mined.length);
    expect(held.reachable).toEqual(json.reach.reachable);
    const bad = await runCli("characterize", ds, "--rootfs", TREE);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--rootfs takes one image/);
  }, 600_000);

  it("reach.json records its source; after a re-ingest the report says it is stale instead of showing it", async () => {
    const fresh = await runCli("characterize", ds, "--image", "nginx", "--rootfs", TREE, "--json");
    expect(fresh.code, fresh.err).toBe(0);
    const src = (JSON.parse(fresh.out) as typeof json).reach.source!;
    expect(src.dataset).toMatchObject({ image: "nginx", runs: 2 });
    expect(src.dataset.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(src.rootfs.kind).toBe("directory");
    if (src.rootfs.kind === "directory")
      expect(src.rootfs.files.map((f) => f.path)).toContain("/usr/sbin/nginx");
    // a run added to the image (the same happens on ingest --replace of one of its runs)
    writeFileSync(
      join(tmp, "m2.yaml"),
      `captures:\n  - { path: ${join(REPO_ROOT, "datasets", "captures", "nginx")}/run-02, image: nginx, run: run-02, format: strace }\n`,
    );
    const ing = await runCli("ingest", "--manifest", join(tmp, "m2.yaml"), "--out", ds, "-q");
    expect(ing.code, ing.err).toBe(0);
    const j = await runCli("report", ds, "--json");
    expect(j.code, j.err).toBe(0);
    const data = JSON.parse(j.out) as { images: { image: string; reach?: ReachSummary }[] };
    const stale = data.images.find((i) => i.image === "nginx")?.reach?.stale;
    expect(stale).toMatch(
      /reach\.json is stale: the dataset's runs of image nginx changed since \(2 committed run\(s\) then, 3 now/,
    );
    expect(stale).toContain(`recompute it with sandmine characterize ${ds} --image nginx --rootfs ${TREE}`);
    expect(j.err).toContain(`sandmine report: warning: ${stale}`);
    const out = join(tmp, "rep-stale");
    const r = await runCli("report", ds, "--out", out, "-q");
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/sandmine report: warning: .*reach\.json is stale/);
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toContain(`id="reach-section-nginx"`);
    expect(html).toMatch(/Not shown: .*reach\.json is stale/);
    expect(html).not.toContain(`data-figure="image.nginx.reach.unseen"`);
    // recomputed: current again
    const again = await runCli("characterize", ds, "--image", "nginx", "--rootfs", TREE, "--json");
    expect(again.code, again.err).toBe(0);
    const j2 = await runCli("report", ds, "--json");
    expect(j2.err).not.toContain("is stale");
    const d2 = JSON.parse(j2.out) as { images: { image: string; reach?: ReachSummary }[] };
    const cur = d2.images.find((i) => i.image === "nginx")!.reach!;
    expect(cur.stale).toBeUndefined();
    expect(cur.source!.dataset.runs).toBe(3);
  }, 600_000);

  it("a changed file of the rootfs makes the record stale, with the file named", () => {
    const dir = mkdtempSync(join(tmpdir(), "sandmine-stale-"));
    try {
      const host = join(dir, "prog");
      writeFileSync(host, "x");
      const st = statSync(host);
      const log = imageLog(ds, "nginx");
      const source: ReachSourceRecord = {
        dataset: { image: "nginx", ...log },
        rootfs: {
          kind: "directory",
          path: dir,
          files: [{ path: "/prog", host, size: st.size, mtimeMs: st.mtimeMs }],
        },
      };
      expect(staleReason(ds, source)).toBeNull();
      writeFileSync(host, "xy");
      expect(staleReason(ds, source)).toBe(
        `/prog in the rootfs ${dir} changed since (another size or mtime)`,
      );
      expect(staleReason(ds, undefined)).toMatch(/records no source/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
