/**
 * Container id (12 hex characters, as sysdig shows it) from a thread's cgroups: the NUL-separated
 * `subsys=path` list of the process list block and of clone/execve exit events.
 */

const ID =
  /(?:\/docker\/|docker-|\/crio-|\/containerd\/|cri-containerd-|\/libpod-|\/kubepods\/(?:[^/]+\/)*)([0-9a-f]{64})/;

/** The container id, or null for a host thread. */
export function containerIdFromCgroups(cgroups: string): string | null {
  const m = ID.exec(cgroups);
  return m ? m[1]!.slice(0, 12) : null;
}
