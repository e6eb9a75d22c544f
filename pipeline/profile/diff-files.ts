/**
 * The diff stage on files: what changed between two profile files, per syscall, with the reasons
 * from the reports `synthesize` wrote beside them.
 */
import { diffProfiles, type ProfileDiff } from "../../stages/profile/diff.ts";
import { readProfileFile, reportBeside } from "./load.ts";

/** The differences between the profiles in `oldFile` and `newFile`. */
export function diffProfileFiles(oldFile: string, newFile: string): ProfileDiff {
  return diffProfiles(
    readProfileFile(oldFile),
    readProfileFile(newFile),
    reportBeside(oldFile),
    reportBeside(newFile),
  );
}

/** Whether two profiles are the same (no change of default, architectures or any name). */
export const sameProfiles = (d: ProfileDiff): boolean =>
  !d.default && !d.architectures && !d.added.length && !d.removed.length && !d.changed.length;
