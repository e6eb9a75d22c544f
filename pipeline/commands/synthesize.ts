/**
 * `sandmine synthesize DATASET (--image NAME --out FILE | --all-images --out DIR) [--format docker|oci|k8s] [--args none|safe|learned]
 *  [--arch x86_64,aarch64] [--without-runtime] [--compare docker,FILE] [--k8s-version v1|v1beta1]
 *  [--namespace NS] [--json]`.
 */
import { join } from "node:path";
import { defineCommand, exactlyOne } from "../command.ts";
import { UsageError } from "../errors.ts";
import { forAllImages } from "../fleet/all-images.ts";
import { allImagesOptions } from "../fleet/options.ts";
import { reach } from "../reach/reach.ts";
import { widenProfileFile } from "../reach/widen.ts";
import { REACHABLE_MODES } from "../../stages/reach/profile-reachable.ts";
import { partitionValue } from "../ingest/partitions.ts";
import { applyMaxMemory } from "../memory.ts";
import {
  DOCKER_DEFAULT,
  PODMAN_DEFAULT,
  synthesizeProfiles,
  type WrittenProfiles,
} from "../profile/synthesize.ts";
import { paint, severity } from "../terminal.ts";
import { K8S_VERSIONS } from "../../stages/profile/k8s.ts";
import { PROFILE_FORMATS } from "../../stages/profile/render.ts";
import { PROFILE_ARCHES } from "../../stages/profile/translate.ts";
import { ARG_MODES } from "../../schemas/profile-report.ts";

/** The lints of severity error: they make synthesize exit 1. */
const errorsOf = (w: WrittenProfiles): number =>
  w.synthesized.reduce((n, s) => n + s.report.lints.filter((l) => l.severity === "error").length, 0);

/** What `--json` prints: the files written, and per architecture the counts, comparisons and lints. */
function summaryJson(w: WrittenProfiles): string {
  const first = w.synthesized[0]?.report;
  return JSON.stringify({
    image: first?.image,
    args: first?.args,
    with_runtime: first?.with_runtime,
    files: w.files,
    profiles: w.synthesized.map(({ report: r, profile }) => ({
      arch: r.arch,
      allowed: r.allowed,
      conditional: r.conditional,
      enosys: r.enosys.length,
      rule_entries: profile.syscalls.length,
      runs: r.runs.length,
      governed_events: r.governed_events,
      dropped: r.dropped,
      filter_size: r.filter_size,
      defaults: r.defaults.map((d) => ({
        profile: d.profile,
        ...(d.runtime ? { runtime: d.runtime } : {}),
        allowed_default: d.allowed_default,
        allowed_ours: d.allowed_ours,
        removed: d.only_default.length,
        dangerous_removed: d.dangerous_removed,
        only_ours: d.only_ours,
      })),
      ...(r.kubernetes ? { kubernetes: r.kubernetes } : {}),
      lints: r.lints,
    })),
    errors: errorsOf(w),
  });
}

