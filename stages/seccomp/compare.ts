/**
 * Attack surface against a runtime's default profile (Docker's, Podman's) on the same target:
 * the syscalls each allows on the native arch, unconditionally or for some arguments.
 */
import type { DockerProfile } from "../../schemas/seccomp-profile.ts";
import { compileProfile } from "./compile.ts";
import { allowedNames } from "./lints.ts";
import type { Target } from "./target.ts";

export interface DefaultComparison {
  both: string[];
  onlyDefault: string[];
  onlyOurs: string[];
  /** how many each allows (conditionally included) */
  ours: number;
  default: number;
}

export function compareWithDefault(p: DockerProfile, def: DockerProfile, t: Target): DefaultComparison {
  const a = allowedNames(compileProfile(p, t));
  const b = allowedNames(compileProfile(def, t));
  const ours = new Set([...a.always, ...a.conditional]);
  const theirs = new Set([...b.always, ...b.conditional]);
  const sort = (xs: Iterable<string>): string[] => [...xs].sort();
  return {
    both: sort([...ours].filter((n) => theirs.has(n))),
    onlyDefault: sort([...theirs].filter((n) => !ours.has(n))),
    onlyOurs: sort([...ours].filter((n) => !theirs.has(n))),
    ours: ours.size,
    default: theirs.size,
  };
}
