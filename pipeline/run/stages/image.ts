/**
 * The image stage: what the entry's image is built from, hashed — the experiment's `image:`, its
 * context folder and files, the busybox binary or the cached Debian tree's dpkg status — and
 * written to image.json with the versions of the image's packages. The image itself is built by
 * the private engine of each record and validate stage from these same inputs (an engine and what
 * it built are removed when the stage ends), so this stage is the part of their keys that says
 * the image changed.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { ImageSpec } from "../../../schemas/experiment.ts";
import { CACHE } from "../../host/images.ts";
import type { HashMemo } from "../hash.ts";
import { filesBelow } from "../hash.ts";
import type { StageContext } from "../types.ts";
import { fileLabel } from "../file-label.ts";

const BUSYBOX = "/bin/busybox";

const statusOf = (tree: string): string => join(tree, "var", "lib", "dpkg", "status");

/**
 * The dpkg status file of the cached Debian tree holding the image's packages: the base tree, else
 * the first extra tree (bookworm-*-rootfs) with all of them, as the image builder picks it.
 */
function dpkgStatus(spec: ImageSpec): string {
  const want = spec.packages ?? [];
  const extra = existsSync(CACHE)
    ? readdirSync(CACHE)
        .filter((n) => /^bookworm-.+-rootfs$/.test(n))
        .sort()
    : [];
  for (const tree of ["bookworm-rootfs", ...extra].map((n) => join(CACHE, n))) {
    if (!existsSync(statusOf(tree))) continue;
    const have = Object.keys(versions(statusOf(tree), want));
    if (want.every((p) => have.includes(p))) return statusOf(tree);
  }
  throw new Error(
    `no cached Debian tree under ${CACHE} has all of: ${want.join(", ") || "(the base packages)"} (datasets/record/build-images.sh rootfs)`,
  );
}

/** The files the image is built from. */
export function imageFiles(spec: ImageSpec, base: string): string[] {
  const out: string[] = [];
  if (spec.context !== undefined) out.push(...filesBelow(resolve(base, spec.context)));
  for (const host of Object.values(spec.files ?? {})) {
    const p = resolve(base, host);
    if (existsSync(p) && statSync(p).isFile()) out.push(p);
  }
  if (spec.from === "busybox" && existsSync(BUSYBOX)) out.push(BUSYBOX);
  if (spec.from === "debian") out.push(dpkgStatus(spec));
  return [...new Set(out)].sort();
}

/** Package → version from a dpkg status file, for the packages asked for (installed ones only). */
function versions(status: string, packages: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const block of readFileSync(status, "utf8").split(/\n\n+/)) {
    const name = /^Package: (.+)$/m.exec(block)?.[1];
    const version = /^Version: (.+)$/m.exec(block)?.[1];
    const installed = /^Status: .* installed$/m.test(block);
    if (name && version && packages.includes(name) && installed) out[name] = version;
  }
  return out;
}

export function imageStage(spec: ImageSpec, base: string, memo: HashMemo) {
  return async (ctx: StageContext): Promise<void> => {
    const files = imageFiles(spec, base);
    const inputs = Object.fromEntries(files.map((f) => [fileLabel(f), memo.hash(f)]));
    const packages = spec.from === "debian" ? versions(dpkgStatus(spec), spec.packages ?? []) : {};
    writeFileSync(join(ctx.dir, "image.json"), JSON.stringify({ spec, inputs, packages }, null, 1) + "\n");
    ctx.log(`${spec.name}: ${files.length} input file(s)`);
  };
}