/** The summary as printed: per architecture its counts, filter size, comparisons, lints; the files. */
function summaryText(w: WrittenProfiles): string {
  const p = paint();
  const lines: string[] = [];
  for (const s of w.synthesized) {
    const r = s.report;
    lines.push(
      `${r.image} ${r.arch} --args ${r.args}: ${r.allowed} syscalls allowed (${r.conditional} with argument rules), ` +
        `${r.enosys.length} ENOSYS, ${s.profile.syscalls.length} rule entries; from ${r.runs.length} runs, ${r.governed_events} governed events` +
        (r.dropped.length
          ? `; ${r.dropped.length} not on ${r.arch}: ${r.dropped.map((d) => d.name).join(", ")}`
          : ""),
    );
  }
  for (const s of w.synthesized) {
    const r = s.report;
    const size = r.filter_size.libseccomp ?? r.filter_size.estimate;
    const how = r.filter_size.libseccomp === undefined ? "estimated" : "libseccomp";
    lines.push(`  ${r.arch}: filter ${size} BPF instructions (${how}; limit 4096)`);
    for (const d of r.defaults) {
      lines.push(
        `  ${r.arch}: vs ${d.profile}: ${d.allowed_ours} allowed vs ${d.allowed_default}; ` +
          `${d.only_default.length} of its syscalls removed (${d.dangerous_removed.length} with known exploits), ${d.only_ours.length} not in it` +
          (d.only_ours.length ? ` (${d.only_ours.join(", ")})` : ""),
      );
    }
    for (const l of r.lints) {
      lines.push(`  ${r.arch}: ${severity(p, l.severity)} ${l.code}: ${l.message}`);
    }
  }
  for (const k of w.kubernetes) lines.push(`  ${k}`);
  for (const f of w.files) lines.push(`wrote ${f}`);
  return lines.join("\n") + "\n";
}

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
    ...allImagesOptions,
    out: {
      type: "string",
      placeholder: "FILE",
      required: true,
      description:
        "profile file; with several formats or architectures its stem gets .ARCH and .json/.oci.json/.yaml; " +
        "with --all-images a folder, each image's profile in it named as its partition (IMAGE.json, or IMAGE.yaml for k8s alone)",
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
      placeholder: "PROFILE[,…]",
      description:
        `runtime default profiles to compare with, in the report and the summary: ${DOCKER_DEFAULT} (Docker's default, built in) ` +
        `or profile files (default: ${DOCKER_DEFAULT}, and Podman's ${PODMAN_DEFAULT} when installed)`,
    },
    "k8s-version": {
      type: "enum",
      choices: K8S_VERSIONS,
      default: "v1",
      description:
        "API version of the Kubernetes SeccompProfile (format k8s) of the Security Profiles Operator",
    },
    namespace: {
      type: "string",
      placeholder: "NS",
      description:
        "metadata.namespace of the SeccompProfile (format k8s; the CRD is cluster-scoped: only older SPO releases use it)",
    },
    reachable: {
      type: "enum",
      choices: REACHABLE_MODES,
      description:
        "with --rootfs: add the calls the image's binaries can reach but the runs never made (reach's S\\M), those not dangerous, as allowed or logged (complain mode); their origins in FILE.reachable.json",
    },
    rootfs: {
      type: "string",
      placeholder: "DIR",
      description:
        "the image's root filesystem (a folder or a docker export tar) for --reachable (see sandmine reach)",
    },
    json: {
      type: "boolean",
      default: false,
      description:
        "print one JSON object: the files written, per architecture the counts, comparisons and lints",
    },
  },
  async run(o, positionals) {
    const dataset = exactlyOne(positionals, "DATASET");
    const { concurrency } = applyMaxMemory(o.maxMemory, o.workers);
    const request = (image: string | undefined, out: string) => ({
      dataset: dataset,
      image,
      out,
      formats: o.format,
      args: o.args,
      arches: o.arch,
      withRuntime: !o.withoutRuntime,
      compare: o.compare?.length ? o.compare : undefined,
      k8sVersion: o.k8sVersion,
      namespace: o.namespace,
    });
    if ((o.reachable === undefined) !== (o.rootfs === undefined))
      throw new UsageError("--reachable MODE and --rootfs DIR go together");
    if (o.reachable !== undefined) {
      if (o.allImages)
        throw new UsageError("--reachable takes one image (each image has its own root filesystem)");
      if ((o.format ?? ["docker"]).join() !== "docker" || o.arch.join() !== "x86_64")
        throw new UsageError(
          "--reachable widens the Docker/OCI JSON profile of x86_64 only (--format docker --arch x86_64)",
        );
    }
    if (!o.allImages) {
      const written = await synthesizeProfiles(request(o.image, o.out));
      const image = written.synthesized[0]?.report.image;
      let widened = "";
      if (o.reachable !== undefined && o.rootfs !== undefined && image !== undefined) {
        const r = await reach({ rootfs: o.rootfs, dataset, image });
        const w = await widenProfileFile(o.out, o.out, r.comparison.unseen, o.reachable, r.arch);
        widened =
          `reachable (${o.reachable}): ${w.added.length} calls the runs never made added from the image's binaries, ` +
          `${w.withheld.length} dangerous ones withheld; origins in ${o.out.replace(/\.json$/, "")}.reachable.json\n`;
      }
      process.stdout.write(o.json ? summaryJson(written) + "\n" : summaryText(written) + widened);
      return errorsOf(written) ? 1 : 0;
    }
    if (o.image !== undefined) throw new UsageError("give either --image or --all-images, not both");
    // the file each image's call would be given: FOLDER/IMAGE.json (.yaml when only k8s is asked for)
    const ext = o.format?.length === 1 && o.format[0] === "k8s" ? ".yaml" : ".json";
    // each image printed as soon as those before it are, then dropped (memory flat in the fleet)
    let errors = false;
    await forAllImages(
      dataset,
      { label: "synthesize", concurrency, quiet: o.quiet },
      (image) => synthesizeProfiles(request(image, join(o.out, partitionValue(image) + ext))),
      (w) => w.synthesized[0]?.report.governed_events ?? 0,
      (w) => {
        process.stdout.write(o.json ? summaryJson(w) + "\n" : summaryText(w));
        errors ||= errorsOf(w) > 0;
      },
    );
    return errors ? 1 : 0;
  },
});
