/** What the host tests need: root and the programs of the Docker backend. Returns what is missing. */
import { accessSync, constants } from "node:fs";

const onPath = (cmd: string): boolean =>
  (process.env.PATH ?? "").split(":").some((d) => {
    try {
      accessSync(`${d}/${cmd}`, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

export function hostMissing(): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push("root");
  for (const c of ["dockerd", "docker", "runc", "strace", "gcc"]) if (!onPath(c)) missing.push(c);
  try {
    accessSync("/bin/busybox", constants.X_OK);
  } catch {
    missing.push("busybox-static (/bin/busybox)");
  }
  try {
    accessSync("/dev/kmsg", constants.R_OK);
  } catch {
    missing.push("/dev/kmsg");
  }
  return missing;
}
