/**
 * `sandmine synthesize DATASET --image NAME --out FILE [--format docker|oci|k8s] [--args none|safe|learned]
 *  [--arch x86_64,aarch64] [--without-runtime]`.
 */
import { defineCommand, exactlyOne } from "../command.ts";
import { synthesizeProfiles } from "../profile/synthesize.ts";
import { PROFILE_FORMATS } from "../../stages/profile/render.ts";
import { PROFILE_ARCHES } from "../../stages/profile/translate.ts";
import { ARG_MODES } from "../../schemas/profile-report.ts";

export const synthesizeCommand = defineCommand({
  name: "synthesize",
  summary:
    "Writes the seccomp profile of one image: Docker/OCI JSON, OCI linux.seccomp fragment or\n" +
    "Kubernetes SeccompProfile YAML, and FILE's report (NAME.report.json) with each rule's provenance.",
  args: "DATASET",
  options: {
    image: {
      type: "string",
      placeholder: "NAME",
      description: "the image to profile (may be left out when the dataset has one image)",
    },
    out: {
      type: "string",
      placeholder: "FILE",
      required: true,
      description:
        "profile file; with several formats or architectures its stem gets .ARCH and .json/.oci.json/.yaml",
    },
    format: {
      type: "list",
      placeholder: "docker|oci|k8s[,…]",
      choices: PROFILE_FORMATS,
      description:
        "docker (default; .yaml → k8s), oci (linux.seccomp fragment), k8s (SPO SeccompProfile); comma list for several",
    },
    args: {
      type: "enum",
      choices: ARG_MODES,
      default: "safe",
      description:
        "none: names only (the paper's type sandbox); safe: argument rules that cut attack surface; learned: the paper's type+argument sandbox",
    },
    arch: {
      type: "list",
      placeholder: "x86_64[,aarch64]",
      choices: PROFILE_ARCHES,
      default: ["x86_64"],
      description: "target architectures; x86_64-only calls are mapped for aarch64 (open → openat, …)",
    },
    "without-runtime": {
      type: "boolean",
      default: false,
      description:
        "leave out what only runc's init needs after loading the filter (for a filter installed by the entrypoint)",
    },
    compare: {
      type: "list",
      placeholder: "FILE[,…]",
      description: "runtime default profiles to compare with (default: Podman's, when it is installed)",
    },
  },
  async run(o, positionals) {
    const dataset = exactlyOne(positionals, "DATASET");
    const { synthesized, files } = await synthesizeProfiles({
      dataset: dataset,
      image: o.image,
      out: o.out,
      formats: o.format,
      args: o.args,
      arches: o.arch,
      withRuntime: !o.withoutRuntime,
      compare: o.compare?.length ? o.compare : undefined,
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
});
