/** The Debian trees `datasets/record/build-images.sh rootfs` builds, by the style image each serves. */
import { join } from "node:path";

export const TREE_CACHE = process.env.SANDMINE_CACHE ?? "/var/tmp/sandmine-cache";

export const STYLE_TREES: Readonly<Record<string, string>> = {
  nginx: join(TREE_CACHE, "bookworm-rootfs"),
  redis: join(TREE_CACHE, "bookworm-rootfs"),
  memcached: join(TREE_CACHE, "bookworm-rootfs"),
  postgres: join(TREE_CACHE, "bookworm-postgres-rootfs"),
};
