/**
 * synthesize → check → diff on the bundled real captures, through the CLI: every image's profile
 * in every mode passes its own events, the files are deterministic and well-formed in all three
 * formats, every SeccompProfile applies against the SPO CRD (v1 as written, v1beta1 with a
 * namespace as rendered from the same profile), and a profile missing a needed syscall is caught
 * with the event that needs it.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestBundled } from "../util/bundled-dataset.ts";
import { parse as parseYaml } from "yaml";
import { argSpecs, syscallNumber } from "../../schemas/consts.ts";
import type { ProfileReport } from "../../schemas/profile-report.ts";
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import { parseProfile } from "../../stages/profile/parse.ts";
import { renderProfile } from "../../pipeline/profile/synthesize.ts";
import { K8S_VERSIONS } from "../../stages/profile/k8s.ts";
import { loadSpoCrd, parseK8sYaml, spoCrdFile } from "./spo-crd.ts";
import { bundledCaptures, requireOrSkip } from "../util/datasets.ts";
import { runCli } from "../util/cli.ts";

const avail = requireOrSkip(bundledCaptures(), "bundled captures (datasets/captures)");
const IMAGES = ["memcached", "nginx", "redis"];
const MODES = ["none", "safe", "learned"];
let tmp: string;
let ds: string;

const readProfile = (f: string): DockerProfile => parseProfile(readFileSync(f, "utf8"), f);
const readReport = (f: string): ProfileReport => JSON.parse(readFileSync(f, "utf8")) as ProfileReport;

describe.skipIf(avail.skipReason !== null)("profiles of the bundled images", () => {
  beforeAll(async () => {
    ({ tmp, ds } = await ingestBundled("profile"));
    for (const image of IMAGES) {
      for (const mode of MODES) {
        const s = await runCli(
          "synthesize",
          ds,
          "--image",
          image,
          "--args",
          mode,
          "--out",
          join(tmp, `${image}-${mode}.json`),
          "--format",
          "docker,oci,k8s",
          "--arch",
          "x86_64,aarch64",
        );
        expect(s.code, s.err).toBe(0);
      }
    }
  }, 240_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it.each(IMAGES.flatMap((i) => MODES.flatMap((m) => ["x86_64", "aarch64"].map((a) => [i, m, a]))))(
    "check %s --args %s (%s): every recorded event passes",
    async (image, mode, arch) => {
      const r = await runCli("check", join(tmp, `${image}-${mode}.${arch}.json`), ds, "--json");
      const out = JSON.parse(r.out) as {
        denied: number;
        checked: number;
        lints: { severity: string; code: string }[];
      };
      expect(out.denied).toBe(0);
      expect(out.checked).toBeGreaterThan(10_000);
      expect(out.lints.filter((l) => l.severity === "error")).toEqual([]);
      // every value fits the SPO CRD (int64, ≥ 0), so the k8s format holds the same rules
      expect(out.lints.filter((l) => l.code === "spo-value-range")).toEqual([]);
      expect(r.code).toBe(0);
    },
    60_000,
  );

  it("the three formats say the same thing; names sorted; no rule equals the default", () => {
    const docker = readProfile(join(tmp, "nginx-safe.x86_64.json"));
    const oci = readProfile(join(tmp, "nginx-safe.x86_64.oci.json"));
    const k8s = parseYaml(readFileSync(join(tmp, "nginx-safe.x86_64.yaml"), "utf8")) as {
      kind: string;
      spec: DockerProfile;
    };
    expect(k8s.kind).toBe("SeccompProfile");
    const strip = (p: DockerProfile) =>
      JSON.stringify(
        p.syscalls.map((r) => ({ ...r, comment: undefined })),
        (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v),
      );
    expect(strip(oci)).toBe(strip(docker));
    expect(strip(readProfile(join(tmp, "nginx-safe.x86_64.yaml")))).toBe(strip(docker));
    for (const r of docker.syscalls) {
      expect([...r.names].sort()).toEqual(r.names);
      expect(r.action === docker.defaultAction && (r.errnoRet ?? 1) === docker.defaultErrnoRet).toBe(false);
      for (const a of r.args ?? []) {
        // the SPO CRD holds int64 only
        expect(BigInt(a.value) <= (1n << 63n) - 1n && BigInt(a.valueTwo ?? 0) >= 0n).toBe(true);
      }
    }
    expect(docker.defaultErrnoRet).toBe(1);
    expect(docker.architectures).toEqual(["SCMP_ARCH_X86_64"]);
  });

  it.each(IMAGES.flatMap((i) => ["x86_64", "aarch64"].map((a) => [i, a])))(
    "learned %s (%s): argument conditions only on enum, flags and family arguments",
    (image, arch) => {
      const p = readProfile(join(tmp, `${image}-learned.${arch}.json`));
      const rep = readReport(join(tmp, `${image}-learned.${arch}.report.json`));
      let conditions = 0;
      for (const r of p.syscalls) {
        for (const a of r.args ?? []) {
          for (const n of r.names) {
            const spec = argSpecs(n)?.[a.index];
            expect(
              ["enum", "flags", "family"],
              `${n} arg ${a.index} (${spec?.name}: ${spec?.role})`,
            ).toContain(spec?.role);
          }
          conditions++;
        }
      }
      expect(conditions).toBeGreaterThan(0); // learned mode does restrict (mmap prot, openat flags, …)
      // recvfrom (nginx's 9 sizes) and epoll_wait (maxevents) are allowed with no size/count condition
      for (const name of ["recvfrom", "sendto", "epoll_wait", "read", "write"]) {
        const e = rep.syscalls.find((x) => x.name === name);
        if (!e) continue;
        expect(e.verdict, `${image} ${name}`).toBe("allow");
        expect(p.syscalls.some((r) => r.names.includes(name) && !r.args?.length)).toBe(true);
      }
    },
  );

  const crdAvail = requireOrSkip(spoCrdFile(), "the SPO CRD (profiles/spo-seccompprofile-crd.yaml)");
  it.skipIf(crdAvail.skipReason !== null)(
    "every SeccompProfile applies: 3 images × 3 argument modes × 2 architectures × v1 and v1beta1",
    () => {
      const crd = loadSpoCrd(crdAvail.path!);
      let validated = 0;
      for (const image of IMAGES)
        for (const mode of MODES)
          for (const arch of ["x86_64", "aarch64"]) {
            const stem = join(tmp, `${image}-${mode}.${arch}`);
            const written = readFileSync(`${stem}.yaml`, "utf8");
            const report = readReport(`${stem}.report.json`);
            const s = { profile: readProfile(`${stem}.json`), report };
            // what synthesize wrote (v1, no namespace) and the other version, with a namespace
            expect(renderProfile(s, "k8s")).toBe(written);
            const docs = K8S_VERSIONS.map((version) =>
              version === "v1" ? written : renderProfile(s, "k8s", { version, namespace: "payments" }),
            );
            for (const [i, text] of docs.entries()) {
              const d = parseK8sYaml(text) as { apiVersion: string; spec: Record<string, unknown> };
              expect(crd.errors(d), `${stem} ${K8S_VERSIONS[i]}`).toEqual([]);
              expect(d.apiVersion).toBe(`security-profiles-operator.x-k8s.io/${K8S_VERSIONS[i]}`);
              expect(d.spec).not.toHaveProperty("defaultErrnoRet");
              validated++;
            }
            // the report beside says how a pod uses it, and what the default errno becomes
            const k = report.kubernetes!;
            expect(k.api_version).toBe("security-profiles-operator.x-k8s.io/v1");
            expect(k.security_context).toEqual({
              seccompProfile: { type: "Localhost", localhostProfile: `operator/${k.name}.json` },
            });
            expect(k.default_errno).toMatchObject({ errno: 1, same_as_docker: true });
            // the Docker/OCI output keeps its defaultErrnoRet
            expect(s.profile.defaultErrnoRet).toBe(1);
          }
      expect(validated).toBe(36);
    },
  );

  it("the runtime defaults compared with: Docker's built-in table out of the box", () => {
    const rep = readReport(join(tmp, "nginx-safe.x86_64.report.json"));
    const docker = rep.defaults.find((d) => d.runtime === "docker")!;
    expect(docker.profile).toBe("Docker's default (built in: moby/profiles v0.2.3)");
    expect(docker.source).toMatch(/moby\/profiles seccomp\/default\.json @ cd3bed80/);
    expect(docker.allowed_default).toBe(301);
    expect(docker.allowed_ours).toBe(rep.allowed);
    expect(docker.dangerous_removed).toContain("ptrace");
  });

  it("synthesize is deterministic (same bytes twice)", async () => {
    const again = join(tmp, "again.json");
    const r = await runCli("synthesize", ds, "--image", "redis", "--args", "learned", "--out", again);
    expect(r.code, r.err).toBe(0);
    const first = readFileSync(join(tmp, "redis-learned.x86_64.json"));
    // the multi-arch run wrote the same x86_64 profile
    expect(readFileSync(again).equals(first)).toBe(true);
  });

  it("the report: runc-only rules apart, ENOSYS only for unobserved fallbacks, provenance per syscall", () => {
    const rep = readReport(join(tmp, "memcached-safe.x86_64.report.json"));
    const runtimeOnly = rep.syscalls.filter((e) => e.provenance?.runtime_only).map((e) => e.name);
    expect(runtimeOnly.length).toBeGreaterThan(0);
    expect(runtimeOnly).toContain("execve"); // runc's init execs the entrypoint after loading the filter
    for (const n of rep.enosys) expect(rep.syscalls.find((e) => e.name === n)?.provenance).toBeUndefined();
    expect(rep.enosys).not.toContain("clone3"); // memcached's glibc uses clone3 for threads: observed, allowed
    const clone3 = rep.syscalls.find((e) => e.name === "clone3")!;
    expect(clone3.provenance!.runs.length).toBe(rep.runs.length);
    expect(rep.paths.find((p) => p.syscall === "openat")?.paths).toBeGreaterThan(0);
  });

  it("aarch64: x86_64-only calls are mapped (open → openat …) or dropped with the reason", () => {
    const rep = readReport(join(tmp, "nginx-safe.aarch64.report.json"));
    const p = readProfile(join(tmp, "nginx-safe.aarch64.json"));
    expect(p.architectures).toEqual(["SCMP_ARCH_AARCH64"]);
    for (const r of p.syscalls) for (const n of r.names) expect(syscallNumber("aarch64", n), n).toBeDefined();
    expect(rep.dropped.map((d) => d.name)).toEqual(["arch_prctl"]);
    expect(rep.syscalls.find((e) => e.name === "newfstatat")).toBeDefined();
    expect(rep.syscalls.some((e) => e.mapped_from?.length)).toBe(true);
  });

  it("a profile without a needed syscall: check exits 1 and lists the events that need it", async () => {
    const p = JSON.parse(readFileSync(join(tmp, "nginx-none.x86_64.json"), "utf8")) as DockerProfile;
    p.syscalls[0]!.names = p.syscalls[0]!.names.filter((n) => n !== "sendfile");
    const broken = join(tmp, "broken.json");
    writeFileSync(broken, JSON.stringify(p));
    const r = await runCli("check", broken, ds, "--image", "nginx", "--json");
    expect(r.code).toBe(1);
    const out = JSON.parse(r.out) as {
      denied: number;
      calls: { syscall: string; runs: string[] }[];
      denied_events: { syscall: string }[];
    };
    expect(out.calls.map((c) => c.syscall)).toEqual(["sendfile"]);
    expect(out.denied).toBeGreaterThan(1000);
    expect(out.denied_events.every((e) => e.syscall === "sendfile")).toBe(true);
  });

  it("diff: safe vs none names the argument rules added, with provenance", async () => {
    const r = await runCli(
      "diff",
      join(tmp, "nginx-none.x86_64.json"),
      join(tmp, "nginx-safe.x86_64.json"),
      "--json",
    );
    expect(r.code).toBe(1);
    const d = JSON.parse(r.out) as {
      changed: { name: string; now: string; why: string }[];
      added: unknown[];
    };
    expect(d.added).toEqual([]);
    const socket = d.changed.find((c) => c.name === "socket")!;
    expect(socket.now).toMatch(/^allow if arg0 & 0xffffffff == 0x/);
    expect(socket.why).toMatch(/calls in 6\/6 runs by nginx/);
    const same = await runCli(
      "diff",
      join(tmp, "nginx-safe.x86_64.json"),
      join(tmp, "nginx-safe.x86_64.oci.json"),
    );
    expect(same.code).toBe(0);
  });
});
