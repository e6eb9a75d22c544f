/**
 * An image's root filesystem: a directory, or a `docker export` tar (plain or gzip) unpacked
 * into a temporary directory for the analysis and removed after it. Paths inside it are
 * resolved the way the container sees them: absolute symlinks point into the root, never out.
 */
import { execFile } from "node:child_process";
import { lstat, mkdtemp, readlink, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { promisify } from "node:util";
import { UsageError } from "../errors.ts";

const run = promisify(execFile);

export interface Rootfs {
  /** the host directory that is the container's `/` */
  dir: string;
  /** what the user gave (a directory or an archive) */
  source: string;
  close(): Promise<void>;
}

/** Opens ROOTFS: a directory as it is, an archive unpacked (device nodes left out). */
export async function openRootfs(source: string): Promise<Rootfs> {
  const st = await stat(source).catch(() => undefined);
  if (!st) throw new UsageError(`${source}: no such directory or archive`);
  if (st.isDirectory()) return { dir: source, source, close: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), "sandmine-rootfs-"));
  try {
    await run(
      "tar",
      ["-x", "-f", source, "-C", dir, "--no-same-owner", "--no-same-permissions", "--exclude=dev/*"],
      {
        maxBuffer: 1 << 24,
      },
    );
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw new UsageError(
      `${source}: not a directory or a tar archive tar can read (${(e as Error).message.split("\n")[0]})`,
    );
  }
  return { dir, source, close: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * The host path of `path` (absolute, as the container sees it) with every symlink followed inside
 * the root; undefined when it does not exist or loops.
 */
export async function resolveIn(
  root: string,
  path: string,
): Promise<{ host: string; path: string } | undefined> {
  let parts = posix.normalize(path).split("/").filter(Boolean);
  let done: string[] = [];
  let hops = 0;
  while (parts.length) {
    const name = parts.shift()!;
    if (name === "..") {
      done.pop();
      continue;
    }
    if (name === ".") continue;
    const host = join(root, ...done, name);
    const st = await lstat(host).catch(() => undefined);
    if (!st) return undefined;
    if (st.isSymbolicLink()) {
      if (++hops > 40) return undefined;
      const target = await readlink(host);
      const rest = target.split("/").filter(Boolean);
      if (target.startsWith("/")) done = [];
      parts = [...rest, ...parts];
      continue;
    }
    done.push(name);
  }
  const inside = "/" + done.join("/");
  return { host: join(root, ...done), path: inside };
}

/** Whether a resolved path is a regular file. */
export async function isFile(host: string): Promise<boolean> {
  return (await stat(host).catch(() => undefined))?.isFile() ?? false;
}
