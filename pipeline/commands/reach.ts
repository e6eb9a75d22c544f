/**
 * `sandmine reach ROOTFS --dataset DS --image NAME [--json] [--cache DIR | --no-cache] [--limit N]`:
 * the syscalls the image's programs can reach in their code beside those the runs made.
 */
import { defineCommand, workersOption } from "../command.ts";
import { UsageError } from "../errors.ts";
import { defaultCacheDir, reach } from "../reach/reach.ts";
import { reachText } from "../../stages/reach/text.ts";
import { REACHABLE_MODES } from "../../stages/reach/profile-reachable.ts";
import { widenProfileFile } from "../reach/widen.ts";

export const reachCommand = defineCommand({
  name: "reach",
  summary:
    "Static reachability of syscalls from the image's binaries (x86_64 and aarch64), beside the mined set: the programs the runs executed, resolved in ROOTFS " +
    "(a directory or a `docker export` tar), the shared objects they load (DT_NEEDED, and .so files the runs opened), disassembled with binutils objdump (aarch64-linux-gnu-objdump for aarch64 code; M recorded on x86_64 is compared in aarch64's names).\n" +
    "libc is analysed per function (a call graph over its disassembly, cached by build id); other files whole. Prints |M|, |S|, M\\S each explained and S\\M ranked by risk and likelihood.",
  args: "ROOTFS",
  options: {
    dataset: {
      type: "string",
      placeholder: "DS",
      required: true,
      description: "the dataset whose runs give the programs and the mined set",
    },
    image: {
      type: "string",
      placeholder: "NAME",
      required: true,
      description: "the image (as in the dataset)",
    },
    "exclude-runs": {
      type: "list",
      placeholder: "RUN,…",
      description: "leave these runs out of M and of the programs (held-out use cases)",
    },
    workers: workersOption("files analysed at once (default: number of cores); the result is identical"),
    json: { type: "boolean", default: false, description: "print the result as one JSON object" },
    cache: {
      type: "string",
      placeholder: "DIR",
      description: "where per-build analyses are kept (default DS/.cache/reach)",
    },
    "no-cache": { type: "boolean", default: false, description: "neither read nor write the cache" },
    widen: {
      type: "string",
      placeholder: "PROFILE",
      description: "a mined Docker/OCI JSON profile to widen by S\\M's non-dangerous calls (needs --out)",
    },
    reachable: {
      type: "enum",
      choices: REACHABLE_MODES,
      default: "allow",
      description: "with --widen: the added calls' action, allow or log (complain mode)",
    },
    out: {
      type: "string",
      placeholder: "FILE",
      description: "with --widen: the widened profile (its additions and origins in FILE.reachable.json)",
    },
    limit: {
      type: "number",
      placeholder: "N",
      integer: true,
      min: 0,
      max: 1e6,
      default: 40,
      description: "rows of S\\M in the table",
    },
  },
  async run(o, positionals) {
    const [rootfs, ...more] = positionals;
    if (rootfs === undefined || more.length > 0)
      throw new UsageError("give one ROOTFS (a directory or a docker export tar)");
    if (o.noCache && o.cache !== undefined) throw new UsageError("--cache and --no-cache exclude each other");
    if ((o.widen === undefined) !== (o.out === undefined))
      throw new UsageError("--widen PROFILE and --out FILE go together");
    const r = await reach({
      rootfs,
      dataset: o.dataset,
      image: o.image,
      ...(o.excludeRuns ? { excludeRuns: o.excludeRuns } : {}),
      ...(o.workers !== undefined ? { jobs: o.workers } : {}),
      cacheDir: o.noCache ? null : (o.cache ?? defaultCacheDir(o.dataset)),
    });
    const widened =
      o.widen && o.out
        ? await widenProfileFile(o.widen, o.out, r.comparison.unseen, o.reachable, r.arch)
        : undefined;
    if (o.json) {
      process.stdout.write(
        JSON.stringify(
          widened ? { ...r, widened: { out: o.out, added: widened.added, withheld: widened.withheld } } : r,
        ) + "\n",
      );
      return 0;
    }
    let text = reachText(r, o.limit);
    if (widened) {
      text += `\n\n${o.out}: ${o.widen} with ${widened.added.length} reachable call(s) added as ${o.reachable} (origin static), ${widened.withheld.length} dangerous one(s) withheld: ${widened.withheld.map((w) => w.syscall).join(", ") || "none"}`;
    }
    process.stdout.write(text + "\n");
    return 0;
  },
});
