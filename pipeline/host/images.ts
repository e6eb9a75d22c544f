/**
 * Builds an experiment's image in the engine, from Debian packages only (nothing is pulled):
 * `busybox` — /bin/busybox from busybox-static and its applet links, imported with `docker
 * import`; `debian` — the cached debootstrap tree (datasets/record/build-images.sh rootfs)
 * imported as a base, then an optional Dockerfile folder built on top with the legacy builder;
 * `engine` — an image that already exists in the engine. Built images are temporary: removed at
 * the end of the run.
 */
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import type { ImageSpec } from "../../schemas/experiment.ts";
import type { Cleanup } from "./cleanup.ts";
import { ownedTempDir } from "./owned-temp.ts";
import { uniqueName, type Docker } from "./docker.ts";
import { runOk } from "./proc.ts";

export const CACHE = process.env.SANDMINE_CACHE ?? "/var/tmp/sandmine-cache";
const ROOTFS = join(CACHE, "bookworm-rootfs");
const BUSYBOX = "/bin/busybox";

function tempDir(cleanup: Cleanup, prefix: string): string {
  const d = ownedTempDir(cleanup, prefix);
  chmodSync(d, 0o755); // becomes "/" of an image: 0700 would lock out non-root users
  return d;
}

async function importTree(docker: Docker, dir: string, ref: string, cmd: string[]): Promise<void> {
  await runOk(
    "sh",
    [
      "-c",
      'tar -C "$1" --exclude=./.sandmine-complete -c . | docker -H "$2" import --change "$3" - "$4"',
      "sh",
      dir,
      docker.engine.host,
      `CMD ${JSON.stringify(cmd)}`,
      ref,
    ],
    { timeout: 900 },
  );
  docker.ownImage(ref);
}

export async function busyboxTree(spec: ImageSpec, base: string, cleanup: Cleanup): Promise<string> {
  if (!existsSync(BUSYBOX)) throw new Error(`${BUSYBOX} missing (apt-get install busybox-static)`);
  const root = tempDir(cleanup, "busybox");
  for (const d of [
    "bin",
    "sbin",
    "usr/bin",
    "usr/sbin",
    "etc",
    "tmp",
    "proc",
    "sys",
    "dev",
    "mnt",
    "root",
    "var/www",
  ])
    mkdirSync(join(root, d), { recursive: true });
  chmodSync(join(root, "tmp"), 0o1777);
  copyFileSync(BUSYBOX, join(root, "bin/busybox"));
  chmodSync(join(root, "bin/busybox"), 0o755);
  const list = await runOk(BUSYBOX, ["--list-full"], { timeout: 30 });
  for (const applet of list.stdout.split("\n").filter(Boolean)) {
    const p = join(root, applet);
    if (existsSync(p)) continue;
    mkdirSync(dirname(p), { recursive: true });
    symlinkSync("/bin/busybox", p);
  }
  writeFileSync(
    join(root, "etc/passwd"),
    "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n",
  );
  writeFileSync(join(root, "etc/group"), "root:x:0:\nnogroup:x:65534:\n");
  for (const [dest, src] of Object.entries(spec.files ?? {})) {
    const to = join(root, dest);
    mkdirSync(dirname(to), { recursive: true });
    cpSync(isAbsolute(src) ? src : resolve(base, src), to, { recursive: true });
  }
  return root;
}

const COMPLETE = ".sandmine-complete";

/** Packages of a cached tree (its `.sandmine-packages`), or null when the tree is not complete. */
function treePackages(dir: string): Set<string> | null {
  if (!existsSync(join(dir, COMPLETE))) return null;
  return new Set(
    readFileSync(join(dir, ".sandmine-packages"), "utf8")
      .split("\n")
      .map((l) => l.split(" ")[0] ?? ""),
  );
}

/**
 * The cached Debian tree that has every package: the base tree first, then the per-subject
 * copies build-images.sh makes (`bookworm-NAME-rootfs`, in name order).
 */
export function rootfsWith(packages: string[]): string {
  if (treePackages(ROOTFS) === null)
    throw new Error(
      `no cached Debian tree at ${ROOTFS}: run 'bash datasets/record/build-images.sh rootfs' (as root; needs the Debian mirror)`,
    );
  const extra = existsSync(CACHE)
    ? readdirSync(CACHE)
        .filter((n) => /^bookworm-.+-rootfs$/.test(n))
        .sort()
        .map((n) => join(CACHE, n))
    : [];
  for (const dir of [ROOTFS, ...extra]) {
    const have = treePackages(dir);
    if (have && packages.every((p) => have.has(p))) return dir;
  }
  throw new Error(
    `no cached Debian tree under ${CACHE} has all of: ${packages.join(", ")} (add them to datasets/record/build-images.sh and rebuild it)`,
  );
}

/** Builds `dockerfileDir` on top of `from` (its FROM lines name the base) as `ref`. */
export async function buildOnTop(
  docker: Docker,
  cleanup: Cleanup,
  dockerfileDir: string,
  from: string,
  ref: string,
): Promise<void> {
  const ctx = tempDir(cleanup, "build");
  cpSync(dockerfileDir, ctx, { recursive: true });
  const df = join(ctx, "Dockerfile");
  writeFileSync(df, readFileSync(df, "utf8").replace(/^FROM\s+\S+/gm, `FROM ${from}`));
  await docker.ok(["build", "-q", "-t", ref, ctx], {
    timeout: 1800,
    env: { ...process.env, DOCKER_BUILDKIT: "0" },
  });
  docker.ownImage(ref);
}

/** Builds the experiment's image; returns the reference to run. */
export async function buildImage(
  docker: Docker,
  cleanup: Cleanup,
  spec: ImageSpec,
  base: string,
  log: (s: string) => void,
): Promise<string> {
  const t0 = Date.now();
  const context = spec.context === undefined ? undefined : resolve(base, spec.context);
  if (context !== undefined && !existsSync(join(context, "Dockerfile")))
    throw new Error(`image.context: no Dockerfile in ${context}`);
  let ref = spec.name;
  if (spec.from === "engine") {
    const r = await docker.run(["image", "inspect", spec.name], { timeout: 30 });
    if (r.status !== 0) throw new Error(`image ${spec.name} is not in the engine (from: engine)`);
    if (context) {
      ref = `${spec.name.split(":")[0]}:${uniqueName("sandmine")}`;
      await buildOnTop(docker, cleanup, context, spec.name, ref);
    }
    return ref;
  }
  const treeRef = context ? `sandmine-tmp/${uniqueName("base")}:latest` : spec.name;
  if (spec.from === "busybox") {
    await importTree(docker, await busyboxTree(spec, base, cleanup), treeRef, ["/bin/sh"]);
  } else {
    const tree = rootfsWith(spec.packages ?? []);
    chmodSync(tree, 0o755);
    await importTree(docker, tree, treeRef, ["/bin/bash"]);
  }
  if (context) await buildOnTop(docker, cleanup, context, treeRef, spec.name);
  log(`built image ${spec.name} (${spec.from}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return spec.name;
}

/** The rootfs folder of an experiment's image for the runc backend (no daemon, no Dockerfile). */
export async function rootfsFor(spec: ImageSpec, base: string, cleanup: Cleanup): Promise<string> {
  if (spec.context !== undefined || spec.from === "engine")
    throw new Error(
      "the runc backend builds no images: it takes from: busybox, or from: debian without context",
    );
  if (spec.from === "busybox") return busyboxTree(spec, base, cleanup);
  return rootfsWith(spec.packages ?? []);
}
