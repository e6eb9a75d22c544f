/**
 * The check stage on files: a profile file (any format `parseProfile` reads) replayed against the
 * recorded events of one image of a dataset, and the profile's lints. The image and whether runc's
 * init is governed come from the report `synthesize` wrote beside the profile unless given.
 */
import { lintProfile, type Lint } from "../../stages/seccomp/lints.ts";
import { governedPhases } from "../../stages/profile/facts.ts";
import { selectImages } from "../analyze/prepare.ts";
import { withDb } from "../duckdb.ts";
import { UsageError } from "../errors.ts";
import { checkProfile, profileArch, type CheckResult } from "./check.ts";
import { readProfileFile, reportBeside } from "./load.ts";

export interface CheckFileOptions {
  /** the profile file */
  profile: string;
  dataset: string;
  /** default: the image of the report beside the profile, else the dataset's only image */
  image?: string;
  /** at most this many denied events listed (all are counted) */
  limit: number;
  /** at most this many denied events listed of each syscall (the first ones); all when absent */
  perSyscall?: number;
  /** leave phase init unchecked; default: as the report beside the profile says */
  withoutRuntime?: boolean;
}

export interface CheckFileResult {
  profile: string;
  result: CheckResult;
  lints: Lint[];
}

/** Checks the profile file against the image's events; a denied event or an error lint fails it. */
export async function checkProfileFile(o: CheckFileOptions): Promise<CheckFileResult> {
  const profile = readProfileFile(o.profile);
  const report = reportBeside(o.profile);
  const image = selectImages(o.dataset, o.image ?? report?.image);
  if (image.length > 1) throw new UsageError(`--image is required: the dataset has ${image.join(", ")}`);
  const withoutRuntime = o.withoutRuntime ?? report?.with_runtime === false;
  const result = await withDb((db) =>
    checkProfile(db, o.dataset, profile, {
      image: image[0]!,
      phases: governedPhases(!withoutRuntime),
      limit: o.limit,
      ...(o.perSyscall === undefined ? {} : { perSyscall: o.perSyscall }),
    }),
  );
  return { profile: o.profile, result, lints: lintProfile(profile, { arch: profileArch(profile) }) };
}

/** Whether a check fails: an event denied, or a lint of severity error. */
export const checkFailed = (c: CheckFileResult): boolean =>
  c.result.denied > 0 || c.lints.some((l) => l.severity === "error");
