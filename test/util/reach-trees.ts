/** The Debian trees `datasets/record/build-images.sh rootfs` builds, by the style image each serves. */
import { join } from "node:path";

export const TREE_CACHE = process.env.SANDMINE_CACHE ?? "/var/tmp/sandmine-cache";

export const STYLE_TREES: Readonly<Record<string, string>> = {
  nginx: join(TREE_CACHE, "bookworm-rootfs"),
  redis: join(TREE_CACHE, "bookworm-rootfs"),
  memcached: join(TREE_CACHE, "bookworm-rootfs"),
  postgres: join(TREE_CACHE, "bookworm-postgres-rootfs"),
};

/** The arm64 build of the same packages (datasets/record/build-arm64-tree.sh): an aarch64 tree. */
export const ARM64_TREE = join(TREE_CACHE, "bookworm-arm64-tree");
/** The x86_64 tree the arm64 one mirrors (its versions). */
export const X86_64_TREE = join(TREE_CACHE, "bookworm-rootfs");
