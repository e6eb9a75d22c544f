/**
 * `sandmine synthesize DATASET --image NAME --out FILE [--format docker|oci|k8s] [--args none|safe|learned]
 *  [--arch x86_64,aarch64] [--without-runtime]`.
 */
import type { Command } from "../cli.ts";
import { UsageError } from "../errors.ts";
import { synthesizeProfiles } from "../profile/synthesize.ts";
import { PROFILE_FORMATS, type ProfileFormat } from "../../stages/profile/render.ts";
import { PROFILE_ARCHES, type ProfileArch } from "../../stages/profile/translate.ts";
import { ARG_MODES, type ArgMode } from "../../schemas/profile-report.ts";

function listOption<T extends string>(flag: string, raw: string, allowed: readonly T[]): T[] {
  const items = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const i of items) {
    if (!allowed.includes(i as T))
      throw new UsageError(`--${flag} ${i}: expected one of ${allowed.join(", ")}`);
  }
  if (items.length === 0) throw new UsageError(`--${flag}: give at least one of ${allowed.join(", ")}`);
  return [...new Set(items as T[])];
}

export const synthesizeCommand: Command = {
  summary:
    "Writes the seccomp profile of one image: Docker/OCI JSON, OCI linux.seccomp fragment or\n" +
    "Kubernetes SeccompProfile YAML, and FILE's report (NAME.report.json) with each rule's provenance.",
  usage:
    "synthesize DATASET --image NAME --out FILE [--format docker|oci|k8s[,…]] [--args none|safe|learned]\n" +
    "                  [--arch x86_64[,aarch64]] [--without-runtime]",
  options: {
    image: { type: "string" },
    out: { type: "string" },
    format: { type: "string" },
    args: { type: "string", default: "safe" },
    arch: { type: "string", default: "x86_64" },
    "without-runtime": { type: "boolean", default: false },
    compare: { type: "string" },
  },
  describe: {
    image: "the image to profile (may be left out when the dataset has one image)",
    out: "profile file; with several formats or architectures its stem gets .ARCH and .json/.oci.json/.yaml",
    format:
      "docker (default; .yaml → k8s), oci (linux.seccomp fragment), k8s (SPO SeccompProfile); comma list for several",
    args: "none: names only (the paper's type sandbox); safe (default): argument rules that cut attack surface; learned: the paper's type+argument sandbox",
    arch: "target architectures; x86_64-only calls are mapped for aarch64 (open → openat, …)",
    "without-runtime":
      "leave out what only runc's init needs after loading the filter (for a filter installed by the entrypoint)",
  },
  async run(v, positionals) {
    if (positionals.length !== 1) throw new UsageError("give exactly one DATASET");
    const dataset = positionals[0]!;
    const out = v.out as string | undefined;
    if (!out) throw new UsageError("--out FILE is required");
    const formats: ProfileFormat[] | undefined = v.format
      ? listOption("format", v.format as string, PROFILE_FORMATS)
      : undefined;
    const [args] = listOption("args", v.args as string, ARG_MODES) as [ArgMode];
    const arches = listOption("arch", v.arch as string, PROFILE_ARCHES) as ProfileArch[];
    const compare = v.compare ? (v.compare as string).split(",").filter(Boolean) : undefined;
    const { synthesized, files } = await synthesizeProfiles({
      dataset,
      image: v.image as string | undefined,
      out,
      formats,
      args,
      arches,
      withRuntime: !(v["without-runtime"] as boolean),
      compare,
    });
    for (const s of synthesized) {
      const r = s.report;
      process.stdout.write(
        `${r.image} ${r.arch} --args ${r.args}: ${r.allowed} syscalls allowed (${r.conditional} with argument rules), ` +
          `${r.enosys.length} ENOSYS, ${s.profile.syscalls.length} rule entries; from ${r.runs.length} runs, ${r.governed_events} governed events` +
          (r.dropped.length
            ? `; ${r.dropped.length} not on ${r.arch}: ${r.dropped.map((d) => d.name).join(", ")}`
            : "") +
          "\n",
      );
    }
    let errors = 0;
    for (const s of synthesized) {
      const r = s.report;
      const size = r.filter_size.libseccomp ?? r.filter_size.estimate;
      const how = r.filter_size.libseccomp === undefined ? "estimated" : "libseccomp";
      process.stdout.write(`  ${r.arch}: filter ${size} BPF instructions (${how}; limit 4096)\n`);
      for (const d of r.defaults) {
        process.stdout.write(
          `  ${r.arch}: vs ${d.profile}: ${d.allowed_ours} allowed vs ${d.allowed_default}; ` +
            `${d.only_default.length} of its syscalls removed (${d.dangerous_removed.length} with known exploits), ${d.only_ours.length} not in it` +
            (d.only_ours.length ? ` (${d.only_ours.join(", ")})` : "") +
            "\n",
        );
      }
      for (const l of r.lints) {
        if (l.severity === "error") errors++;
        process.stdout.write(`  ${r.arch}: ${l.severity} ${l.code}: ${l.message}\n`);
      }
    }
    for (const f of files) process.stdout.write(`wrote ${f}\n`);
    return errors ? 1 : 0;
  },
};
